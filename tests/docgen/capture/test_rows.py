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


def a_good_row() -> tuple[object, ...]:
    values = {rows.INT: 1, rows.TEXT: "t", rows.NUMBER: 1.5, rows.MAYBE_NUMBER: None,
              rows.MAYBE_BYTES: b"{}", rows.MAYBE_INT: 200, rows.MAYBE_TEXT: None}
    return tuple(values[kind] for kind in rows.READ_KINDS)


@pytest.mark.parametrize(("kind", "good", "bad"), [
    (rows.INT, [0, True, 2**70], [None, 1.0, "1", b"1"]),
    (rows.TEXT, ["", "é"], [None, b"t", 1]),
    (rows.NUMBER, [1, 1.5], [None, "1.5", b"1"]),
    (rows.MAYBE_NUMBER, [None, 2, 2.5], ["2", b""]),
    (rows.MAYBE_BYTES, [None, b"", b"x"], ["x", 1, bytearray(b"x")]),
    (rows.MAYBE_INT, [None, 404], [404.0, "404"]),
    (rows.MAYBE_TEXT, [None, "boom"], [b"boom", 0]),
])
def test_each_column_kind_takes_what_the_engines_return(kind: int, good: list[object],
                                                         bad: list[object]) -> None:
    column = rows.READ_KINDS.index(kind)
    name = ("id", *rows.READ_COLUMNS)[column]
    row = list(a_good_row())
    for value in good:
        row[column] = value
        rows.check_types(tuple(row))
    for value in bad:
        row[column] = value
        with pytest.raises(CorruptRow, match=f"^{name} holds {type(value).__name__} "):
            rows.check_types(tuple(row))


def test_a_row_of_another_width_is_corrupt() -> None:
    row = a_good_row()
    with pytest.raises(CorruptRow, match=f"^{len(row) - 1} columns, not {len(row)}$"):
        rows.check_types(row[:-1])
    with pytest.raises(CorruptRow, match=f"^{len(row) + 1} columns"):
        rows.check_types((*row, "extra"))
