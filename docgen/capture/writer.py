"""The store's single writer thread: group commit off mitmproxy's event loop.

Items are queued by the proxy; the thread takes everything waiting (up to `batch_max`),
turns each item into a record with `prepare` (decode + redact, also off the loop),
inserts them in one transaction, commits once, then calls each item's `done` callback.
One commit per batch is what keeps sync durability cheap under load: while one batch
commits, the next one queues up. With a `linger` (async durability, where no response
waits for the commit) the thread also waits that long for a batch to fill, so a trickle
of flows costs one commit and one GIL-holding burst per linger instead of one per flow.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.capture.checkpoints import Checkpointer
from docgen.capture.postgres import PgConnection
from docgen.capture.record import Exchange
from docgen.capture.store import (
    INSERT_SQL,
    connect,
    insert_exchanges,
    insert_violations,
    location_of,
    to_row,
    transaction,
)

log = logging.getLogger(__name__)
Done = Callable[[bool], None]  # called with True once committed, False if not stored
# Hands a batch's (callback, committed) pairs over at once: one wake-up of the event loop
# per batch instead of one per record.
Notify = Callable[[list[tuple[Done, bool]]], None]
# Findings to store beside a record (kind, endpoint, detail), e.g. live contract checks.
Annotate = Callable[[Exchange], list[tuple[str, str, str]]]


@dataclass
class _Item:
    payload: Any
    done: Done | None


_STOP = object()


class StoreWriter:
    """Owns the write connection; `submit()` is safe to call from any thread."""

    def __init__(self, path: str | Path, prepare: Callable[[Any], Exchange | None],
                 synchronous: str = "NORMAL", batch_max: int = 256,
                 annotate: Annotate | None = None, notify: Notify | None = None,
                 linger: float = 0.0, threaded: bool = True) -> None:
        self.path = location_of(path)
        self.linger = linger
        self.prepare = prepare
        self.annotate = annotate
        self.notify = notify
        self.batch_max = batch_max
        self.synchronous = synchronous
        self.conn = connect(self.path, synchronous=synchronous)
        # A commit that would checkpoint the WAL held every waiting response 10-15 ms
        self.checkpoints = Checkpointer(Path(self.path), self.conn) \
            if isinstance(self.conn, sqlite3.Connection) else None  # not PostgreSQL
        self.queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.written = 0
        self.failed_batches = 0
        self.thread: threading.Thread | None = None
        if threaded:  # else the owner calls write_now (the writer process's one thread)
            self.thread = threading.Thread(target=self._run, name="wsdoc-writer", daemon=True)
            self.thread.start()

    def submit(self, payload: Any, done: Done | None = None) -> None:
        if self.thread is None:  # no thread takes from the queue: written here and now
            self.write_now([(payload, done)])
            return
        self.queue.put(_Item(payload, done))

    def write_now(self, items: Sequence[tuple[Any, Done | None]]) -> None:
        """Prepare, insert and commit (payload, done) items in the caller's thread, in
        batches of `batch_max`; for a writer made with `threaded=False`."""
        batch = [_Item(payload, done) for payload, done in items]
        for start in range(0, len(batch), self.batch_max):
            self._write(batch[start:start + self.batch_max])

    def close(self, timeout: float = 30.0) -> None:
        """Write everything queued so far, then stop the thread."""
        if self.thread is not None:
            self.queue.put(_STOP)
            self.thread.join(timeout)
        if self.checkpoints is not None:  # first: the last connection checkpoints at close
            self.checkpoints.close(timeout)
        self.conn.close()

    def _next_batch(self) -> tuple[list[_Item], bool]:
        first = self.queue.get()
        if first is _STOP:
            return [], True
        batch, stop = [first], False
        deadline = time.monotonic() + self.linger
        while len(batch) < self.batch_max:
            try:
                wait = deadline - time.monotonic()
                item = self.queue.get(timeout=wait) if wait > 0 else self.queue.get_nowait()
            except queue.Empty:
                break
            if item is _STOP:
                stop = True
                break
            batch.append(item)
        return batch, stop

    def _run(self) -> None:
        stop = False
        while not stop:
            batch, stop = self._next_batch()
            if batch:
                self._write(batch)

    def _write(self, batch: list[_Item]) -> None:
        rows, stored, notes = [], [], []
        for item in batch:
            try:
                record = self.prepare(item.payload)
                found = self.annotate(record) if self.annotate and record else []
            except Exception:  # a bug in prepare must never stop the writer
                log.exception("wsdoc: could not prepare a record")
                record, found = None, []
            stored.append(record is not None)
            if record is not None:
                rows.append(to_row(record))
                notes.append(found)
        ok = self._commit(rows, notes)
        results = [(item.done, ok and was_stored)
                   for item, was_stored in zip(batch, stored, strict=True) if item.done]
        if self.notify is not None:
            if results:  # async durability queues without callbacks: nothing to wake
                self.notify(results)
        else:
            for done, result in results:
                done(result)

    def _commit(self, rows: list[tuple[Any, ...]], notes: list[list[tuple[str, str, str]]]) -> bool:
        if not rows:
            return True
        try:
            try:
                self._insert(rows, notes)
            except Exception:
                if not self._reconnected():
                    raise
                self._insert(rows, notes)  # once more, on the new connection
        except Exception as exc:  # disk full, locked too long...: report, keep serving
            self.failed_batches += 1
            log.error("wsdoc: could not write %d record(s) to %s: %s", len(rows), self.path, exc)
            return False
        self.written += len(rows)
        if self.checkpoints is not None:
            self.checkpoints.committed()
        return True

    def _insert(self, rows: list[tuple[Any, ...]], notes: list[list[tuple[str, str, str]]]
                ) -> None:
        with transaction(self.conn):
            if any(notes):
                ids = insert_exchanges(self.conn, rows)
                insert_violations(self.conn, [
                    (ident, *note)
                    for ident, found in zip(ids, notes, strict=True) for note in found])
            else:
                self.conn.executemany(INSERT_SQL, rows)

    def _reconnected(self) -> bool:
        """A PostgreSQL server that dropped the connection (restart, failover, an idle
        kill) gets a new one; False when the connection was not lost or cannot be
        reopened."""
        if not isinstance(self.conn, PgConnection) or not self.conn.lost:
            return False
        try:
            self.conn = connect(self.path, synchronous=self.synchronous)
        except Exception as exc:
            log.error("wsdoc: lost the connection to %s and cannot reopen it: %s", self.path, exc)
            return False
        log.warning("wsdoc: reconnected to %s", self.path)
        return True
