"""Header and query columns: decoded once per distinct text, every row its own list."""

from __future__ import annotations

import pytest

from docgen.capture import rows
from docgen.capture.rows import CorruptRow, _pairs


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
    assert len(rows._PAIRS) == 5
