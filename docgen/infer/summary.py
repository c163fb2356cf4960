"""Per-recorder summaries: a `ModelBuilder` fed one recorder's traffic, merged with others'.

Past one database, recorders need not ship raw flows: each folds its own exchanges into a
builder (bounded memory: per endpoint, not per exchange) and ships that; a central step
merges the builders and finishes one model. Everything a builder holds merges:
counts add, schema builders and statistics merge (`EndpointStats.merge`), path evidence
merges (`PathTemplater.merge`), first/last times take min/max. Merging is associative,
so summaries can be combined in any tree (per site, per region, then once more).

What it loses against one builder over all raw flows (docs/SCALING.md measures it):
examples and kept distinct values are "the first k met", so which ones survive depends on
the merge order; notifications are correlated with operations only within one recorder
(the event window needs the raw sequence); and no store holds the flows for a later
re-inference with another config.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Iterable
from typing import Any

from docgen.infer.builder import MAX_HOSTS, MAX_RECORDERS, ModelBuilder
from docgen.infer.descriptions import describe
from docgen.infer.model import ApiModel
from docgen.infer.schema.builder import reduce_class


class _SummaryPickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        return reduce_class(obj) or NotImplemented


def dump_summary(builder: ModelBuilder) -> bytes:
    """A recorder's summary (or a part of a split build, docgen.infer.parallel) as bytes to
    ship (pickle: only between wsdoc's own processes; never load one from an untrusted
    source)."""
    out = io.BytesIO()
    _SummaryPickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(builder)
    return out.getvalue()


def load_summary(data: bytes) -> ModelBuilder:
    builder = pickle.loads(data)
    if not isinstance(builder, ModelBuilder):
        raise TypeError("not a wsdoc summary")
    return builder


def merge_builders(into: ModelBuilder, other: ModelBuilder) -> ModelBuilder:
    """Fold `other` (consumed) into `into` (same config); returns `into`."""
    into.count += other.count
    firsts = [t for t in (into.first, other.first) if t is not None]
    lasts = [t for t in (into.last, other.last) if t is not None]
    into.first, into.last = min(firsts, default=None), max(lasts, default=None)
    _bounded_update(into.origins, other.origins, MAX_HOSTS)
    _bounded_update(into.recorders, other.recorders, MAX_RECORDERS)
    into.server_version = into.server_version or other.server_version
    into.templater.merge(other.templater)
    for key, group in other.groups.items():
        mine = into.groups.get(key)
        if mine is None:
            into.groups[key] = group
        else:
            mine.merge(group)
    return into


def _bounded_update(into: dict[str, int], other: dict[str, int], cap: int) -> None:
    for name, count in other.items():
        if name in into or len(into) < cap:
            into[name] = into.get(name, 0) + count


def model_of_summaries(builders: Iterable[ModelBuilder]) -> ApiModel:
    """One model from per-recorder builders (at least one), merged left to right, with the
    profile's descriptions as build_model gives them (the session and notification passes
    need the raw sequence of exchanges, which summaries do not carry)."""
    merged: ModelBuilder | None = None
    for builder in builders:
        merged = builder if merged is None else merge_builders(merged, builder)
    if merged is None:
        raise ValueError("no summaries to merge")
    return describe(merged.finish())
