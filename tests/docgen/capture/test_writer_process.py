"""The writer process: acknowledgements only after commit, and nothing lost when either
side dies. Real child processes, a real SQLite store read by a separate connection."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from mitmproxy.test import tflow

from docgen.capture import writer_process
from docgen.capture.frames import frame
from docgen.capture.prepare import Preparer
from docgen.capture.snapshot import snapshot
from docgen.capture.writer_process import WriterProcess
from docgen.errors import WsdocError
from tests.asyncrun import run_async


def committed_ids(store: Path) -> set[str]:
    conn = sqlite3.connect(f"{store.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {row[0] for row in conn.execute("SELECT flow_id FROM exchanges")}
    finally:
        conn.close()


def test_each_acknowledgement_follows_its_commit(tmp_path: Path) -> None:
    store = tmp_path / "w.sqlite"
    seen_at_ack: dict[str, bool] = {}

    async def scenario() -> None:
        writer = WriterProcess(store, Preparer())
        loop = asyncio.get_running_loop()
        waits = []
        for _ in range(60):
            flow = tflow.tflow(resp=True)
            done: asyncio.Future[bool] = loop.create_future()

            def acked(ok: bool, flow_id: str = flow.id, done: asyncio.Future[bool] = done
                      ) -> None:
                seen_at_ack[flow_id] = ok and flow_id in committed_ids(store)
                done.set_result(ok)

            writer.submit(snapshot(flow), acked)
            waits.append(done)
        assert all(await asyncio.wait_for(asyncio.gather(*waits), 30))
        writer.close()
        assert writer.counts["recorded"] == 60

    run_async(scenario())
    assert len(seen_at_ack) == 60 and all(seen_at_ack.values())


def test_a_dead_child_fails_what_waits_and_says_so(tmp_path: Path) -> None:
    warnings: list[str] = []

    async def scenario() -> list[bool]:
        writer = WriterProcess(tmp_path / "d.sqlite", Preparer(), warn=warnings.append)
        loop = asyncio.get_running_loop()
        writer.proc.send_signal(signal.SIGKILL)
        writer.proc.wait(10)
        results: list[asyncio.Future[bool]] = [loop.create_future() for _ in range(3)]
        for future in results:
            writer.submit(snapshot(tflow.tflow(resp=True)), future.set_result)
        outcome = list(await asyncio.wait_for(asyncio.gather(*results), 10))
        # Once the loss is known, a submission is answered at once, not after a timeout.
        writer.submit(snapshot(tflow.tflow(resp=True)), outcome.append)
        answered_at_once = len(outcome) == 4
        writer.close()
        return [*outcome, answered_at_once]

    assert run_async(scenario()) == [False, False, False, False, True]
    assert len(warnings) == 1 and "writer process stopped" in warnings[0]


def test_the_child_commits_what_it_received_after_kill_9_of_the_proxy(tmp_path: Path) -> None:
    store = tmp_path / "k.sqlite"
    script = textwrap.dedent(f"""
        import asyncio, os, signal
        from mitmproxy.test import tflow
        from docgen.capture.prepare import Preparer
        from docgen.capture.snapshot import snapshot
        from docgen.capture.writer_process import WriterProcess

        async def main():
            writer = WriterProcess({str(store)!r}, Preparer())
            for _ in range(300):
                writer.submit(snapshot(tflow.tflow(resp=True)))
            await asyncio.sleep(0)  # the loop sends this iteration's frame
            while writer.unsent:
                await asyncio.sleep(0.01)
            print(writer.proc.pid, flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

        asyncio.run(main())
    """)
    proxy = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           timeout=60, check=False)
    assert proxy.returncode == -signal.SIGKILL, proxy.stderr
    child = int(proxy.stdout.split()[0])
    deadline = time.monotonic() + 30
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)  # it saw its stdin close and stopped on its own
    assert len(committed_ids(store)) == 300


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (our grandchild, reaped by init eventually) counts as gone.
    status = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    return status != "Z"


def test_an_unusable_store_is_one_error_line_and_no_child(tmp_path: Path) -> None:
    (tmp_path / "not-a-dir").write_text("x")
    with pytest.raises(WsdocError) as raised:
        WriterProcess(tmp_path / "not-a-dir" / "s.sqlite", Preparer())
    assert "\n" not in str(raised.value) and str(raised.value)


@pytest.fixture
def frames(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many items each frame the writer makes holds, in order."""
    made: list[int] = []
    framed = writer_process.items_frame
    monkeypatch.setattr(writer_process, "items_frame",
                        lambda batch: made.append(len(batch)) or framed(batch))
    return made


async def queued_behind_a_stopped_child(writer: WriterProcess, count: int
                                        ) -> list[asyncio.Future[bool]]:
    """The child stopped, one flow sent to it, then `count - 1` more submitted, each in its
    own loop iteration; the child is left stopped, so no commit has come back yet."""
    loop = asyncio.get_running_loop()
    futures: list[asyncio.Future[bool]] = [loop.create_future() for _ in range(count)]
    # Stopped first: a child stopped only after the first frame could commit it in between.
    writer.proc.send_signal(signal.SIGSTOP)
    writer.submit(snapshot(tflow.tflow(resp=True)), futures[0].set_result)
    await asyncio.sleep(0)  # sent: one frame of one
    for future in futures[1:]:
        writer.submit(snapshot(tflow.tflow(resp=True)), future.set_result)
        await asyncio.sleep(0.01)
    return futures


def test_while_a_batch_commits_later_flows_are_sent_and_committed_as_one_batch(
        tmp_path: Path, frames: list[int]) -> None:
    acknowledged: list[int] = []  # how many flows each acknowledgement answers

    async def scenario() -> list[bool]:
        writer = WriterProcess(tmp_path / "g.sqlite", Preparer())
        handle = writer._handle

        def handled(message: tuple[str, list[tuple[int, bool]], list[str], object]) -> None:
            acknowledged.append(len(message[1]))
            handle(message)

        writer._handle = handled  # type: ignore[method-assign]
        futures = await queued_behind_a_stopped_child(writer, 11)
        sent = list(frames)
        writer.proc.send_signal(signal.SIGCONT)
        outcome = await asyncio.wait_for(asyncio.gather(*futures), 30)
        writer.close()
        # Each loop iteration's flow went at once (no wait for an acknowledgement's
        # round trip), and the child's next read took them all: one commit.
        assert sent == [1] * 11
        return list(outcome)

    assert run_async(scenario()) == [True] * 11
    assert acknowledged[0] == 11


def test_a_frame_bigger_than_the_pipe_goes_on_as_the_pipe_drains(tmp_path: Path) -> None:
    # The first write takes what the pipe holds; the rest waits for the loop's writer
    # callback, and the commit (so the acknowledgement) comes only once all of it went.
    store = tmp_path / "big.sqlite"

    async def scenario() -> bool:
        writer = WriterProcess(store, Preparer())
        flow = tflow.tflow(resp=True)
        flow.response.content = b"x" * (4 << 20)  # far past a pipe's 64 KB
        committed = asyncio.get_running_loop().create_future()
        writer.submit(snapshot(flow), committed.set_result)
        await asyncio.sleep(0)  # sent as far as it goes
        assert writer.unsent  # the pipe could not take it at once
        ok = await asyncio.wait_for(committed, 30)
        assert not writer.unsent
        # ...and the writer callback is gone with it (remove_writer says whether one was set)
        assert not asyncio.get_running_loop().remove_writer(writer.stdin.fileno())
        writer.close()
        return bool(ok)

    assert run_async(scenario()) is True
    assert len(committed_ids(store)) == 1


def test_async_durability_sends_once_per_linger(tmp_path: Path, frames: list[int]) -> None:
    store = tmp_path / "a.sqlite"

    async def scenario() -> None:
        writer = WriterProcess(store, Preparer(), linger=0.3)
        for _ in range(20):
            writer.submit(snapshot(tflow.tflow(resp=True)))
            await asyncio.sleep(0.001)
        await asyncio.sleep(0.5)
        assert frames == [20]
        writer.close()

    run_async(scenario())
    assert len(committed_ids(store)) == 20


def test_child_takes_what_one_read_finds_as_one_batch_until_stop() -> None:
    read_end, write_end = os.pipe()
    snap = tuple(snapshot(tflow.tflow(resp=True)))
    with os.fdopen(read_end, "rb") as reader, os.fdopen(write_end, "wb") as writer:
        writer.write(frame(("items", [(1, snap), (2, snap)])) + frame(("items", [(3, snap)])))
        writer.flush()
        batches = writer_process.item_batches(reader)
        assert [ack.seq for _, ack in next(batches)] == [1, 2, 3]  # two frames, one batch
        writer.write(frame(("items", [(4, snap)])) + frame(("stop",)) +
                     frame(("items", [(5, snap)])))
        writer.flush()
        last = next(batches)
        assert [ack.seq for _, ack in last] == [4]
        assert last[0][0].flow_id == snap[0]
        assert next(batches, None) is None  # nothing after the stop
