"""Objects: per-property presence counts (`x-wsdoc-seen`), `required` from every sample,
a bound on distinct keys, and no enums on properties that name an identity."""

from __future__ import annotations

import re
from typing import Any

from genson.schema.node import SchemaNode
from genson.schema.strategies import Object

from docgen.infer.schema import current, genson_api
from docgen.infer.schema.genson_api import merge_nodes
from docgen.infer.schema.settings import X_NOTE, X_SEEN, settings_of

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


class EvidenceObject(Object):
    """Objects with per-property presence counts and a bound on distinct keys."""

    def __init__(self, node_class: type[SchemaNode]) -> None:
        super().__init__(node_class)
        self.count = 0
        self.seen: dict[str, int] = {}
        self.overflow: SchemaNode | None = None  # keys beyond max_properties

    def add_object(self, obj: dict[str, Any]) -> None:
        weight = current.STATE[1]  # identical bodies this object stands for
        self.count += weight
        limit = settings_of(self).max_properties
        present = set()
        props = genson_api.properties(self)
        for key, value in obj.items():
            if key in props or len(props) < limit:
                props[key].add_object(value)
                self.seen[key] = self.seen.get(key, 0) + weight
                present.add(key)
            else:
                self._overflow_node().add_object(value)
        known = genson_api.required(self)
        genson_api.set_required(self, present if known is None else known & present)

    def _overflow_node(self) -> SchemaNode:
        if self.overflow is None:
            self.overflow = self.node_class()
        return self.overflow

    def merge(self, other: EvidenceObject) -> None:
        limit = settings_of(self).max_properties
        props = genson_api.properties(self)
        for key, node in genson_api.properties(other).items():
            if key in props:
                merge_nodes(props[key], node)
            elif len(props) < limit:
                props[key] = node
            else:
                merge_nodes(self._overflow_node(), node)
                continue
            self.seen[key] = self.seen.get(key, 0) + other.seen.get(key, 0)
        if other.overflow is not None:
            merge_nodes(self._overflow_node(), other.overflow)
        theirs, mine = genson_api.required(other), genson_api.required(self)
        if theirs is not None:
            genson_api.set_required(self, set(theirs) if mine is None else mine & theirs)
        self.count += other.count

    def to_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "object"}
        props, required = genson_api.properties(self), genson_api.required(self)
        if props:
            schema["properties"] = {
                key: {**self._property_schema(key, node),
                      X_SEEN: f"{self.seen.get(key, 0)}/{self.count}"}
                for key, node in props.items()
            }
        if required:
            schema["required"] = sorted(required)
        if self.overflow is not None:
            schema["additionalProperties"] = self.overflow.to_schema()
            schema[X_NOTE] = (f"more than {settings_of(self).max_properties} distinct keys; "
                              "the rest are summarised in additionalProperties")
        return schema

    @staticmethod
    def _property_schema(key: str, node: SchemaNode) -> dict[str, Any]:
        schema: dict[str, Any] = node.to_schema()
        return without_enum(schema) if names_identity(key) else schema
