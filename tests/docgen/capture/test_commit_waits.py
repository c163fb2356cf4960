"""Held responses: released by their commit, or by the deadline with one warning each."""

from __future__ import annotations

import asyncio

import pytest

from docgen.capture import commit_waits
from docgen.capture.commit_waits import CommitWaits
from tests.asyncrun import run_async


@pytest.fixture(autouse=True)
def quick_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commit_waits, "CHECK_EVERY_S", 0.01)


def test_a_commit_in_time_releases_and_nothing_is_overdue() -> None:
    overdue: list[str] = []

    async def scenario() -> list[bool]:
        waits = CommitWaits(asyncio.get_running_loop(), 0.2, overdue.append)
        futures = [waits.hold(asyncio.get_running_loop().create_future(), f"/r/{i}")
                   for i in range(50)]
        for future in futures:
            asyncio.get_running_loop().call_later(0.02, future.set_result, True)
        results = [await future for future in futures]
        await asyncio.sleep(0.3)  # past every deadline: all were settled before it
        assert not waits.held and waits.timer is None  # nothing held, no timer armed
        return results

    assert run_async(scenario()) == [True] * 50
    assert overdue == []


def test_a_commit_that_never_comes_is_released_false_at_its_deadline() -> None:
    overdue: list[str] = []

    async def scenario() -> tuple[list[bool], float]:
        loop = asyncio.get_running_loop()
        waits = CommitWaits(loop, 0.1, overdue.append)
        stuck = waits.hold(loop.create_future(), "/stuck")
        quick = waits.hold(loop.create_future(), "/quick")
        quick.set_result(True)
        started = loop.time()
        results = [await stuck, await quick]
        waited = loop.time() - started
        later = waits.hold(loop.create_future(), "/later")  # the timer goes on for it
        loop.call_later(0.05, later.set_result, True)
        results.append(await later)
        await asyncio.sleep(0.2)
        return results, waited

    results, waited = run_async(scenario())
    assert results == [False, True, True]
    assert 0.09 <= waited < 1.0  # the deadline, not the next commit, released it
    assert overdue == ["/stuck"]


def test_close_stops_the_timer() -> None:
    async def scenario() -> bool:
        waits = CommitWaits(asyncio.get_running_loop(), 0.05, lambda _: None)
        pending = waits.hold(asyncio.get_running_loop().create_future(), "/x")
        waits.close()
        await asyncio.sleep(0.1)
        return pending.done()

    assert run_async(scenario()) is False
