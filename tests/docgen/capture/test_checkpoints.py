"""The WAL is checkpointed by a thread of its own, never by a writer's commit: real SQLite
files, a real writer, the store file read from disk."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from docgen.capture.checkpoints import Checkpointer
from docgen.capture.record import Body, Exchange
from docgen.capture.store import Store
from docgen.capture.writer import StoreWriter

BODY = bytes(range(256)) * 80  # 20 KB that no page compresses away


def big(index: str) -> Exchange:
    return Exchange(method="POST", scheme="http", host="h", port=80, path=f"/p{index}",
                    request_body=Body(BODY + index.encode(), "application/octet-stream"))


def test_commits_leave_checkpoints_to_the_thread(tmp_path: Path) -> None:
    store = tmp_path / "c.sqlite"
    writer = StoreWriter(store, big, threaded=False)
    assert writer.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    before = store.stat().st_size
    for start in range(0, 150, 3):  # 3 MB of WAL in small commits, as a recorder makes
        writer.write_now([(str(index), None) for index in range(start, start + 3)])
    # A commit's own checkpoint would wait for 16 MB of WAL: with the writer still open,
    # only the thread copies these pages into the store file.
    deadline = time.monotonic() + 20
    while store.stat().st_size < before + (2 << 20) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert store.stat().st_size >= before + (2 << 20)
    writer.close()
    assert writer.checkpoints is not None and not writer.checkpoints.thread.is_alive()
    assert not Path(f"{store}-wal").exists()  # the writer's close still ends the WAL
    with Store(store, readonly=True) as opened:
        assert opened.count() == 150


def test_an_idle_checkpointer_stops_at_once(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "i.sqlite", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    threads = threading.active_count()
    checkpoints = Checkpointer(tmp_path / "i.sqlite", conn, every=60.0)
    started = time.monotonic()
    checkpoints.close()
    assert time.monotonic() - started < 5 and not checkpoints.thread.is_alive()
    assert threading.active_count() == threads
    conn.close()


def test_a_store_the_thread_cannot_open_fails_before_commits_stop_checkpointing(
        tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "w.sqlite", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    automatic = conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    with pytest.raises(sqlite3.OperationalError):
        Checkpointer(tmp_path / "gone" / "w.sqlite", conn)
    assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == automatic > 0
    conn.close()
