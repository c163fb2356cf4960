"""Thresholds of schema inference and the `x-wsdoc-*` keywords the strategies write.

`settings_of(strategy)` reaches the settings from any strategy: the node class every
strategy creates children from carries them (`EvidenceSchemaBuilder` makes one per
settings value), so thresholds reach every nesting level without globals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docgen.infer.profile import GENERIC_SHAPES, IdShape

X_SEEN = "x-wsdoc-seen"
X_DEPTH = "x-wsdoc-depth-limit"
X_NOTE = "x-wsdoc-note"
FREE_TEXT_CHARS = 40

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


def settings_of(strategy: Any) -> SchemaSettings:
    """The settings of the builder a strategy belongs to."""
    return strategy.node_class.SETTINGS  # type: ignore[no-any-return]
