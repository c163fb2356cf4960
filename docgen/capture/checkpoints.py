"""A store's WAL checkpointed on a thread of its own, so no commit waits for a checkpoint.

SQLite checkpoints a WAL from inside the commit that takes it past `wal_autocheckpoint`:
that commit copies every page written since the last checkpoint into the store file
first. The recorder commits a few flows at a time and, with sync durability, holds their
responses until the commit is done: under load one commit in a few hundred took 10-15 ms
instead of a fraction of one, and every response waiting on it (p99 of the time a
response was held: 8.6-13.6 ms; with this thread 3.7-5.6 ms, json-list mix).

Here the writer's own connection never checkpoints (`wal_autocheckpoint=0`); a thread
with a second connection runs PASSIVE checkpoints, at most every `every` seconds and only
after commits. A PASSIVE checkpoint takes no lock a writer waits for, and sqlite3
releases the GIL while it runs. Closing the writer's connection last still checkpoints
what is left and removes the WAL, as before.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger(__name__)
EVERY_S = 0.25  # the WAL grows by about a few MB a second under heavy recording


class Checkpointer:
    """Checkpoints the WAL of the SQLite store at `path`, whose writer connection is
    `writer`, after `committed()` calls, until `close()`."""

    def __init__(self, path: Path, writer: sqlite3.Connection, every: float = EVERY_S) -> None:
        # Opened here, so a store the thread could not open fails the writer's start
        # instead of leaving its WAL to grow; used only by the thread from now on.
        self.conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        writer.execute("PRAGMA wal_autocheckpoint=0")
        self.path, self.every = path, every
        self.dirty = threading.Event()  # commits since the last checkpoint
        self.stopping = threading.Event()
        self.failed = False
        self.thread = threading.Thread(target=self._run, name="wsdoc-checkpoints", daemon=True)
        self.thread.start()

    def committed(self) -> None:
        """The writer committed: the WAL has frames to copy back."""
        self.dirty.set()

    def close(self, timeout: float = 30.0) -> None:
        """Stop the thread (after a checkpoint it is running) and close its connection."""
        self.stopping.set()
        self.dirty.set()
        self.thread.join(timeout)

    def _run(self) -> None:
        try:
            while True:
                self.dirty.wait()
                if self.stopping.wait(self.every):  # later commits join this checkpoint
                    return
                self.dirty.clear()
                self._checkpoint()
        finally:
            self.conn.close()

    def _checkpoint(self) -> None:
        try:
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error as exc:  # e.g. a full disk: the WAL grows until the close
            if not self.failed:
                log.warning("wsdoc: could not checkpoint %s (it is still written): %s",
                            self.path, exc)
            self.failed = True
