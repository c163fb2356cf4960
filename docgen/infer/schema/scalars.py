"""Evidence strategies for JSON scalars: strings (formats, enums) and numbers (examples).

Registered in `EvidenceSchemaBuilder.EXTRA_STRATEGIES` (docgen.infer.schema.builder);
thresholds come from the `SchemaSettings` carried by the node class (`settings_of`).
"""

from __future__ import annotations

from typing import Any

from genson.schema.node import SchemaNode
from genson.schema.strategies import Number, String

from docgen.infer.distinct import add_distinct
from docgen.infer.formats import FORMAT_NAMES, FORMATS, NEEDS_TWO_VALUES
from docgen.infer.schema import current, genson_api
from docgen.infer.schema.settings import settings_of

EXAMPLE_MAX_CHARS = 120  # longer strings make poor examples in tables
MAX_REQUESTS = 8  # distinct samples remembered per string node (enough to say "several")

def add_example(examples: list[Any], value: Any, limit: int) -> None:
    if not isinstance(value, str) or len(value) <= EXAMPLE_MAX_CHARS:
        add_distinct(examples, value, limit)


class EvidenceString(String):
    """Strings with format narrowing, bounded distinct values (for enums) and examples."""

    def __init__(self, node_class: type[SchemaNode]) -> None:
        super().__init__(node_class)
        self.count = 0
        self.formats: set[str] | None = None  # formats every sample so far matched
        self.values: dict[str, int] | None = {}  # None once an enum is ruled out
        self.examples: list[str] = []
        self.first_value: str | None = None
        self.varied = False  # saw at least two distinct values
        self.samples: set[int] = set()  # bodies (sample ordinals) the values came from

    def add_object(self, obj: str) -> None:
        weight = current.STATE[1]  # identical bodies this value stands for
        self.count += weight
        if self.first_value is None:
            self.first_value = obj
        elif obj != self.first_value:
            self.varied = True
        if self.formats is None:
            self.formats = {name for name, pattern in FORMATS if pattern.fullmatch(obj)}
        elif self.formats:
            self.formats = {name for name, pattern in FORMATS
                            if name in self.formats and pattern.fullmatch(obj)}
        settings = settings_of(self)
        add_example(self.examples, obj, settings.max_examples)
        if len(self.samples) < MAX_REQUESTS:
            self.samples.update(current.ordinals(MAX_REQUESTS - len(self.samples)))
        if self.values is None:
            return
        if obj in self.values:
            self.values[obj] += weight
        elif len(self.values) >= settings.enum_max_distinct or settings.enum_excluded(obj):
            self.values = None
        else:
            self.values[obj] = weight

    def merge(self, other: EvidenceString) -> None:
        settings = settings_of(self)
        self.count += other.count
        self.varied = self.varied or other.varied or (
            None not in (self.first_value, other.first_value)
            and self.first_value != other.first_value)
        if self.first_value is None:
            self.first_value = other.first_value
        if self.formats is None or other.formats is None:
            self.formats = self.formats if other.formats is None else set(other.formats)
        else:
            self.formats &= other.formats
        if self.values is None or other.values is None:
            self.values = None
        else:
            for value, seen in other.values.items():
                self.values[value] = self.values.get(value, 0) + seen
            if len(self.values) > settings.enum_max_distinct:
                self.values = None
        for example in other.examples:
            add_example(self.examples, example, settings.max_examples)
        self.samples = set(list(self.samples | other.samples)[:MAX_REQUESTS])

    def enum(self) -> list[str] | None:
        settings = settings_of(self)
        values = self.values
        if values is None or self.formats or self.count < settings.enum_min_samples:
            return None
        if len(values) > settings.enum_max_distinct or 2 * len(values) > self.count:
            return None
        # One value is no evidence of a closed set (17 copies of one response say "read"
        # 17 times), nor are values all from one body: distinct values, distinct samples.
        if len(values) < 2 or len(self.samples) < 2:
            return None
        return sorted(values)

    def to_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string"}
        shown = [name for name in FORMAT_NAMES if name in (self.formats or ())
                 and (self.varied or name not in NEEDS_TWO_VALUES)]
        if shown:
            schema["format"] = shown[0]
        enum = self.enum()
        if enum is not None:
            schema["enum"] = enum
        if self.examples:
            schema["examples"] = list(self.examples)
        return schema


class EvidenceNumber(Number):
    """Integers and numbers with a few examples."""

    def __init__(self, node_class: type[SchemaNode]) -> None:
        super().__init__(node_class)
        self.examples: list[int | float] = []

    def add_object(self, obj: int | float) -> None:
        super().add_object(obj)
        add_example(self.examples, obj, settings_of(self).max_examples)

    def merge(self, other: EvidenceNumber) -> None:
        if genson_api.number_type(other) == "number":
            genson_api.set_number_type(self, "number")
        for example in other.examples:
            add_example(self.examples, example, settings_of(self).max_examples)

    def to_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": genson_api.number_type(self)}
        if self.examples:
            schema["examples"] = list(self.examples)
        return schema
