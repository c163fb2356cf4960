"""Bounded distinct collections: capped example lists and unique names.

Evidence is kept per endpoint, operation and field, so every list of examples must stay
small whatever the traffic; and names made from recorded text (path parameters, schema
component keys, operation ids) must not collide. Both rules are written once, here.
"""

from __future__ import annotations

from collections.abc import Callable, Container, MutableMapping, MutableSequence
from typing import Any, TypeVar

K = TypeVar("K")
V = TypeVar("V")


def add_distinct(items: MutableSequence[Any], value: Any, limit: int) -> bool:
    """Append `value` unless already present or `limit` items are kept; True if added."""
    if len(items) >= limit or value in items:
        return False
    items.append(value)
    return True


def put_distinct(items: MutableMapping[K, V], key: K, value: V, limit: int) -> bool:
    """Keep `value` under `key` unless the key is taken or `limit` keys are kept."""
    if len(items) >= limit or key in items:
        return False
    items[key] = value
    return True


def unique_name(name: str, taken: Container[str],
                variant: Callable[[str, int], str] = lambda base, n: f"{base}{n}") -> str:
    """`name`, or its first variant (`name2`, `name3`, ...) not in `taken`."""
    candidate, counter = name, 1
    while candidate in taken:
        counter += 1
        candidate = variant(name, counter)
    return candidate
