"""Routes of a split build: what part 0 sends is what the other part rebuilds, exactly."""

from __future__ import annotations

from collections import deque
from pathlib import Path

import pytest

from docgen.capture.importer import read_har
from docgen.capture.synthetic import synthetic_traffic
from docgen.infer import routes
from docgen.infer.config import Config
from docgen.infer.paths import PathTemplater, Templated
from docgen.infer.routes import Inbox, Outbox, skeleton_of

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def recorded_paths() -> list[str]:
    paths = [e.path for har in sorted(CORPUS.glob("*.har")) for e in read_har(har)]
    return paths + [e.path for e in synthetic_traffic(600, seed=4)] + [
        "/", "//a//b/", "/a%2Fb/{x}/c", "/über/ümlaut", "/api/v2/me/calls/" + "9" * 32]


def sent_and_received(paths: list[str], profile: str = "webservices"
                      ) -> tuple[list[Templated], list[Templated]]:
    """Route every path through an Outbox to an Inbox (a deque for the pipe)."""
    wire: deque[bytes] = deque()
    outbox = Outbox([None, wire.append])
    templater = PathTemplater(Config(profile_name=profile))
    decided = []
    for number, path in enumerate(paths):
        decided.append(templater.observe(path))
        outbox.route(1, number, number + 10, ("GET", "", decided[-1].template), decided[-1])
    outbox.close()
    inbox = Inbox(wire.popleft)
    rebuilt = [inbox.templated(routed, paths[routed.number])
               for batch in inbox.batches() for routed in batch.routes]
    return decided, rebuilt


@pytest.mark.parametrize("profile", ["generic", "webservices"])
def test_a_rebuilt_templated_is_the_one_part_0_had(profile: str) -> None:
    decided, rebuilt = sent_and_received(recorded_paths(), profile)
    assert rebuilt == decided


def test_a_skeleton_for_another_path_is_refused() -> None:
    wire: deque[bytes] = deque()
    outbox = Outbox([None, wire.append])
    decided = PathTemplater().observe("/api/v2/me/calls")
    outbox.route(1, 0, 1, ("GET", "", decided.template), decided)
    outbox.close()
    inbox = Inbox(wire.popleft)
    (batch,) = inbox.batches()
    with pytest.raises(ValueError, match="segments"):
        inbox.templated(batch.routes[0], "/api/v2/me")


def test_batches_arrive_in_order_with_endpoints_named_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(routes, "BATCH", 256)  # the counts below are for batches of 256
    wire: deque[bytes] = deque()
    outbox = Outbox([None, wire.append])
    templater = PathTemplater()
    sent = []
    for number, path in enumerate(e.path for e in synthetic_traffic(700, seed=2)):
        decided = templater.observe(path)
        key = ("GET", "", decided.template)
        outbox.route(1, number, number + 10, key, decided)
        sent.append((number, number + 10, key, skeleton_of(decided)))
        if number == 300:
            outbox.keep(1, [key])
    outbox.close()
    assert len(wire) == 5  # 301 routes: one full batch + the rest before `keep`; 399 more
    inbox = Inbox(wire.popleft)
    batches = list(inbox.batches())
    assert [batch.keep is not None for batch in batches] == [False, False, True, False]
    assert batches[2].keep == [sent[300][2]]
    assert [(r.number, r.row, r.key, inbox.skeletons[r.skeleton])
            for batch in batches for r in batch.routes] == sent
    assert len(inbox.keys) == len({key for _, _, key, _ in sent})  # each named once
    assert not wire


def test_a_part_that_stopped_reading_is_skipped() -> None:
    calls = []

    def gone(data: bytes) -> None:
        calls.append(data)
        raise BrokenPipeError("closed")

    outbox = Outbox([None, gone])
    decided = PathTemplater().observe("/a")
    for number in range(routes.BATCH * 2):
        outbox.route(1, number, number, ("GET", "", "/a"), decided)
    outbox.close()
    assert len(calls) == 1 and outbox.stopped == {1}
