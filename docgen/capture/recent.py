"""Bounded memos: remember the answers for recent keys, dropping the oldest first.

Captures repeat themselves (the same headers, bodies, paths and hosts thousands of times),
so several passes keep the answer of a costly pure step by its input. Each keeps a plain
dict and stores through `remember`, which is the one place the bound is kept.
"""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def remember(memo: dict[K, V], key: K, value: V, limit: int) -> V:
    """Store `value` under `key` in `memo`, keeping at most `limit` entries (the oldest
    go first, as dicts keep insertion order); returns `value`."""
    memo[key] = value
    while len(memo) > limit:
        del memo[next(iter(memo))]
    return value
