"""A build split by endpoint between processes, with the same result as one builder.

Each part reads every exchange in store order and templates every path (path evidence is
global and cheap), but folds into endpoint statistics only the exchanges of the provisional
endpoints it owns: the costly half (schemas, examples, structure notes) is divided. Every
part decides ownership alike from the same stream, with no messages: a new provisional
endpoint goes to the part that has taken the least work so far.

What one builder would share between endpoints is kept comparable: each group remembers its
first exchange (`EndpointStats.arrival`) so the merged groups keep one builder's order, and
identity values are noted with their arrival (`Structure.merge_ordered`); docgen.infer.parallel
runs the parts and merges them. Part 0 also files
the other parts' exchanges under their operation names, for the notification and session
passes that need every exchange in order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docgen.capture.record import Exchange, operation_name

if TYPE_CHECKING:
    from docgen.infer.bodyfacts import RecentBodies

GroupKey = tuple[str, str, str]  # method, origin, provisional template
WORK_PER_EXCHANGE = 1024  # an exchange costs about as much as walking 1 KB of body


def work_of(exchange: Exchange) -> int:
    request, response = exchange.request_body.content, exchange.response_body.content
    return WORK_PER_EXCHANGE + len(request or b"") + len(response or b"")


class Partition:
    """Part `part` of `parts`: which provisional endpoints it folds (`owns`), and, for
    part 0 when `operation_field` is set, the operation names of the others' exchanges.

    For its first `warmup` exchanges every part folds every endpoint and measures each
    one's work; then the endpoints are dealt out largest first, each to the part with the
    least work (part 0 counted with `extra` per exchange for its own passes), and every
    part drops those it does not own. Endpoints met later go to the least loaded part."""

    def __init__(self, part: int, parts: int, operation_field: str = "",
                 max_operations: int = 100, warmup: int = 0, extra: int = 0) -> None:
        if not 0 <= part < parts:
            raise ValueError(f"part {part} of {parts}")
        self.part, self.parts = part, parts
        self.operation_field = operation_field
        self.max_operations = max_operations
        self.warmup, self.extra = warmup, extra
        self.seen = 0
        self.measured: dict[GroupKey, int] = {}  # work per endpoint during the warm-up
        self.owners: dict[GroupKey, int] = {}
        self.work = [0] * parts
        self.names: dict[GroupKey, set[str | None]] = {}  # as EndpointStats.operations keys

    def owns(self, key: GroupKey, exchange: Exchange, groups: dict[GroupKey, Any]) -> bool:
        """Whether this part folds `exchange`, filed under `key`; `groups` are the builder's,
        from which the endpoints of other parts are dropped when the warm-up ends."""
        self.seen += 1
        self.work[0] += self.extra
        if self.seen <= self.warmup:
            self.measured[key] = self.measured.get(key, 0) + work_of(exchange)
            return True
        if self.measured:
            self._deal(groups)
        owner = self.owners.get(key)
        if owner is None:
            owner = self.owners[key] = self.work.index(min(self.work))
        self.work[owner] += work_of(exchange)
        return owner == self.part

    def _deal(self, groups: dict[GroupKey, Any]) -> None:
        for key in sorted(self.measured, key=lambda k: -self.measured[k]):
            owner = self.owners[key] = self.work.index(min(self.work))
            self.work[owner] += self.measured[key]
            group = groups.pop(key, None) if owner != self.part else None
            if group is not None and self.operation_field:
                self.names[key] = set(group.operations)
        self.measured = {}

    def operation(self, key: GroupKey, exchange: Exchange, bodies: RecentBodies) -> str | None:
        """The operation the owner files a foreign exchange under (EndpointStats._operation_name
        and its cap, replayed), when this part needs it; else None."""
        if not self.operation_field:
            return None
        parsed = bodies.facts(exchange.request_body).parsed
        name = operation_name(parsed, self.operation_field)
        names = self.names.setdefault(key, set())
        if name not in names and len(names) >= self.max_operations:
            name = None
        names.add(name)
        return name
