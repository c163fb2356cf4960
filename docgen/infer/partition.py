"""A build split by endpoint between processes, with the same result as one builder.

Part 0 reads every exchange in store order, templates every path (path evidence is global)
and runs the notification and session passes, which need every exchange in order. It folds
into endpoint statistics (schemas, examples, structure notes: the costly half) only the
exchanges of the provisional endpoints it owns, and routes the others to the parts that own
them (docgen.infer.routes), which read just those rows.

Ownership: for the first `warmup` exchanges every part folds every endpoint while part 0
times its folds per endpoint, and the rest of its work per exchange (`WarmupCosts`); then
the endpoints are dealt out costliest first, each to the part with the least work, and
every part drops those it does not own. Endpoints met later go to the least loaded part.
Part 0's work counts its own passes over every exchange; another part's counts reading the
rows it is sent. Which part owns what never changes the model, only how long it takes.

What one builder would share between endpoints is kept comparable: each group remembers its
first exchange (`EndpointStats.arrival`) so the merged groups keep one builder's order, and
identity values are noted with their arrival (`Structure.merge_ordered`); docgen.infer.parallel
runs the parts and merges them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from docgen.capture.record import Exchange, operation_name
from docgen.infer.endpoint_stats import admitted
from docgen.infer.routes import GroupKey, Outbox

if TYPE_CHECKING:
    from docgen.infer.bodyfacts import RecentBodies
    from docgen.infer.paths import Templated

WORK_PER_EXCHANGE = 1024  # an exchange costs about as much as walking 1 KB of body
PASSES_WORK = 400  # part 0, per exchange: reading, templating, notification, session passes
FETCH_WORK = 300  # another part, per exchange routed to it: reading its row
MIN_TIMED = 50  # warm-up exchanges below which timing says too little


def work_of(exchange: Exchange) -> int:
    request, response = exchange.request_body.content, exchange.response_body.content
    return WORK_PER_EXCHANGE + len(request or b"") + len(response or b"")


class Partition:
    """Part 0's decisions among `parts`: which exchanges it folds itself (`owns`), which it
    routes to `outbox`, and, when `operation_field` is set, the operation names of the
    exchanges it routes away (for the notification pass)."""

    def __init__(self, parts: int, outbox: Outbox, operation_field: str = "",
                 warmup: int = 0,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.parts, self.outbox = parts, outbox
        self.operation_field = operation_field
        self.warmup = warmup
        self.seen = 0
        self.costs: WarmupCosts | None = WarmupCosts(clock) if warmup else None
        self.owners: dict[GroupKey, int] = {}
        self.load = [0.0] * parts  # estimated seconds of work given to each part
        self.passes, self.unit = float(PASSES_WORK), 1.0  # seconds (or work units)
        self.names: dict[GroupKey, set[str | None]] = {}  # as EndpointStats.operations keys

    def owns(self, key: GroupKey, exchange: Exchange, decided: Templated, index: int,
             groups: dict[GroupKey, Any]) -> bool:
        """Whether part 0 folds exchange number `index`, filed under `key`; else it is routed
        to its owner. `groups` are part 0's: those of other parts are dropped at the deal."""
        self.seen += 1
        work = work_of(exchange)
        if self.costs is not None:
            if self.seen <= self.warmup:
                self.costs.fold_starts(key, work)
                for part in range(1, self.parts):
                    self.outbox.route(part, index, _row(exchange), key, decided)
                return True
            self._deal(self.costs, groups)
        self.load[0] += self.passes
        owner = self.owners.get(key)
        if owner is None:
            owner = self.owners[key] = self._least_loaded()
        if owner == 0:
            self.load[0] += work * self.unit
            return True
        self.load[owner] += (work + FETCH_WORK) * self.unit
        self.outbox.route(owner, index, _row(exchange), key, decided)
        return False

    def folded(self) -> None:
        """Part 0 has folded the exchange it owns (ModelBuilder.add)."""
        if self.costs is not None and self.seen <= self.warmup:
            self.costs.fold_ends()

    def _least_loaded(self) -> int:
        return self.load.index(min(self.load))

    def _deal(self, costs: WarmupCosts, groups: dict[GroupKey, Any]) -> None:
        self.passes, self.unit, per_key = costs.estimate()
        self.load[0] += self.passes * costs.exchanges
        kept: list[list[GroupKey]] = [[] for _ in range(self.parts)]
        for key in sorted(per_key, key=lambda k: -per_key[k]):
            owner = self.owners[key] = self._least_loaded()
            fetching = costs.routed[key] * FETCH_WORK * self.unit if owner else 0.0
            self.load[owner] += per_key[key] + fetching
            kept[owner].append(key)
            group = groups.pop(key, None) if owner != 0 else None
            if group is not None and self.operation_field:
                self.names[key] = set(group.operations)
        for part in range(1, self.parts):
            self.outbox.keep(part, kept[part])
        self.costs = None

    def operation(self, key: GroupKey, exchange: Exchange, bodies: RecentBodies) -> str | None:
        """The operation the owner files a routed exchange under (the same `admitted` rule
        over the same names), when part 0 needs it; else None."""
        if not self.operation_field:
            return None
        parsed = bodies.facts(exchange.request_body).parsed
        name = operation_name(parsed, self.operation_field)
        names = self.names.setdefault(key, set())
        name = admitted(name, names)
        names.add(name)
        return name


class WarmupCosts:
    """What part 0 measures while it folds every endpoint during the warm-up: its clock
    per endpoint's folds, and the rest (reading, templating, its own passes). Only part 0
    decides who owns what and any owner gives the same model, so timing may steer the deal;
    body sizes (work_of) stand in when the warm-up is too short to time."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.exchanges = 0
        self.work: dict[GroupKey, int] = {}
        self.routed: dict[GroupKey, int] = {}  # exchanges per endpoint
        self.seconds: dict[GroupKey, float] = {}
        self.first = self.last = self.started = 0.0
        self.key: GroupKey | None = None

    def fold_starts(self, key: GroupKey, work: int) -> None:
        self.started = self.clock()
        if not self.exchanges:
            self.first = self.started
        self.exchanges += 1
        self.key = key
        self.work[key] = self.work.get(key, 0) + work
        self.routed[key] = self.routed.get(key, 0) + 1

    def fold_ends(self) -> None:
        if self.key is None:
            return
        self.last = self.clock()
        self.seconds[self.key] = self.seconds.get(self.key, 0.0) + self.last - self.started
        self.key = None

    def estimate(self) -> tuple[float, float, dict[GroupKey, float]]:
        """(part 0's passes per exchange, cost per unit of work, cost per endpoint): in
        seconds when timed, else in work units."""
        folding, units = sum(self.seconds.values()), sum(self.work.values())
        passes = (self.last - self.first - folding) / max(self.exchanges - 1, 1)
        if self.exchanges < MIN_TIMED or folding <= 0 or passes <= 0 or \
                self.seconds.keys() != self.work.keys():
            return float(PASSES_WORK), 1.0, {k: float(v) for k, v in self.work.items()}
        return passes, folding / units, dict(self.seconds)


def _row(exchange: Exchange) -> int:
    if exchange.id is None:
        raise ValueError("a split build routes stored exchanges only")
    return exchange.id
