"""JSON Schema inference with evidence: a genson `SchemaBuilder` with our own strategies.

What the strategies add to plain genson (registered through `EXTRA_STRATEGIES`):

* objects count how many parent objects had each property; every property schema carries
  `"x-wsdoc-seen": "37/40"`, and `required` lists the ones present in every sample. An
  object with more than `max_properties` distinct keys (a map keyed by ids) folds the rest
  into `additionalProperties`.
* strings get a `format` (date-time, date, uuid, email, uri, ipv4) only when every sample
  matched it (ipv4 also needs two distinct values: "8.5.201.97" may be a version), and an
  `enum` only with enough evidence: at least `enum_min_samples` samples, at most
  `enum_max_distinct` distinct values but at least two, from at least two bodies, each
  value seen twice on average, and no value
  id-shaped, free text (whitespace, or longer than 40 characters) or format-matched.
* a property whose name says it identifies something (`id`, `employeeId`, `userName`,
  `phoneNumber`, `emailAddress`, `uri`...) never gets an enum: reading the same five users
  twice repeats their names, which is no evidence of a closed set of values.
* strings and numbers keep a few distinct `examples`; integer vs number comes from genson.
* `null` beside one other type becomes `"type": ["string", "null"]` (nullable), not anyOf.
* containers nested deeper than `max_depth` are summarised as `{}` with a description.

Builders are mergeable (`merge`) so that evidence gathered under two provisional path
templates can be folded together once path evidence promotes a position to a parameter.

Identical samples are walked once: `add_sample(value, key)` holds a few small samples back
by key (a body's bytes), counts repeats, and walks each distinct one with its count as the
weight (docgen.infer.schema.current), in first-seen order, so the schema is the one a walk
per sample gives. Held samples are few and small, so memory stays flat.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from functools import lru_cache
from typing import Any

from genson import SchemaBuilder  # type: ignore[attr-defined]
from genson.schema.node import SchemaNode

from docgen.infer.bodywalks import bounded
from docgen.infer.schema import current, genson_api
from docgen.infer.schema.arrays import EvidenceList
from docgen.infer.schema.deep import DeepValue
from docgen.infer.schema.genson_api import merge_nodes
from docgen.infer.schema.objects import EvidenceObject
from docgen.infer.schema.scalars import EvidenceNumber, EvidenceString
from docgen.infer.schema.settings import SchemaSettings

MAX_HELD = 32  # distinct samples held back per builder before they are walked
MAX_HELD_SIZE = 16 * 1024  # their summed size (bytes of body); larger samples go straight in


def combine(schemas: list[dict[str, Any]]) -> dict[str, Any]:
    """One schema for a node's strategies; null beside one typed schema means nullable."""
    if not schemas:
        return {}
    if len(schemas) == 1:
        return schemas[0]
    others = [schema for schema in schemas if schema != {"type": "null"}]
    if len(others) == 1 and isinstance(others[0].get("type"), str):
        merged = dict(others[0])
        merged["type"] = [merged["type"], "null"]
        if "enum" in merged:
            merged["enum"] = [*merged["enum"], None]
        return merged
    return {"anyOf": schemas}


class _EvidenceNode(SchemaNode):
    SETTINGS = SchemaSettings()

    def add_object(self, obj: Any) -> SchemaNode:
        # A node mostly sees a type it has seen before: ask its strategies directly, as
        # genson would, without genson's lookup by name ("match_" + kind) per node walked.
        for strategy in genson_api.active_strategies(self):
            if strategy.match_object(obj):
                strategy.add_object(obj)
                return self
        return super().add_object(obj)  # type: ignore[no-any-return]

    def to_schema(self) -> dict[str, Any]:
        return combine([strategy.to_schema()
                        for strategy in genson_api.active_strategies(self)])


class EvidenceSchemaBuilder(SchemaBuilder):
    """A genson builder with evidence strategies; feed parsed JSON with `add_sample`."""

    EXTRA_STRATEGIES = (DeepValue, EvidenceObject, EvidenceList, EvidenceString, EvidenceNumber)

    def __init__(self, settings: SchemaSettings | None = None) -> None:
        super().__init__(schema_uri=None)
        self.settings = settings or SchemaSettings()
        genson_api.set_root(self, _node_class(self.NODE_CLASS, self.settings)())
        self.samples = 0
        self._held: dict[Hashable, list[Any]] = {}  # key -> [sample, repeats], first seen first
        self._held_size = 0

    def add_sample(self, value: Any, key: Hashable | None = None, size: int = 0) -> None:
        """Add one parsed sample. With a `key` that identifies its content (the body's
        bytes), a repeat of a held sample is only counted; `size` bounds what is held."""
        self.samples += 1
        if key is None or size > MAX_HELD_SIZE:
            self._walk_held()
            self._walk(value, 1)
            return
        held = self._held.get(key)
        if held is not None:
            held[1] += 1
            return
        self._held[key] = [value, 1]
        self._held_size += size
        if len(self._held) >= MAX_HELD or self._held_size > MAX_HELD_SIZE:
            self._walk_held()

    def _walk(self, value: Any, weight: int) -> None:
        current.begin_sample(weight)
        self.add_object(bounded(value, self.settings.max_depth))

    def _walk_held(self) -> None:
        held, self._held, self._held_size = self._held, {}, 0
        for value, weight in held.values():
            self._walk(value, weight)

    def merge(self, other: EvidenceSchemaBuilder) -> None:
        self._walk_held()
        other._walk_held()
        self.samples += other.samples
        merge_nodes(genson_api.root(self), genson_api.root(other))

    def schema(self) -> dict[str, Any]:
        """The inferred schema (no `$schema` key)."""
        self._walk_held()
        return genson_api.root(self).to_schema()  # type: ignore[no-any-return]

    def __getstate__(self) -> dict[str, Any]:
        self._walk_held()  # a pickled builder (docgen.infer.summary) holds nothing back
        return self.__dict__


@lru_cache(maxsize=64)
def _node_class(base: type[SchemaNode], settings: SchemaSettings) -> type[SchemaNode]:
    # Strategies create child nodes from their node class, so settings reach every level.
    return type("EvidenceNode", (_EvidenceNode, base), {"SETTINGS": settings})


def reduce_class(obj: Any) -> tuple[Any, ...] | None:
    """How to pickle the classes made at run time (per settings here, per builder class in
    genson), so a builder can be shipped as a per-recorder summary (docgen.infer.summary):
    for a `pickle.Pickler.reducer_override`; None for anything else."""
    if obj is EvidenceSchemaBuilder.NODE_CLASS:
        return (getattr, (EvidenceSchemaBuilder, "NODE_CLASS"))
    if isinstance(obj, type) and issubclass(obj, _EvidenceNode) and obj is not _EvidenceNode:
        return (_node_class, (obj.__bases__[1], obj.SETTINGS))
    return None


def infer_schema(samples: Iterable[Any], settings: SchemaSettings | None = None) -> dict[str, Any]:
    """The schema of some parsed JSON samples (convenience for tests and tools)."""
    builder = EvidenceSchemaBuilder(settings)
    for sample in samples:
        builder.add_sample(sample)
    return builder.schema()
