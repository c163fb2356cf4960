"""Header and query columns: written as they always were, decoded once per distinct text,
every row its own list."""

from __future__ import annotations

import json
import random

import pytest

from docgen.capture import rows
from docgen.capture.rows import CorruptRow, _pairs, pairs_text


def test_the_same_text_gives_equal_lists_that_are_not_shared() -> None:
    text = '[["Accept", "application/json"], ["X-N", "1"]]'
    first, second = _pairs(text, "request_headers"), _pairs(text, "request_headers")
    assert first == second == [("Accept", "application/json"), ("X-N", "1")]
    first.append(("Changed", "here"))
    assert _pairs(text, "request_headers") == second


@pytest.mark.parametrize("text", ['{"a": 1}', '[["only-one"]]', "not json", '[1, 2]'])
def test_a_corrupt_text_is_an_error_every_time(text: str) -> None:
    for _ in range(2):
        with pytest.raises(CorruptRow, match="query is not a JSON list"):
            _pairs(text, "query")


def test_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rows, "MAX_REMEMBERED_PAIRS", 5)
    monkeypatch.setattr(rows, "_PAIRS", {})
    for index in range(50):
        assert _pairs(f'[["n", "{index}"]]', "query") == [("n", str(index))]
    assert 5 <= len(rows._PAIRS) <= 6  # the newest 5, a quarter more at most


def random_text(rng: random.Random) -> str:
    alphabet = ["a", "Z", "0", " ", '"', "\\", "/", "\n", "\t", "\x00", "\x1f", "\x7f", "é",
                "\u2028", "\ud800", "\udfff", "🎧", "\ufeff"]
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))


def test_pairs_text_is_what_json_dumps_always_wrote() -> None:
    # Stored header and query texts, and the content hashes over them, must not change.
    rng = random.Random(3)
    for _ in range(2000):
        pairs = [(random_text(rng), random_text(rng)) for _ in range(rng.randrange(0, 6))]
        assert pairs_text(pairs) == json.dumps(pairs)
        assert pairs_text([list(pair) for pair in pairs]) == json.dumps(pairs)
    for odd in ([("a", 1)], [("a", None)], [("a", "b", "c")], [("a",)], [["x", ["y"]]]):
        assert pairs_text(odd) == json.dumps(odd)  # type: ignore[arg-type]
