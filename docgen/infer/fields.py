"""Flatten an inferred schema into documentation rows (`FieldDoc`s and `Param`s).

Paths are JSON-pointer-ish: `/user/devices[]/id`; `[]` means "any item of the array";
a root array's items are `[]`; `~` and `/` inside keys are escaped as `~0` and `~1`.
Presence (`seen`/`total`) is read back from the `x-wsdoc-seen` keyword the schema
strategies put on every property schema.
"""

from __future__ import annotations

from typing import Any

from docgen.infer.model import FieldDoc, Param
from docgen.infer.schema.settings import X_DEPTH, X_NOTE, X_SEEN

JsonSchema = dict[str, Any]


def field_docs(schema: JsonSchema) -> list[FieldDoc]:
    """Every property and non-object array item of a body schema, depth first."""
    docs: list[FieldDoc] = []
    _walk(schema, "", docs)
    return docs


def escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _branches(schema: JsonSchema) -> list[JsonSchema]:
    return list(schema.get("anyOf", [])) or [schema]


def _walk(schema: JsonSchema, path: str, docs: list[FieldDoc]) -> None:
    for branch in _branches(schema):
        required = set(branch.get("required", []))
        for name, child in branch.get("properties", {}).items():
            child_path = f"{path}/{escape(name)}"
            seen, total = parse_seen(child.get(X_SEEN))
            docs.append(to_field(child_path, child, name in required, seen, total))
            _walk(child, child_path, docs)
        items = branch.get("items")
        if isinstance(items, dict):
            item_path = f"{path}[]"
            if type_of(items) != "object":
                docs.append(to_field(item_path, items, False, None, None))
            _walk(items, item_path, docs)


def parse_seen(value: Any) -> tuple[int | None, int | None]:
    """'37/40' -> (37, 40)."""
    if not isinstance(value, str) or "/" not in value:
        return None, None
    seen, _, total = value.partition("/")
    return int(seen), int(total)


def type_of(schema: JsonSchema) -> str:
    """'string', 'integer|null', 'object|array', or 'any'."""
    if "anyOf" in schema:
        return "|".join(dict.fromkeys(type_of(b) for b in schema["anyOf"]))
    kind = schema.get("type")
    if isinstance(kind, list):
        return "|".join(kind)
    return kind or "any"


def _first(schema: JsonSchema, keyword: str) -> Any:
    for branch in _branches(schema):
        if keyword in branch:
            return branch[keyword]
    return None


def to_field(path: str, schema: JsonSchema, required: bool, seen: int | None,
             total: int | None) -> FieldDoc:
    examples: list[Any] = []
    for branch in _branches(schema):
        examples.extend(branch.get("examples", []))
    note = ""
    if _first(schema, X_DEPTH) is not None:
        note = str(_first(schema, "description"))
    elif schema.get(X_NOTE):
        note = str(schema[X_NOTE])
    return FieldDoc(
        path=path, type=type_of(schema), format=_first(schema, "format"),
        enum=_first(schema, "enum"), required=required, seen=seen, total=total,
        examples=examples, note=note,
    )


def clean_schema(schema: JsonSchema) -> JsonSchema:
    """The schema without the x-wsdoc-seen evidence (for parameter schemas)."""
    return {key: value for key, value in schema.items() if key != X_SEEN}


def params_from_object(schema: JsonSchema, location: str) -> list[Param]:
    """Query parameters or headers, inferred as one object per request."""
    params: list[Param] = []
    required = set(schema.get("required", []))
    for name, child in schema.get("properties", {}).items():
        seen, total = parse_seen(child.get(X_SEEN))
        examples = [e for b in _branches(child) for e in b.get("examples", [])]
        params.append(Param(
            name=name, location=location, schema=clean_schema(child),
            required=name in required, seen=seen or 0, total=total or 0, examples=examples,
        ))
    return params
