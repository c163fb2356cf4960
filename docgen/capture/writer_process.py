"""The store's writer in a child process, so the proxy's event loop keeps the GIL.

Profiles of the recorder under load showed mitmproxy's event loop at one full core and
the writer thread's decoding, redaction and commits taking the GIL from it (about a
tenth of the throughput). Here the proxy's event loop only pickles snapshots onto a
non-blocking pipe, a frame per loop iteration (see `_send_soon`); the child runs the very
same `StoreWriter` (prepare, group commit) in one thread (its WAL checkpoints run on
another: docgen.capture.checkpoints) and sends back, per batch, which items were
committed, so sync durability still releases a response only after its commit.

Frames (docgen.capture.frames) are a 4-byte length and a pickle. Parent -> child: the
settings, then ("items", [(seq, snapshot as a plain tuple), ...]) and finally ("stop",).
Child -> parent: ("ready",) or ("error", text), then ("done", [(seq, committed), ...],
warnings, counts).
The child lives in its own session (Ctrl-C in a terminal reaches only the proxy, which
then stops it in order) and exits when its stdin closes, also after `kill -9` of the
proxy, once everything it received is committed.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from docgen.capture.frames import frame, read_frame, take_frames, write_frame
from docgen.capture.snapshot import FlowSnapshot
from docgen.capture.store import location_of
from docgen.errors import WsdocError

log = logging.getLogger(__name__)
START_TIMEOUT_S = 60.0
# Bytes the child takes from its pipe per read: under the allocator's mmap threshold, so a
# read does not map and unmap a fresh buffer (three system calls a frame).
READ_SIZE = 1 << 16
Done = Callable[[bool], None]


class WriterProcess:
    """`StoreWriter`'s interface (submit, close) over a child process, driven by the
    proxy's event loop: `submit` must be called on that loop, and acknowledgements are
    read there too. No thread of ours runs in the proxy, so none competes with mitmproxy
    for the GIL (a sender and a receiver thread cost as much throughput as the work did)."""

    def __init__(self, path: str | Path, prepare: Any, synchronous: str = "NORMAL",
                 annotate: Any = None, linger: float = 0.0,
                 warn: Callable[[str], None] | None = None) -> None:
        self.path = location_of(path)
        self.warn = warn or log.warning
        self.counts: dict[str, int] = {}
        self.pending: dict[int, Done] = {}
        self.seqs = itertools.count(1)
        self.outgoing: list[tuple[int, FlowSnapshot]] = []  # submitted, not yet framed
        self.unsent = bytearray()  # framed, waiting for the pipe to take it
        self.linger = linger  # async durability: no acknowledgements; send this often
        self.send_armed = False  # a _send is scheduled
        self.received = bytearray()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.closing = False
        self.lost = False  # the child is gone
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "docgen.capture.writer_process"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True,
            env=child_env())
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.stdin, self.stdout = self.proc.stdin, self.proc.stdout
        write_frame(self.stdin, {"path": str(self.path), "prepare": prepare,
                                 "annotate": annotate, "synchronous": synchronous})
        self._await_ready()

    def _await_ready(self) -> None:
        reply = read_frame(self.stdout)
        if reply is None or reply[0] != "ready":
            self.proc.kill()
            self.proc.wait(START_TIMEOUT_S)
            raise WsdocError(reply[1] if reply else "the store's writer process did not start")

    def _attach(self) -> asyncio.AbstractEventLoop:
        loop = self.loop = asyncio.get_running_loop()
        os.set_blocking(self.stdin.fileno(), False)
        os.set_blocking(self.stdout.fileno(), False)
        loop.add_reader(self.stdout.fileno(), self._on_readable)
        return loop

    def submit(self, payload: FlowSnapshot, done: Done | None = None) -> None:
        if self.lost:  # nothing will store it: let its response go now, not after a timeout
            if done is not None:
                done(False)
            return
        seq = next(self.seqs)
        if done is not None:
            self.pending[seq] = done
        self.outgoing.append((seq, payload))
        self._send_soon()

    def _send_soon(self) -> None:
        """One frame per loop iteration for the flows of that iteration. While the child
        commits a batch, the frames wait in the pipe and its next read takes them all as
        one batch: the batches that waiting here for the acknowledgement made, without
        the acknowledgement's round trip through this loop, which sync responses waited
        out (median time held 2.2 -> 1.9 ms; json-list ratio 0.925 -> 0.953, 16 paired
        rounds). Async durability sends once per linger instead."""
        if self.send_armed or not self.outgoing:
            return
        loop = self.loop or self._attach()
        if self.linger:
            loop.call_later(self.linger, self._send)
        else:
            loop.call_soon(self._send)
        self.send_armed = True

    def _send(self) -> None:
        self.send_armed = False
        batch, self.outgoing = self.outgoing, []
        if not batch:
            return
        waiting = bool(self.unsent)  # the pipe was full: _on_writable is set and sends these
        self.unsent += items_frame(batch)
        if not waiting:
            self._write_unsent()
            if self.unsent:
                assert self.loop is not None
                self.loop.add_writer(self.stdin.fileno(), self._on_writable)

    def _on_writable(self) -> None:
        assert self.loop is not None
        self._write_unsent()
        if not self.unsent:
            self.loop.remove_writer(self.stdin.fileno())

    def _write_unsent(self) -> None:
        """As much of `unsent` as the pipe takes now (the selector is touched only when it
        fills or drains, not per frame)."""
        try:
            written = os.write(self.stdin.fileno(), self.unsent)
        except BlockingIOError:
            written = 0
        except OSError:  # the child is gone; the reader reports it
            self.unsent.clear()
            written = 0
        del self.unsent[:written]

    def _on_readable(self) -> None:
        try:
            chunk = os.read(self.stdout.fileno(), 1 << 16)
        except BlockingIOError:
            return
        if not chunk:
            self._lost()
            return
        self.received += chunk
        for message in take_frames(self.received):
            self._handle(message)

    def _handle(self, message: Any) -> None:
        _, acks, warnings, counts = message
        self.counts = counts
        for warning in warnings:
            self.warn(warning)
        for seq, ok in acks:
            if (done := self.pending.pop(seq, None)) is not None:
                done(ok)

    def _lost(self) -> None:
        assert self.loop is not None
        self.lost = True
        self.outgoing.clear()
        self.loop.remove_reader(self.stdout.fileno())
        if not self.closing:
            self.warn(f"wsdoc: the store's writer process stopped (status "
                      f"{self.proc.wait()}); records are no longer stored")
        left, self.pending = list(self.pending.values()), {}
        for done in left:
            done(False)

    def close(self, timeout: float = 30.0) -> None:
        """Write everything submitted so far, wait for the child to commit it, stop it."""
        self.closing = True
        if self.loop is not None:
            self.loop.remove_reader(self.stdout.fileno())
            self.loop.remove_writer(self.stdin.fileno())
            os.set_blocking(self.stdin.fileno(), True)
            os.set_blocking(self.stdout.fileno(), True)
        if self.outgoing:
            batch, self.outgoing = self.outgoing, []
            self.unsent += items_frame(batch)
        try:
            self.stdin.write(bytes(self.unsent))
            write_frame(self.stdin, ("stop",))
            self.stdin.close()
        except OSError:
            pass
        self.unsent.clear()
        self._drain()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            log.error("wsdoc: the store's writer process did not stop; killing it")
            self.proc.kill()
            self.proc.wait(timeout)

    def _drain(self) -> None:
        """Read the last acknowledgements (counts, warnings) until the child exits."""
        for message in take_frames(self.received):
            self._handle(message)
        while (message := read_frame(self.stdout)) is not None:
            self._handle(message)
        left, self.pending = list(self.pending.values()), {}
        for done in left:
            try:
                done(False)
            except RuntimeError:  # its event loop is already closed: nobody waits
                pass


def items_frame(batch: list[tuple[int, FlowSnapshot]]) -> bytes:
    """One frame of snapshots, each as a plain tuple (`FlowSnapshot._make` rebuilds it)."""
    return frame(("items", [(seq, tuple(snap)) for seq, snap in batch]))


def child_env() -> dict[str, str]:
    """The proxy's import path for the child: `mitmdump -s` may have found docgen on a
    path the bare interpreter would not search."""
    paths = [entry for entry in sys.path if entry]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


# -- the child --------------------------------------------------------------------------


class _Ack:
    """A record's place in the parent's numbering; the writer "calls" it when done."""

    __slots__ = ("seq",)

    def __init__(self, seq: int) -> None:
        self.seq = seq

    def __call__(self, ok: bool) -> None:  # the writer notifies in batches instead
        pass


def item_batches(stdin: io.BufferedReader) -> Iterator[list[tuple[FlowSnapshot, _Ack]]]:
    """The items of every frame one read finds in the pipe, as one batch (what came while
    the last batch committed): one commit for them all. Until ("stop",) or the end."""
    buffer = bytearray()
    while chunk := stdin.read1(READ_SIZE):
        buffer += chunk
        batch: list[tuple[FlowSnapshot, _Ack]] = []
        stopped = False
        for message in take_frames(buffer):
            if message[0] != "items":
                stopped = True
                break
            batch.extend((FlowSnapshot._make(fields), _Ack(seq)) for seq, fields in message[1])
        if batch:
            yield batch
        if stopped:
            return


def child_main() -> int:
    from docgen.capture.writer import StoreWriter

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the proxy stops us in order
    # Frames get their own copy of stdout; anything else printed here goes to stderr.
    stdin, stdout = sys.stdin.buffer, os.fdopen(os.dup(1), "wb")
    assert isinstance(stdin, io.BufferedReader)
    os.dup2(2, 1)
    settings = read_frame(stdin)
    warnings: list[str] = []
    prepare, annotate = settings["prepare"], settings["annotate"]
    prepare.warn = annotate_warn = warnings.append
    if annotate is not None:
        annotate.warn = annotate_warn

    def notify(results: list[tuple[Any, bool]]) -> None:
        drained = warnings[:]
        del warnings[:]
        counts = {"recorded": prepare.recorded,
                  "redaction_failures": prepare.redaction_failures}
        try:
            write_frame(stdout, ("done", [(ack.seq, ok) for ack, ok in results],
                                 drained, counts))
        except OSError:  # the proxy is gone (killed): keep committing what came
            pass

    try:
        # One thread reads, prepares, commits and answers: a reader thread handing
        # each frame to a writer thread cost a wake-up and a GIL hand-over per frame.
        writer = StoreWriter(settings["path"], prepare, settings["synchronous"],
                             annotate=annotate, notify=notify, threaded=False)
    except Exception as exc:  # WsdocError, sqlite3 or psycopg errors: one line upstream
        write_frame(stdout, ("error", str(exc).splitlines()[0] if str(exc) else repr(exc)))
        return 2
    write_frame(stdout, ("ready",))
    for batch in item_batches(stdin):
        writer.write_now(batch)
    writer.close()
    notify([])  # the last warnings and counts
    return 0


if __name__ == "__main__":
    sys.exit(child_main())
