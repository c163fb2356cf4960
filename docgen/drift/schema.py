"""Body-level drift: jsonschema errors as drift kinds, and fields the contract never saw.

Two passes over one JSON body and its contract schema:

* `errors_to_findings` turns jsonschema validation errors into drift kinds: `type` ->
  type-changed, `enum`/`const` -> new-enum-value, `required` -> missing-required,
  `format` -> format-changed, anything else -> constraint-violated. Inferred schemas only
  carry an enum when inference had the evidence for one, so a value is a new enum value
  only when the contract has an enum for that field and the value is outside it.
* `FieldWalker` walks body and schema together for what validation cannot see: fields
  the contract does not list (inferred schemas never forbid extra properties), and how
  often each listed property was present (so a field that stopped appearing is noticed).

Field paths use the model's convention: `/user/devices[]/id`, `[]` for any array item.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from jsonschema.exceptions import ValidationError

from docgen.infer.fields import escape

Json = dict[str, Any]
VALUE_CHARS = 60


@dataclass(frozen=True)
class BodyFinding:
    """One problem in one body: a drift kind, where (field path) and what."""

    kind: str
    field: str
    detail: str
    value: str = ""  # a short rendering of the offending value ("" when there is none)


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def short(value: Any) -> str:
    """A one-line JSON rendering cut at VALUE_CHARS characters."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (ValueError, RecursionError):
        text = "?"
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 3] + "..."


def field_path(parts: Iterable[Any]) -> str:
    """('users', 0, 'id') -> '/users[]/id'."""
    return "".join("[]" if isinstance(part, int) else "/" + escape(str(part)) for part in parts)


def _types(schema_type: Any) -> str:
    return "|".join(schema_type) if isinstance(schema_type, list) else str(schema_type)


def errors_to_findings(errors: Iterable[ValidationError]) -> Iterator[BodyFinding]:
    for error in errors:
        yield from _error_findings(error)


def _error_findings(error: ValidationError) -> Iterator[BodyFinding]:
    path = field_path(error.absolute_path)
    keyword, instance = error.validator, error.instance
    if keyword == "type":
        yield BodyFinding("type-changed", path,
                          f"{_types(error.validator_value)} -> {json_type(instance)}",
                          short(instance))
    elif keyword in ("enum", "const"):
        yield BodyFinding("new-enum-value", path, f"new value {short(instance)}", short(instance))
    elif keyword == "required":
        present = instance if isinstance(instance, dict) else {}
        for name in error.validator_value:
            if name not in present:
                yield BodyFinding("missing-required", f"{path}/{escape(str(name))}",
                                  "required field missing")
    elif keyword == "format":
        yield BodyFinding("format-changed", path,
                          f"no longer {error.validator_value}", short(instance))
    elif keyword in ("anyOf", "oneOf") and error.context:
        yield from _branch_findings(error)
    else:
        yield BodyFinding("constraint-violated", path, f"{keyword}: {error.message[:100]}",
                          short(instance))


def _branch_findings(error: ValidationError) -> Iterator[BodyFinding]:
    """anyOf/oneOf: a type change when no branch has the value's type, else the errors of
    the branch that has it."""
    by_branch: dict[Any, list[ValidationError]] = {}
    for sub in error.context or []:
        by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
    wrong_type = {index for index, subs in by_branch.items()
                  if any(s.validator == "type" and not s.relative_path for s in subs)}
    fitting: list[list[ValidationError]] = [
        subs for index, subs in sorted(by_branch.items(), key=lambda kv: str(kv[0]))
        if index not in wrong_type]
    if not fitting:
        expected = [_types(s.validator_value) for subs in by_branch.values() for s in subs
                    if s.validator == "type" and not s.relative_path]
        yield BodyFinding("type-changed", field_path(error.absolute_path),
                          f"{'|'.join(dict.fromkeys(expected))} -> {json_type(error.instance)}",
                          short(error.instance))
        return
    closest = min(fitting, key=len)  # the branch the value fits best
    yield from errors_to_findings(closest)


ObjectSeen = Callable[[str, Json, dict[str, Any]], None]


class FieldWalker:
    """Walks a body with its schema; collects new fields and reports objects it passes."""

    def __init__(self, resolve: Callable[[Any], Any], on_object: ObjectSeen | None = None,
                 max_depth: int = 64) -> None:
        self.resolve = resolve
        self.on_object = on_object
        self.max_depth = max_depth

    def new_fields(self, schema: Any, value: Any) -> list[BodyFinding]:
        found: list[BodyFinding] = []
        self._walk(schema, value, "", found, 0)
        return found

    def _walk(self, schema: Any, value: Any, path: str, found: list[BodyFinding],
              depth: int) -> None:
        if depth > self.max_depth:
            return
        if isinstance(value, dict):
            branch = self._branch(schema, "object")
            if branch is not None:
                self._object(branch, value, path, found, depth)
        elif isinstance(value, list):
            branch = self._branch(schema, "array")
            items = branch.get("items") if branch is not None else None
            if isinstance(items, dict):
                for item in value:
                    self._walk(items, item, path + "[]", found, depth + 1)

    def _object(self, schema: Json, value: dict[str, Any], path: str,
                found: list[BodyFinding], depth: int) -> None:
        declared = schema.get("properties")
        properties: Json = declared if isinstance(declared, dict) else {}
        extra = schema.get("additionalProperties")
        if self.on_object is not None:
            self.on_object(path, schema, value)
        for key, child in value.items():
            child_path = f"{path}/{escape(key)}"
            if key in properties:
                self._walk(properties[key], child, child_path, found, depth + 1)
            elif isinstance(extra, dict):
                self._walk(extra, child, child_path, found, depth + 1)
            elif extra is None:  # `false` is validation's business, `true` allows anything
                found.append(BodyFinding("new-field", child_path,
                                         f"new field ({json_type(child)})", short(child)))

    def _branch(self, schema: Any, kind: str) -> Json | None:
        """The schema (or anyOf/oneOf branch) that describes a value of this JSON kind."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return None
        for key in ("anyOf", "oneOf"):
            if isinstance(schema.get(key), list):
                for branch in schema[key]:
                    resolved = self._branch(branch, kind)
                    if resolved is not None:
                        return resolved
                return None
        declared = schema.get("type")
        kinds = declared if isinstance(declared, list) else [declared]
        if kind in kinds or (kind == "object" and "properties" in schema):
            return schema
        return None
