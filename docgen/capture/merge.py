"""`wsdoc merge`: one store from many (SQLite files or PostgreSQL databases, either way).

The union of the sources' records goes into the target, each record once: two records are
the same when their content hash is (`rows.content_hash`, the one the store's unique index
holds: every stored field but the store's id and the provenance, so the same flow
recorded into two stores, or imported twice, counts once).
The first copy met is kept with its provenance; the target's own records count as met
first. Contract violations found live are copied beside the records they belong to.

Memory: one 16-byte digest per distinct record (a Python set: about 100 bytes each, so
~100 MB per million records); records themselves stream in batches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docgen.capture.record import Exchange
from docgen.capture.rows import content_hash
from docgen.capture.store import Store, insert_exchanges, insert_violations, to_row, transaction
from docgen.errors import WsdocError

BATCH = 500


@dataclass
class SourceCount:
    source: str
    read: int = 0
    added: int = 0
    duplicates: int = 0
    violations: int = 0


@dataclass
class MergeResult:
    target: str
    already: int  # records the target held before
    sources: list[SourceCount] = field(default_factory=list)

    @property
    def added(self) -> int:
        return sum(count.added for count in self.sources)


def merge_stores(sources: Sequence[str | Path], target: str | Path) -> MergeResult:
    """Append every source's records not yet in `target` (created when missing)."""
    if str(target) in {str(source) for source in sources}:
        raise WsdocError(f"the target {target} is also a source")
    with Store(target) as out:
        seen = {content_hash(exchange) for exchange in out.exchanges()}
        result = MergeResult(str(target), len(seen))
        for source in sources:
            with Store(source, readonly=True, allow_empty=True) as opened:
                result.sources.append(_merge_one(opened, out, seen, str(source)))
    return result


def _merge_one(source: Store, out: Store, seen: set[bytes], name: str) -> SourceCount:
    count = SourceCount(name)
    new_ids: dict[int, int] = {}  # source id -> target id, for the violations
    batch: list[Exchange] = []
    for exchange in source.exchanges():
        count.read += 1
        digest = content_hash(exchange)
        if digest in seen:
            count.duplicates += 1
            continue
        seen.add(digest)
        batch.append(exchange)
        if len(batch) >= BATCH:
            _append(out, batch, new_ids)
            batch = []
    if batch:
        _append(out, batch, new_ids)
    count.added = len(new_ids)
    notes = [(new_ids[exchange.id], kind, endpoint, detail)
             for exchange, kind, endpoint, detail in source.violations()
             if exchange.id in new_ids]
    if notes:
        with transaction(out.conn):
            insert_violations(out.conn, notes)
    count.violations = len(notes)
    return count


def _append(out: Store, batch: list[Exchange], new_ids: dict[int, int]) -> None:
    with transaction(out.conn):
        ids = insert_exchanges(out.conn, [to_row(exchange) for exchange in batch])
    for exchange, ident in zip(batch, ids, strict=True):
        new_ids[exchange.id or 0] = ident
