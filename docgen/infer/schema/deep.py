"""Nesting beyond `max_depth`: values are cut before genson sees them and documented as
"not inferred" with the limit, so hostile bodies cannot recurse without bound."""

from __future__ import annotations

from typing import Any

from genson.schema.strategies import SchemaStrategy

from docgen.infer.schema.settings import X_DEPTH, settings_of


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
