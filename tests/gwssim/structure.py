"""Structure of JSON bodies, for comparing gwssim's answers with the real server's.

A body's structure is the set of its key paths (`user.devices[].userState.id`), each with its
JSON type; an array contributes the union of its elements' key paths. Identifiers, paths and
uris also have a shape (lowercase UUID, 32 hex digits, T-Server call id...), compared as the
set of shapes seen at that key path; `capabilities` lists are compared as sets of names.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# Leaves whose value shape is compared (the last key of the path).
SHAPED_KEYS = frozenset({"id", "callUuid", "connId", "contactCenterId", "path", "uri",
                         "deviceUri", "voiceEnvironmentUri", "devicePath"})
SHAPES = (
    ("uuid", re.compile(r"[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}")),
    ("UUID", re.compile(r"(?i)[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}")),
    ("hex32", re.compile(r"[0-9a-f]{32}")),
    ("call-id", re.compile(r"[0-9A-Z]{32}")),
    ("hex16", re.compile(r"[0-9a-f]{16}")),
    ("word", re.compile(r"[A-Za-z][A-Za-z0-9_-]*")),
)
_SEGMENT_SPLIT = re.compile(r"/")
_SERVER = re.compile(r"^https?://[^/]+")


@dataclass
class Structure:
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    shapes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    capabilities: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def shape(value: str, segment: bool = False) -> str:
    """The shape of an id, or of a path/uri with each segment replaced by its shape (a
    lowercase word in a path stays itself: `/me/calls/<call-id>` is not `/calls/<call-id>`)."""
    if "/" in value:
        rest = _SERVER.sub("<server>", value)
        return "/".join(shape(part, True) if part and part != "<server>" else part
                        for part in _SEGMENT_SPLIT.split(rest))
    for name, pattern in SHAPES:
        if pattern.fullmatch(value):
            return value if name == "word" and segment and value.islower() else name
    return "other"


def structure(body: Any) -> Structure:
    found = Structure()
    for path, value in _walk(body, ""):
        found.types[path].add(json_type(value))
        last = path.rsplit(".", 1)[-1]
        if isinstance(value, str) and last in SHAPED_KEYS:
            found.shapes[path].add(shape(value))
        if last == "capabilities" and isinstance(value, list):
            found.capabilities[path].update(str(item) for item in value)
    return found


def _walk(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """(key path, value) of every member below value; array elements share `path[]`."""
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else key
            yield child, item
            yield from _walk(item, child)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)):
                yield from _walk(item, f"{path}[]")
            else:
                yield f"{path}[]", item


def differences(real: Any, simulated: Any, skip: tuple[str, ...] = ()) -> list[str]:
    """Every structural difference, each naming its key path; paths under `skip` (free-form
    objects such as userData) are compared only down to their own type."""
    want, got = structure(real), structure(simulated)

    def kept(path: str) -> bool:
        return not any(path.startswith(prefix + ".") or path.startswith(prefix + "[]")
                       for prefix in skip)

    found: list[str] = []
    for path, types in want.types.items():
        if kept(path) and path not in got.types:
            found.append(f"missing {path} ({'/'.join(sorted(types))})")
        elif kept(path) and got.types[path] != types:
            found.append(f"type of {path}: real {sorted(types)}, gwssim {sorted(got.types[path])}")
    found += [f"extra {path}" for path in got.types if path not in want.types and kept(path)]
    for path, shapes in want.shapes.items():
        if kept(path) and path in got.shapes and got.shapes[path] != shapes:
            found.append(f"shape of {path}: real {sorted(shapes)}, "
                         f"gwssim {sorted(got.shapes[path])}")
    return found + _capability_differences(want, got)


def _capability_differences(want: Structure, got: Structure) -> list[str]:
    found: list[str] = []
    for path, names in want.capabilities.items():
        offered = got.capabilities.get(path, set())
        found += [f"missing capability {name} in {path}" for name in sorted(names - offered)]
        found += [f"extra capability {name} in {path}" for name in sorted(offered - names)]
    return found
