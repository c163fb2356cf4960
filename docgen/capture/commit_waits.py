"""Responses held for their commit (sync durability), each released by a deadline at the latest.

The recorder's response hook returns the future its record's commit resolves, and
mitmproxy awaits it before sending the response on. `asyncio.wait_for` around each future
would cost a task, a timer and two callbacks per flow on the proxy's event loop; here one
timer, armed only while futures are held, checks them about once a second. Futures are
held in submission order, so their deadlines are in order too: a check stops at the first
one that is neither resolved nor due.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable

CHECK_EVERY_S = 1.0


class CommitWaits:
    """Futures the event loop waits on; one still pending `timeout` seconds after `hold`
    is resolved False and `overdue` is called with its label."""

    def __init__(self, loop: asyncio.AbstractEventLoop, timeout: float,
                 overdue: Callable[[str], None]) -> None:
        self.loop, self.timeout, self.overdue = loop, timeout, overdue
        self.held: deque[tuple[float, asyncio.Future[bool], str]] = deque()
        self.timer: asyncio.TimerHandle | None = None

    def hold(self, future: asyncio.Future[bool], label: str) -> asyncio.Future[bool]:
        self.held.append((self.loop.time() + self.timeout, future, label))
        if self.timer is None:
            self.timer = self.loop.call_later(CHECK_EVERY_S, self._check)
        return future

    def _check(self) -> None:
        self.timer = None
        now = self.loop.time()
        held = self.held
        while held:
            deadline, future, label = held[0]
            if not future.done():
                if deadline > now:
                    break
                future.set_result(False)
                self.overdue(label)
            held.popleft()
        if held:
            self.timer = self.loop.call_later(CHECK_EVERY_S, self._check)

    def close(self) -> None:
        """Stop checking (the loop is going away); whatever is held stays as it is."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        self.held.clear()
