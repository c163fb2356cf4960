"""Part 0 deals endpoints out by what its clock measured in the warm-up (or body sizes)."""

from __future__ import annotations

from typing import Any

from docgen.capture.record import Body, Exchange
from docgen.infer.partition import PASSES_WORK, Partition, WarmupCosts, work_of
from docgen.infer.routes import GroupKey


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Kept:
    def __init__(self) -> None:
        self.kept: dict[int, list[GroupKey]] = {}

    def route(self, *_: Any) -> None:
        pass

    def keep(self, part: int, keys: list[GroupKey]) -> None:
        self.kept[part] = keys


def exchange(size: int, ident: int) -> Exchange:
    return Exchange("GET", "http", "h", 80, "/x", response_body=Body(b"x" * size), id=ident)


KEYS = [("GET", "", f"/e{n}") for n in range(4)]


def warm_up(clock: Clock, seconds: dict[GroupKey, float], passes: float) -> WarmupCosts:
    costs = WarmupCosts(clock)
    for _ in range(20):
        for key in KEYS:
            clock.now += passes
            costs.fold_starts(key, 2000)
            clock.now += seconds[key] / 20
            costs.fold_ends()
    return costs


def test_costs_are_the_clock_per_endpoint_and_the_rest_per_exchange() -> None:
    clock = Clock()
    seconds = dict(zip(KEYS, (4.0, 1.0, 1.0, 2.0), strict=True))
    passes, unit, per_key = warm_up(clock, seconds, 0.01).estimate()
    assert abs(passes - 0.01) < 1e-9
    assert abs(unit - 8.0 / (80 * 2000)) < 1e-12
    assert per_key.keys() == seconds.keys()
    assert all(abs(per_key[key] - seconds[key]) < 1e-9 for key in KEYS)


def test_an_untimed_warmup_falls_back_to_body_sizes() -> None:
    costs = WarmupCosts(Clock())  # the clock never moves
    for key in KEYS * 20:
        costs.fold_starts(key, 1500)
        costs.fold_ends()
    assert costs.estimate() == (float(PASSES_WORK), 1.0, {key: 30000.0 for key in KEYS})


def test_the_expensive_endpoint_goes_alone_and_part_0_counts_its_passes() -> None:
    clock, kept = Clock(), Kept()
    partition = Partition(3, kept, warmup=80, clock=clock)  # type: ignore[arg-type]
    seconds = dict(zip(KEYS, (6.0, 1.0, 1.0, 1.0), strict=True))
    groups: dict[GroupKey, Any] = {}
    for index in range(80):
        key = KEYS[index % 4]
        clock.now += 0.05  # part 0's own passes: 4 s over the warm-up
        assert partition.owns(key, exchange(976, index + 1), None, index + 1, groups)  # type: ignore[arg-type]
        groups.setdefault(key, object())
        clock.now += seconds[key] / 20
        partition.folded()
    partition.owns(KEYS[0], exchange(976, 81), None, 81, groups)  # type: ignore[arg-type]
    owner = partition.owners
    assert owner[KEYS[0]] != 0 and [owner[key] for key in KEYS].count(owner[KEYS[0]]) == 1
    assert sorted(key for keys in kept.kept.values() for key in keys) == sorted(
        key for key in KEYS if owner[key] != 0)
    assert set(groups) == {key for key in KEYS if owner[key] == 0}
    assert work_of(exchange(976, 1)) == 2000
