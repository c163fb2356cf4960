"""Durability as the client sees it: in `sync` mode the response hook returns (and
mitmproxy releases the response) only once the record is committed, so another connection
already reads it; `async` never waits and still stores everything by `done()`."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from mitmproxy.test import taddons, tflow

from addons.recorder import Recorder
from tests.asyncrun import run_async
from tests.support.hooks import respond


def committed_ids(store: Path) -> list[str]:
    """Flow ids of the records a separate reader sees, i.e. committed ones."""
    conn = sqlite3.connect(f"{store.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT flow_id FROM exchanges ORDER BY id")]
    finally:
        conn.close()


def committed(store: Path) -> int:
    return len(committed_ids(store))


@contextmanager
def recording(store: Path, durability: str, writer: str = "process") -> Iterator[Recorder]:
    """A configured, running recorder (inside a running event loop); done() at the end."""
    recorder = Recorder()
    with taddons.context(recorder) as tctx:
        tctx.configure(recorder, wsdoc_store=str(store), wsdoc_durability=durability,
                       wsdoc_writer=writer)
        recorder.running()
        yield recorder
        recorder.done()


@pytest.mark.parametrize("writer", ["process", "thread"])
def test_sync_releases_a_response_only_after_its_commit(tmp_path: Path, writer: str) -> None:
    store = tmp_path / "sync.sqlite"
    seen: list[int] = []
    own_stored: list[bool] = []

    async def scenario() -> None:
        with recording(store, "sync", writer) as recorder:
            for index in range(40):
                flow = tflow.tflow(resp=True)
                flow.request.path = f"/api/v2/me?n={index}"
                await respond(recorder, flow)  # returning = mitmproxy sends the response
                seen.append(committed(store))
            # Several at once, as concurrent clients: each one's release implies its commit.
            flows = [tflow.tflow(resp=True) for _ in range(20)]

            async def one(flow: tflow.http.HTTPFlow) -> None:
                await respond(recorder, flow)
                own_stored.append(flow.id in committed_ids(store))

            await asyncio.gather(*(one(flow) for flow in flows))

    run_async(scenario())
    assert seen == list(range(1, 41))
    assert own_stored == [True] * 20  # each concurrent one was stored when it was released


def test_async_does_not_wait_and_stores_everything_by_done(tmp_path: Path) -> None:
    store = tmp_path / "async.sqlite"

    async def scenario() -> Recorder:
        with recording(store, "async") as recorder:
            for _ in range(100):
                await respond(recorder, tflow.tflow(resp=True))
        return recorder

    recorder = run_async(scenario())
    assert recorder.recorded == 100 and committed(store) == 100
