"""The one bounded memo: the newest `limit` entries always kept, at most a quarter more,
the oldest dropped first, the stored value handed back."""

from __future__ import annotations

from docgen.capture.recent import remember


def test_keeps_the_newest_entries_and_returns_the_value() -> None:
    memo: dict[str, int | None] = {}
    for index in range(10):
        assert remember(memo, f"k{index}", index, 4) == index
    # past 5 (4 and a quarter) the oldest go, down to 4: at k5, k7 and k9
    assert list(memo) == ["k6", "k7", "k8", "k9"]
    assert remember(memo, "none", None, 4) is None  # None is an answer
    assert list(memo) == ["k6", "k7", "k8", "k9", "none"]


def test_the_newest_limit_entries_are_always_there() -> None:
    memo: dict[int, int] = {}
    for index in range(10_000):
        remember(memo, index, index, 100)
        assert len(memo) <= 125
        assert all(recent in memo for recent in range(max(0, index - 99), index + 1))
