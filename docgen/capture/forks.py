"""Forked helper processes, each with a socket pair to its parent: what `wsdoc import`'s
workers and the split build's parts (docgen.infer.parallel) need of multiprocessing.

Importing multiprocessing's pool and connections cost about 50 M instructions (over
10 ms) at every start of those commands (tempfile, shutil, compression modules,
subprocess...), and its pool hands every task and result across three threads of the
parent, whose GIL handovers cost the inserting process more. A fork here runs one
function with one `Channel`; messages are bytes with a length before them. A child
ignores Ctrl-C (the terminal sends it to the whole process group: the parent stops its
children itself) and ends with `os._exit`: the parent's exit handlers and buffers are not
the child's to run or flush.
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable

HEADER = 8  # bytes of length before each message
POLL_S = 0.002  # how often `join` looks at a child that has not ended yet
# The parent's ends of its children's channels. A child closes its copies of them at once:
# else a worker forked second would keep the first one's channel open, and the first
# would never see its parent close it.
_parent_ends: set[socket.socket] = set()


class Channel:
    """One end of a socket pair: whole messages of bytes each way."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def send_bytes(self, data: bytes) -> None:
        self.sock.sendall(len(data).to_bytes(HEADER, "big"))
        self.sock.sendall(data)

    def recv_bytes(self) -> bytes:
        """The next message; EOFError when the other end closed between messages."""
        header = self._exactly(HEADER)
        if not header:
            raise EOFError("the other process closed its end")
        return self._exactly(int.from_bytes(header, "big"), required=True)

    def _exactly(self, size: int, required: bool = False) -> bytes:
        buffer = bytearray(size)
        view, got = memoryview(buffer), 0
        while got < size:
            taken = self.sock.recv_into(view[got:])
            if not taken:
                if got or required:
                    raise EOFError("the other process closed its end within a message")
                return b""
            got += taken
        return bytes(buffer)

    def close(self) -> None:
        _parent_ends.discard(self.sock)
        self.sock.close()


class Forked:
    """A child process started by `fork`, and the parent's end of its channel."""

    def __init__(self, pid: int, channel: Channel) -> None:
        self.pid, self.channel = pid, channel
        self.status: int | None = None

    def join(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the child to end; whether it has."""
        deadline = time.monotonic() + timeout
        while self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
                break
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL_S)
        return True

    def kill(self) -> None:
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.join(timeout=60.0)

    def stop(self, timeout: float) -> None:
        """Close the channel (a child waiting for a message sees its end), let the child
        end within `timeout` seconds, else kill it."""
        self.channel.close()
        if not self.join(timeout):
            self.kill()


class Receiver:
    """Messages from children's channels, in the order `expect` names them, read ahead on a
    thread of its own. It waits in `recv` with the GIL released, so a child's message
    leaves its pipe while the parent's main thread does other work: a child never waits
    for the parent to come for its answer before it can take on its next task."""

    def __init__(self) -> None:
        self._order: queue.SimpleQueue[Channel | None] = queue.SimpleQueue()
        self._messages: queue.SimpleQueue[bytes | EOFError] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._read, name="wsdoc-receiver", daemon=True)
        self._thread.start()

    def expect(self, channel: Channel) -> None:
        self._order.put(channel)

    def next(self) -> bytes:
        """The next expected message; EOFError when its sender closed instead (and for
        every message after it: reading stops there)."""
        message = self._messages.get()
        if isinstance(message, EOFError):
            self._messages.put(message)
            raise message
        return message

    def close(self, timeout: float) -> None:
        """Stop reading (after the messages expected so far, or once their senders are
        gone: stop them first)."""
        self._order.put(None)
        self._thread.join(timeout)

    def _read(self) -> None:
        while (channel := self._order.get()) is not None:
            try:
                self._messages.put(channel.recv_bytes())
            except (EOFError, OSError) as exc:
                self._messages.put(EOFError(str(exc)))
                return


def fork(run: Callable[[Channel], None]) -> Forked:
    """A child process that runs `run` with its end of a new channel, then exits: status
    0, or 1 after printing the traceback of what `run` raised."""
    mine, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:  # the child
        status = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            for sock in (*_parent_ends, mine):
                sock.close()
            _parent_ends.clear()
            run(Channel(theirs))
            status = 0
        except BaseException:  # noqa: BLE001 - reported on stderr, as a process's end
            import traceback  # here, not at start-up (it imports textwrap)

            traceback.print_exc()
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except (OSError, ValueError):
                    pass
            os._exit(status)
    theirs.close()
    _parent_ends.add(mine)
    return Forked(pid, Channel(mine))
