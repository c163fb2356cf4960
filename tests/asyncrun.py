"""Run a coroutine on a fresh event loop in its own thread.

The browser tests hold Playwright's sync API open for the whole session, and that keeps an
event loop running on the main thread; `asyncio.run` there would refuse to start.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """asyncio.run(coro) in a worker thread; its result or exception comes back here."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
