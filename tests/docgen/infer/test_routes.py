"""Routes of a split build: what part 0 sends is what the other part rebuilds, exactly."""

from __future__ import annotations

from collections import deque
from pathlib import Path

import pytest

from docgen.capture.importer import read_har
from docgen.capture.synthetic import synthetic_traffic
from docgen.infer import routes
from docgen.infer.config import Config
from docgen.infer.paths import PathTemplater
from docgen.infer.routes import Outbox, received, skeleton_of, templated

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def recorded_paths() -> list[str]:
    paths = [e.path for har in sorted(CORPUS.glob("*.har")) for e in read_har(har)]
    return paths + [e.path for e in synthetic_traffic(600, seed=4)] + [
        "/", "//a//b/", "/a%2Fb/{x}/c", "/über/ümlaut", "/api/v2/me/calls/" + "9" * 32]


@pytest.mark.parametrize("profile", ["generic", "webservices"])
def test_a_rebuilt_templated_is_the_one_part_0_had(profile: str) -> None:
    templater = PathTemplater(Config(profile_name=profile))
    for path in recorded_paths():
        decided = templater.observe(path)
        key = ("GET", "https://h", decided.template)
        assert templated(key, skeleton_of(decided), path) == decided


def test_a_skeleton_for_another_path_is_refused() -> None:
    decided = PathTemplater().observe("/api/v2/me/calls")
    with pytest.raises(ValueError, match="segments"):
        templated(("GET", "", decided.template), skeleton_of(decided), "/api/v2/me")


def test_batches_arrive_in_order_with_endpoints_named_once() -> None:
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
    batches = list(received(wire.popleft))
    assert [batch.keep is not None for batch in batches] == [False, False, True, False]
    assert batches[2].keep == [sent[300][2]]
    assert [tuple(r) for batch in batches for r in batch.routes] == sent
    assert not wire and routes.BATCH == 256


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
