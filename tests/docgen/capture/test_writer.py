from __future__ import annotations

import threading
from pathlib import Path

from docgen.capture.record import Exchange
from docgen.capture.store import Store
from docgen.capture.writer import StoreWriter


def make(path: str) -> Exchange | None:
    if path == "skip":
        return None
    if path == "boom":
        raise RuntimeError("bug in prepare")
    return Exchange(method="GET", scheme="http", host="h", port=80, path=path)


def test_group_commit_calls_back_after_commit(tmp_path: Path) -> None:
    writer = StoreWriter(tmp_path / "w.sqlite", make, batch_max=50)
    results: dict[str, bool] = {}
    lock = threading.Lock()

    def done_for(name: str):  # type: ignore[no-untyped-def]
        def done(ok: bool) -> None:
            with lock:
                results[name] = ok
        return done

    for index in range(500):
        writer.submit(f"/p{index}", done_for(f"/p{index}"))
    writer.submit("skip", done_for("skip"))
    writer.submit("boom", done_for("boom"))
    writer.close()
    assert all(results[f"/p{i}"] for i in range(500))
    assert results["skip"] is False and results["boom"] is False
    with Store(tmp_path / "w.sqlite") as store:
        assert store.count() == 500


def test_linger_gathers_a_trickle_into_one_batch(tmp_path: Path) -> None:
    # async durability: the thread waits (up to `linger`) for a batch to fill, so items
    # submitted one by one share one commit; a full batch ends the wait at once.
    batches: list[int] = []
    writer = StoreWriter(tmp_path / "w.sqlite", make, batch_max=3, linger=60.0,
                         notify=lambda results: batches.append(len(results)))
    for index in range(6):
        writer.submit(f"/p{index}", lambda ok: None)
    writer.close()
    assert batches == [3, 3]
    with Store(tmp_path / "w.sqlite") as store:
        assert store.count() == 6


def test_unthreaded_writer_commits_in_the_callers_thread_in_batches(tmp_path: Path) -> None:
    # The writer process's one thread drives it: write_now returns once all is committed.
    batches: list[tuple[int, str]] = []
    writer = StoreWriter(tmp_path / "w.sqlite", make, batch_max=4, threaded=False,
                         notify=lambda results: batches.append(
                             (len(results), threading.current_thread().name)))
    assert writer.thread is None
    writer.write_now([(f"/p{index}", lambda ok: None) for index in range(10)])
    assert batches == [(4, "MainThread"), (4, "MainThread"), (2, "MainThread")]
    with Store(tmp_path / "w.sqlite") as store:
        assert store.count() == 10
    writer.close()


def test_an_unthreaded_writer_writes_what_is_submitted_at_once(tmp_path: Path) -> None:
    results: list[bool] = []
    writer = StoreWriter(tmp_path / "w.sqlite", make, threaded=False)
    writer.submit("/p", results.append)
    assert results == [True]  # not left in a queue that no thread takes from
    with Store(tmp_path / "w.sqlite") as store:
        assert store.count() == 1
    writer.close()
