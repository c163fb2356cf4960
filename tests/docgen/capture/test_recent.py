"""The one bounded memo: newest kept, oldest dropped a quarter at a time, the stored value
handed back."""

from __future__ import annotations

from docgen.capture.recent import remember


def test_keeps_the_newest_entries_and_returns_the_value() -> None:
    memo: dict[str, int | None] = {}
    for index in range(10):
        assert remember(memo, f"k{index}", index, 8) == index
    # the ninth store went past 8: the oldest three went, six stayed; then one more came
    assert list(memo) == [f"k{index}" for index in range(3, 10)]
    assert remember(memo, "none", None, 8) is None and "none" in memo  # None is an answer


def test_never_holds_more_than_the_limit() -> None:
    memo: dict[int, int] = {}
    for index in range(10_000):
        remember(memo, index, index, 100)
        assert 75 <= len(memo) <= 100 or index < 100
        assert index in memo
    assert min(memo) > 9_800
