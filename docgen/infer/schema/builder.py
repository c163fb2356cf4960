"""JSON Schema inference with evidence: a genson `SchemaBuilder` with our own strategies.

What the strategies add to plain genson (registered through `EXTRA_STRATEGIES`):

* objects count how many parent objects had each property; every property schema carries
  `"x-wsdoc-seen": "37/40"`, and `required` lists the ones present in every sample. An
  object with more than `max_properties` distinct keys (a map keyed by ids) folds the rest
  into `additionalProperties`.
* strings get a `format` (date-time, date, uuid, email, uri, ipv4) only when every sample
  matched it (ipv4 also needs two distinct values: "8.5.201.97" may be a version), and an
  `enum` only with enough evidence: at least `enum_min_samples` samples, at most
  `enum_max_distinct` distinct values, each value seen twice on average, and no value
  id-shaped, free text (whitespace, or longer than 40 characters) or format-matched.
* a property whose name says it identifies something (`id`, `employeeId`, `userName`,
  `phoneNumber`, `emailAddress`, `uri`...) never gets an enum: reading the same five users
  twice repeats their names, which is no evidence of a closed set of values.
* strings and numbers keep a few distinct `examples`; integer vs number comes from genson.
* `null` beside one other type becomes `"type": ["string", "null"]` (nullable), not anyOf.
* containers nested deeper than `max_depth` are summarised as `{}` with a description.

Builders are mergeable (`merge`) so that evidence gathered under two provisional path
templates can be folded together once path evidence promotes a position to a parameter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from genson import SchemaBuilder  # type: ignore[attr-defined]
from genson.schema.node import SchemaNode
from genson.schema.strategies import List, Object, SchemaStrategy

from docgen.infer.profile import GENERIC_SHAPES, IdShape
from docgen.infer.schema.scalars import EvidenceNumber, EvidenceString, settings_of

X_SEEN = "x-wsdoc-seen"
X_DEPTH = "x-wsdoc-depth-limit"
X_NOTE = "x-wsdoc-note"
FREE_TEXT_CHARS = 40
# The last word of a property name (camelCase, snake_case or kebab-case) that names an
# identity rather than a state: such values repeat because entities are read repeatedly.
IDENTITY_WORDS = frozenset(
    "id ids uuid guid key name names username number uri url href path email address".split()
)
_NAME_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def names_identity(key: str) -> bool:
    """`employeeId`, `userName`, `e164Number`, `user_id` -> True; `deviceState` -> False."""
    words = _NAME_WORD.findall(key)
    return bool(words) and words[-1].lower() in IDENTITY_WORDS


def without_enum(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema without `enum`, also in anyOf branches and array items (`userNames`)."""
    cleaned = {key: value for key, value in schema.items() if key != "enum"}
    if "anyOf" in cleaned:
        cleaned["anyOf"] = [without_enum(branch) for branch in cleaned["anyOf"]]
    if isinstance(cleaned.get("items"), dict):
        cleaned["items"] = without_enum(cleaned["items"])
    return cleaned


@dataclass(frozen=True)
class SchemaSettings:
    """Thresholds for inference (see docgen.infer.config for the user-facing keys)."""

    enum_min_samples: int = 5
    enum_max_distinct: int = 8
    max_depth: int = 32
    max_examples: int = 3
    max_properties: int = 300
    id_shapes: tuple[IdShape, ...] = GENERIC_SHAPES

    def is_id(self, value: str) -> bool:
        return any(shape.matches(value) for shape in self.id_shapes)

    def enum_excluded(self, value: str) -> bool:
        """Free text and ids never make an enum."""
        return len(value) > FREE_TEXT_CHARS or any(c.isspace() for c in value) or self.is_id(value)


class _Deep:
    """Stands in for a container nested deeper than the limit."""

    __slots__ = ()


DEEP = _Deep()


def bounded(value: Any, max_depth: int, depth: int = 1) -> Any:
    """A copy of parsed JSON whose containers below `max_depth` are replaced by DEEP."""
    if isinstance(value, dict):
        if depth > max_depth:
            return DEEP
        return {key: bounded(item, max_depth, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        if depth > max_depth:
            return DEEP
        return [bounded(item, max_depth, depth + 1) for item in value]
    return value


class DeepValue(SchemaStrategy):
    """Nesting beyond the depth limit: accepted as anything, with a note."""

    KEYWORDS = ("type", "description", X_DEPTH)

    @classmethod
    def match_schema(cls, schema: dict[str, Any]) -> bool:
        return X_DEPTH in schema

    @classmethod
    def match_object(cls, obj: Any) -> bool:
        return isinstance(obj, _Deep)

    def to_schema(self) -> dict[str, Any]:
        limit = settings_of(self).max_depth
        return {"description": f"nested deeper than {limit} levels; not inferred",
                X_DEPTH: limit}


class EvidenceObject(Object):
    """Objects with per-property presence counts and a bound on distinct keys."""

    _required: set[str] | None  # set by genson: keys present in every object so far

    def __init__(self, node_class: type[SchemaNode]) -> None:
        super().__init__(node_class)
        self.count = 0
        self.seen: dict[str, int] = {}
        self.overflow: SchemaNode | None = None  # keys beyond max_properties

    def add_object(self, obj: dict[str, Any]) -> None:
        self.count += 1
        limit = settings_of(self).max_properties
        present = set()
        for key, value in obj.items():
            if key in self._properties or len(self._properties) < limit:
                self._properties[key].add_object(value)
                self.seen[key] = self.seen.get(key, 0) + 1
                present.add(key)
            else:
                self._overflow_node().add_object(value)
        self._required = present if self._required is None else self._required & present

    def _overflow_node(self) -> SchemaNode:
        if self.overflow is None:
            self.overflow = self.node_class()
        return self.overflow

    def merge(self, other: EvidenceObject) -> None:
        limit = settings_of(self).max_properties
        for key, node in other._properties.items():
            if key in self._properties:
                merge_nodes(self._properties[key], node)
            elif len(self._properties) < limit:
                self._properties[key] = node
            else:
                merge_nodes(self._overflow_node(), node)
                continue
            self.seen[key] = self.seen.get(key, 0) + other.seen.get(key, 0)
        if other.overflow is not None:
            merge_nodes(self._overflow_node(), other.overflow)
        if other._required is not None:
            mine = self._required
            self._required = set(other._required) if mine is None else mine & other._required
        self.count += other.count

    def to_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "object"}
        if self._properties:
            schema["properties"] = {
                key: {**self._property_schema(key, node),
                      X_SEEN: f"{self.seen.get(key, 0)}/{self.count}"}
                for key, node in self._properties.items()
            }
        if self._required:
            schema["required"] = sorted(self._required)
        if self.overflow is not None:
            schema["additionalProperties"] = self.overflow.to_schema()
            schema[X_NOTE] = (f"more than {settings_of(self).max_properties} distinct keys; "
                              "the rest are summarised in additionalProperties")
        return schema

    @staticmethod
    def _property_schema(key: str, node: SchemaNode) -> dict[str, Any]:
        schema: dict[str, Any] = node.to_schema()
        return without_enum(schema) if names_identity(key) else schema


class EvidenceList(List):
    """Arrays: all items merged into one item schema (genson's list strategy)."""

    def merge(self, other: EvidenceList) -> None:
        merge_nodes(self._items, other._items)

    def to_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array"}
        if len(self._items):
            schema["items"] = self._items.to_schema()
        return schema


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

    def to_schema(self) -> dict[str, Any]:
        return combine([strategy.to_schema() for strategy in self._active_strategies])


def merge_nodes(target: SchemaNode, source: SchemaNode) -> None:
    """Fold the evidence of `source` into `target` (recursion is bounded by max_depth)."""
    for strategy in source._active_strategies:
        same = next((s for s in target._active_strategies if type(s) is type(strategy)), None)
        if same is None:
            target._active_strategies.append(strategy)
        elif hasattr(same, "merge"):
            same.merge(strategy)


class EvidenceSchemaBuilder(SchemaBuilder):
    """A genson builder with evidence strategies; feed parsed JSON with `add_sample`."""

    EXTRA_STRATEGIES = (DeepValue, EvidenceObject, EvidenceList, EvidenceString, EvidenceNumber)

    def __init__(self, settings: SchemaSettings | None = None) -> None:
        super().__init__(schema_uri=None)
        self.settings = settings or SchemaSettings()
        self._root_node = _node_class(self.NODE_CLASS, self.settings)()
        self.samples = 0

    def add_sample(self, value: Any) -> None:
        self.samples += 1
        self.add_object(bounded(value, self.settings.max_depth))

    def merge(self, other: EvidenceSchemaBuilder) -> None:
        self.samples += other.samples
        merge_nodes(self._root_node, other._root_node)

    def schema(self) -> dict[str, Any]:
        """The inferred schema (no `$schema` key)."""
        return self._root_node.to_schema()  # type: ignore[no-any-return]


@lru_cache(maxsize=64)
def _node_class(base: type[SchemaNode], settings: SchemaSettings) -> type[SchemaNode]:
    # Strategies create child nodes from their node class, so settings reach every level.
    return type("EvidenceNode", (_EvidenceNode, base), {"SETTINGS": settings})


def infer_schema(samples: Iterable[Any], settings: SchemaSettings | None = None) -> dict[str, Any]:
    """The schema of some parsed JSON samples (convenience for tests and tools)."""
    builder = EvidenceSchemaBuilder(settings)
    for sample in samples:
        builder.add_sample(sample)
    return builder.schema()
