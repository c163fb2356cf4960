"""Is a contract valid OpenAPI? Checked before anything is compiled from it.

A contract with an unknown schema type or a dangling `$ref` used to surface as a traceback
from deep inside jsonschema, with exit 1, which CI reads as "breaking drift". Now it is a
contract error: one line naming the place, and exit 2 (`WsdocError`). Exit 1 means drift.

Our own walk comes first, for the mistakes people make by hand, so the message names the
full place (`#/paths/~1a/get/...`): a local `$ref` that points nowhere, a `pattern` that is
not a regular expression. openapi-spec-validator then checks everything else against the
OpenAPI 3.0 / 3.1 schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from docgen.errors import WsdocError
from docgen.infer.fields import escape

Json = dict[str, Any]
MAX_DEPTH = 200  # deeper than any real contract; a cycle of plain dicts can't occur in JSON
# Keys whose values are data (recorded examples, enum values), not OpenAPI objects: a body
# example may well hold a "pattern" or "$ref" field.
DATA_KEYS = frozenset({"example", "examples", "enum", "const", "default"})


def walk(node: Any, where: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Json]]:
    """Every object in the document with its place."""
    if len(where) > MAX_DEPTH:
        return
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            if key not in DATA_KEYS and not str(key).startswith("x-"):
                yield from walk(value, (*where, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, (*where, str(index)))


def place(where: tuple[str, ...]) -> str:
    return "#/" + "/".join(escape(part) for part in where)


def resolves(document: Json, ref: str) -> bool:
    target: Any = document
    for part in ref[2:].split("/") if ref != "#" else []:
        key = part.replace("~1", "/").replace("~0", "~")
        if isinstance(target, dict) and key in target:
            target = target[key]
        elif isinstance(target, list) and key.isdigit() and int(key) < len(target):
            target = target[int(key)]
        else:
            return False
    return True


def hand_written_mistake(document: Json) -> str | None:
    """The first dangling local `$ref` or invalid `pattern`, with its place."""
    for where, node in walk(document):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#") and not resolves(document, ref):
            return f"$ref {ref} points nowhere (at {place(where)})"
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            try:
                re.compile(pattern)
            except re.error as exc:
                return (f"pattern {pattern!r} is not a regular expression: {exc} "
                        f"(at {place((*where, 'pattern'))})")
    return None


def spec_error(document: Json) -> str | None:
    """openapi-spec-validator's first complaint, in one line."""
    from openapi_spec_validator import validate

    try:
        validate(document)  # picks the 3.0 or 3.1 rules from the `openapi` field
    except Exception as exc:  # its error types vary by version; all mean "not valid"
        message = " ".join(str(getattr(exc, "message", exc)).split())[:300]
        at = getattr(exc, "json_path", "")
        return f"{message} (at {at})" if at else message
    return None


def check_contract(document: Json, source: str) -> None:
    """WsdocError (exit 2) when the document is not valid OpenAPI."""
    problem = hand_written_mistake(document) or spec_error(document)
    if problem:
        version = document.get("openapi", "")
        raise WsdocError(f"contract {source} is not valid OpenAPI {version}: {problem}")
