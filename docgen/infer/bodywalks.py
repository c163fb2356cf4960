"""Walks over a parsed JSON body, each bounded: what inference reads off a body's content.

They run once per distinct body (docgen.infer.bodyfacts caches their answers) or per
schema sample, over every node of it, so setup.py compiles this module with mypyc: the
10,000-flow model takes about a tenth less CPU. It holds functions and one sentinel only,
never a class whose instances are pickled (a compiled class pickles only by declaration);
the callers' modules stay plain Python.

* field paths (`/user/devices[]/id`): a response's shape, for picking examples;
* identity values (`"login": "octocat"`) and a shape signature, for path structure;
* word-like tokens of the raw content (does an answer quote a path segment?);
* a copy with containers below a depth replaced by `DEEP`, for schema inference.
"""

from __future__ import annotations

import re
from typing import Any, Final

from docgen.capture.recent import remember

MAX_PATHS: Final = 400  # field paths walked per body
MAX_PATH_DEPTH: Final = 6
MAX_WALK: Final = 5_000  # JSON nodes walked per body for identity values
MAX_ECHO_BYTES: Final = 256 * 1024
MAX_KNOWN_KEYS: Final = 4096  # keys' verdicts kept (they repeat in every body of a kind)
_IDENTITY_WORDS: Final = frozenset(
    "id key login name slug username handle uuid uid ref sha".split())
_TOKEN: Final = re.compile(r"[A-Za-z0-9_.~-]+")
_KEY_WORD: Final = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_identity_keys: Final[dict[str, bool]] = {}


def field_paths(value: Any) -> frozenset[str]:
    """The field paths of a JSON value ('/user/devices[]/id'), bounded in number and depth."""
    found: set[str] = set()
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack and len(found) < MAX_PATHS:
        node, path, depth = stack.pop()
        if depth >= MAX_PATH_DEPTH:
            continue
        if isinstance(node, dict):
            for key, child in node.items():
                child_path = f"{path}/{key}"
                found.add(child_path)
                stack.append((child, child_path, depth + 1))
        elif isinstance(node, list):
            for child in node[:20]:
                stack.append((child, path + "[]", depth + 1))
    return frozenset(found)


def last_key_word(key: str) -> str:
    """The last word of a field name, lower-cased: `full_name` and `fullName` -> `name`."""
    words = _KEY_WORD.findall(key)
    return str(words[-1]).lower() if words else ""


def is_identity_key(key: str) -> bool:
    """`login`, `full_name`, `node_id`, `objectId`, `key`: fields that name a resource."""
    known = _identity_keys.get(key)
    if known is None:
        known = remember(_identity_keys, key, last_key_word(key) in _IDENTITY_WORDS,
                         MAX_KNOWN_KEYS)
    return known


def identity_values(document: Any) -> list[tuple[str, str]]:
    """(key, value) of string identity fields in a parsed JSON body (bounded walk)."""
    found: list[tuple[str, str]] = []
    stack: list[Any] = [document]
    walked = 0
    while stack and walked < MAX_WALK:
        value = stack.pop()
        walked += 1
        if isinstance(value, dict):
            for key, child in value.items():
                if isinstance(child, str) and 0 < len(child) <= 200 and is_identity_key(key):
                    found.append((key, child))
                elif isinstance(child, (dict, list)):
                    stack.append(child)
        elif isinstance(value, list):
            stack.extend(value)
    return found


def echoed_tokens(content: bytes | None) -> set[str]:
    """Word-like tokens of a response body, to see whether it quotes a path segment."""
    if not content or len(content) > MAX_ECHO_BYTES:
        return set()
    return set(_TOKEN.findall(content.decode("utf-8", "replace")))


def shape_signature(document: Any, depth: int = 2) -> str:
    """A successful JSON body's shape: keys, and keys of nested objects (2 levels)."""
    if isinstance(document, dict):
        if depth == 0:
            return "{}"
        inner = ",".join(f"{k}:{shape_signature(document[k], depth - 1)}" for k in sorted(document))
        return "{" + inner + "}"
    if isinstance(document, list):
        items = [i for i in document if isinstance(i, dict)]
        return "[" + (shape_signature(items[0], depth) if items else "") + "]"
    return "s"


class Deep:
    """Stands in for a container nested deeper than the limit (`DEEP`, the only one)."""


DEEP: Final = Deep()


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
