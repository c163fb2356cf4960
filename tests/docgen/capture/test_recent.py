"""The one bounded memo: newest kept, oldest dropped, the stored value handed back."""

from __future__ import annotations

from docgen.capture.recent import remember


def test_keeps_the_newest_entries_and_returns_the_value() -> None:
    memo: dict[str, int | None] = {}
    for index in range(10):
        assert remember(memo, f"k{index}", index, 3) == index
    assert memo == {"k7": 7, "k8": 8, "k9": 9}
    assert remember(memo, "none", None, 3) is None and "none" in memo  # None is an answer
    assert list(memo) == ["k8", "k9", "none"]
