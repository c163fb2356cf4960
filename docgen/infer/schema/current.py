"""The sample being added to a schema builder: which bodies it stands for.

A sample may stand for several identical bodies (`EvidenceSchemaBuilder` folds repeats of
the same bytes into one walk with a weight), so counting strategies add the weight, not 1,
and a string node learns that its value came from `weight` distinct bodies, each with its
own ordinal. Builders run in one thread; the state is module-level so strategies (built
by genson, which passes them nothing but the value) can read it.
"""

from __future__ import annotations

# [first ordinal of the current sample, its weight, the next free ordinal]; strategies read
# the weight as STATE[1] directly: they run once per JSON value, where a call costs.
STATE = [0, 1, 1]


def begin_sample(weight: int = 1) -> None:
    """Values from now on come from `weight` new bodies (ordinals first..first+weight-1)."""
    first = STATE[2]
    STATE[0], STATE[1], STATE[2] = first, weight, first + weight


def ordinals(limit: int) -> range:
    """The current sample's body ordinals, at most `limit` of them."""
    return range(STATE[0], STATE[0] + min(STATE[1], max(limit, 0)))
