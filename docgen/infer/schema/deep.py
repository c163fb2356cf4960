"""Nesting beyond `max_depth`: values are cut before genson sees them (`bounded` in
docgen.infer.bodywalks puts `DEEP` in their place) and documented as "not inferred" with
the limit, so hostile bodies cannot recurse without bound."""

from __future__ import annotations

from typing import Any

from genson.schema.strategies import SchemaStrategy

from docgen.infer.bodywalks import Deep
from docgen.infer.schema.settings import X_DEPTH, settings_of


class DeepValue(SchemaStrategy):
    """Nesting beyond the depth limit: accepted as anything, with a note."""

    KEYWORDS = ("type", "description", X_DEPTH)

    @classmethod
    def match_schema(cls, schema: dict[str, Any]) -> bool:
        return X_DEPTH in schema

    @classmethod
    def match_object(cls, obj: Any) -> bool:
        return isinstance(obj, Deep)

    def to_schema(self) -> dict[str, Any]:
        limit = settings_of(self).max_depth
        return {"description": f"nested deeper than {limit} levels; not inferred",
                X_DEPTH: limit}
