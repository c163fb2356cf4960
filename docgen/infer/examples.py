"""Which recorded exchanges an operation shows: per status the most informative one, and a
few more with other response shapes.

"Most informative" = the response with the most distinct field paths; on a tie, the request
that asked for the widest view (`fields=*`, `subresources=skills,devices`: more comma-separated
query items, `*` counting as many). A shape is the set of field paths of a response body, so
the `uris` answer and the `fields=*` answer of one collection are two shapes. Bounded: at most
MAX_SHAPES exchanges per status, each shape's paths capped.
"""

from __future__ import annotations

from docgen.capture.record import Exchange

MAX_SHAPES = 3  # exchanges kept per status (the best one, then other shapes)
MAX_STATUSES = 16
WILDCARD_WIDTH = 100  # `fields=*` asks for everything


def query_width(exchange: Exchange) -> int:
    """How wide a view the request asked for: comma-separated query items, `*` many."""
    width = 0
    for _, value in exchange.query:
        items = [item for item in value.split(",") if item]
        width += sum(WILDCARD_WIDTH if item == "*" else 1 for item in items)
    return width


class Candidate:
    def __init__(self, exchange: Exchange, paths: frozenset[str]) -> None:
        self.exchange = exchange
        self.paths = paths
        self.score = (len(paths), query_width(exchange))


class ExamplePicker:
    """Per status: exchanges with distinct response shapes, the most informative first."""

    def __init__(self) -> None:
        self.by_status: dict[int | None, list[Candidate]] = {}

    def add(self, exchange: Exchange, paths: frozenset[str]) -> None:
        """Consider an exchange whose response body has these field paths (`field_paths`)."""
        self._keep(Candidate(exchange, paths))

    def merge(self, other: ExamplePicker) -> None:
        for candidates in other.by_status.values():
            for candidate in candidates:
                self._keep(candidate)

    def _keep(self, candidate: Candidate) -> None:
        status = candidate.exchange.status
        if status not in self.by_status and len(self.by_status) >= MAX_STATUSES:
            return
        kept = self.by_status.setdefault(status, [])
        for index, other in enumerate(kept):
            if other.paths == candidate.paths:  # same shape: the more informative request
                if candidate.score > other.score:
                    kept[index] = candidate
                return
        if len(kept) < MAX_SHAPES:
            kept.append(candidate)
            return
        weakest = min(range(len(kept)), key=lambda i: kept[i].score)
        if candidate.score > kept[weakest].score:  # a new shape that tells more
            kept[weakest] = candidate

    def exchanges(self) -> list[Exchange]:
        """By status (no response last); within a status the most informative first."""
        ordered: list[Exchange] = []
        for status in sorted(self.by_status, key=lambda s: (s is None, s or 0)):
            best = sorted(self.by_status[status], key=lambda c: c.score, reverse=True)
            ordered += [candidate.exchange for candidate in best]
        return ordered
