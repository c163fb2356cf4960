"""A build split by endpoint between processes, with the same result as one builder.

Part 0 reads every exchange in store order, templates every path (path evidence is global)
and runs the notification and session passes, which need every exchange in order. It folds
into endpoint statistics (schemas, examples, structure notes: the costly half) only the
exchanges of the provisional endpoints it owns, and routes the others to the parts that own
them (docgen.infer.routes), which read just those rows.

Ownership: for the first `warmup` exchanges every part folds every endpoint while part 0
measures each one's work; then the endpoints are dealt out largest first, each to the part
with the least work, and every part drops those it does not own. Endpoints met later go to
the least loaded part. Part 0's work counts its own passes over every exchange; another
part's counts reading the rows it is sent.

What one builder would share between endpoints is kept comparable: each group remembers its
first exchange (`EndpointStats.arrival`) so the merged groups keep one builder's order, and
identity values are noted with their arrival (`Structure.merge_ordered`); docgen.infer.parallel
runs the parts and merges them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docgen.capture.record import Exchange, operation_name
from docgen.infer.routes import GroupKey, Outbox

if TYPE_CHECKING:
    from docgen.infer.bodyfacts import RecentBodies
    from docgen.infer.paths import Templated

WORK_PER_EXCHANGE = 1024  # an exchange costs about as much as walking 1 KB of body
PASSES_WORK = 400  # part 0, per exchange: reading, templating, notification, session passes
FETCH_WORK = 100  # another part, per exchange routed to it: reading its row


def work_of(exchange: Exchange) -> int:
    request, response = exchange.request_body.content, exchange.response_body.content
    return WORK_PER_EXCHANGE + len(request or b"") + len(response or b"")


class Partition:
    """Part 0's decisions among `parts`: which exchanges it folds itself (`owns`), which it
    routes to `outbox`, and, when `operation_field` is set, the operation names of the
    exchanges it routes away (for the notification pass)."""

    def __init__(self, parts: int, outbox: Outbox, operation_field: str = "",
                 max_operations: int = 100, warmup: int = 0) -> None:
        self.parts, self.outbox = parts, outbox
        self.operation_field = operation_field
        self.max_operations = max_operations
        self.warmup = warmup
        self.seen = 0
        self.measured: dict[GroupKey, int] = {}  # work per endpoint during the warm-up
        self.owners: dict[GroupKey, int] = {}
        self.work = [0] * parts
        self.names: dict[GroupKey, set[str | None]] = {}  # as EndpointStats.operations keys

    def owns(self, key: GroupKey, exchange: Exchange, decided: Templated, index: int,
             groups: dict[GroupKey, Any]) -> bool:
        """Whether part 0 folds exchange number `index`, filed under `key`; else it is routed
        to its owner. `groups` are part 0's: those of other parts are dropped at the deal."""
        self.seen += 1
        work = work_of(exchange)
        self.work[0] += PASSES_WORK
        if self.seen <= self.warmup:
            self.measured[key] = self.measured.get(key, 0) + work
            for part in range(1, self.parts):
                self.outbox.route(part, index, _row(exchange), key, decided)
            return True
        if self.measured:
            self._deal(groups)
        owner = self.owners.get(key)
        if owner is None:
            owner = self.owners[key] = self._least_loaded()
        if owner == 0:
            self.work[0] += work
            return True
        self.work[owner] += work + FETCH_WORK
        self.outbox.route(owner, index, _row(exchange), key, decided)
        return False

    def _least_loaded(self) -> int:
        return self.work.index(min(self.work))

    def _deal(self, groups: dict[GroupKey, Any]) -> None:
        kept: list[list[GroupKey]] = [[] for _ in range(self.parts)]
        for key in sorted(self.measured, key=lambda k: -self.measured[k]):
            owner = self.owners[key] = self._least_loaded()
            self.work[owner] += self.measured[key]
            kept[owner].append(key)
            group = groups.pop(key, None) if owner != 0 else None
            if group is not None and self.operation_field:
                self.names[key] = set(group.operations)
        for part in range(1, self.parts):
            self.outbox.keep(part, kept[part])
        self.measured = {}

    def operation(self, key: GroupKey, exchange: Exchange, bodies: RecentBodies) -> str | None:
        """The operation the owner files a routed exchange under (EndpointStats._operation_name
        and its cap, replayed), when part 0 needs it; else None."""
        if not self.operation_field:
            return None
        parsed = bodies.facts(exchange.request_body).parsed
        name = operation_name(parsed, self.operation_field)
        names = self.names.setdefault(key, set())
        if name not in names and len(names) >= self.max_operations:
            name = None
        names.add(name)
        return name


def _row(exchange: Exchange) -> int:
    if exchange.id is None:
        raise ValueError("a split build routes stored exchanges only")
    return exchange.id
