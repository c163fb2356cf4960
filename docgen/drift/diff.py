"""`wsdoc diff OLD NEW`: a changelog between two recordings or contracts, per endpoint.

Reports endpoints, operations and HTTP statuses added or removed, and for every body
(query string, each operation's request, each response status) the fields added or
removed (only the outermost one when a whole object comes or goes) and the type, format,
enum and required changes of the fields both sides have. Fields of a status or operation
that only one side has are not listed: the status or operation line says it all.

Enums are inferred only with enough evidence, so an enum that exists on one side only is
a matter of sample counts, not of the API: enum changes are reported when both sides
have an enum for the field. Presence counts (`x-wsdoc-seen`) are evidence, not API, and
are never compared. Output is deterministic: endpoints by template then method, then
operation, then what changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from docgen.drift.sides import EndpointView, FieldView, Side, load_side, side_of
from docgen.infer.config import Config
from docgen.infer.model import METHOD_ORDER
from docgen.publish import markdown as md

SUBJECTS = ("endpoint", "operation", "status", "field")
CHANGES_PAGE = "changes.md"  # the site's Changes page (wsdoc build --changes-since OLD)
ACTIONS = {"added": "+", "removed": "-", "changed": "~"}


@dataclass(frozen=True)
class Change:
    endpoint: str  # "GET /api/v2/me"
    subject: str  # endpoint, operation, status or field
    action: str  # added, removed or changed
    operation: str | None = None
    location: str = ""  # "query", "request", "response 200" (fields)
    name: str = ""  # operation name, status, or field path
    detail: str = ""

    def sort_key(self) -> tuple[Any, ...]:
        method, _, template = self.endpoint.partition(" ")
        location = self.location.split(" ")
        rank = (location[0] != "query", location[0] != "request", location[-1])
        return (template, METHOD_ORDER.get(method, 99), method, SUBJECTS.index(self.subject),
                self.operation or "", rank, self.name, list(ACTIONS).index(self.action))

    @property
    def where(self) -> str:
        """'request Dial /destination', 'response 200 /user/id', 'operation SetMuteOn'."""
        if self.subject == "operation":
            return f"operation {self.name}"
        if self.subject == "status":
            return f"status {self.name}" + (f" of {self.operation}" if self.operation else "")
        operation = f" {self.operation}" if self.operation else ""
        return f"{self.location}{operation} {self.name}"


def diff_sides(old: Side, new: Side) -> list[Change]:
    changes: list[Change] = []
    for key in sorted(old.endpoints.keys() - new.endpoints.keys()):
        changes.append(Change(key, "endpoint", "removed"))
    for key in sorted(new.endpoints.keys() - old.endpoints.keys()):
        changes.append(Change(key, "endpoint", "added"))
    for key in sorted(old.endpoints.keys() & new.endpoints.keys()):
        changes += diff_endpoint(old.endpoints[key], new.endpoints[key])
    return sorted(changes, key=Change.sort_key)


def _added_removed(old: set[str], new: set[str]) -> Iterator[tuple[str, str]]:
    for name in sorted(old - new):
        yield "removed", name
    for name in sorted(new - old):
        yield "added", name


def diff_endpoint(old: EndpointView, new: EndpointView) -> list[Change]:
    key = old.key
    changes = [Change(key, "operation", action, name=name)
               for action, name in _added_removed(old.operations, new.operations)]
    changes += [Change(key, "status", action, name=status)
                for action, status in _added_removed(old.statuses, new.statuses)]
    for name in sorted(old.operation_statuses.keys() & new.operation_statuses.keys()):
        changes += [Change(key, "status", action, operation=name, name=status)
                    for action, status in _added_removed(set(old.operation_statuses[name]),
                                                         set(new.operation_statuses[name]))]
    for location in sorted(old.bodies.keys() & new.bodies.keys(), key=str):
        operation, where = location
        for action, path, detail in diff_fields(old.bodies[location], new.bodies[location]):
            changes.append(Change(key, "field", action, operation, where, path, detail))
    return changes


def _ancestors(path: str) -> Iterator[str]:
    """'/a/b[]/c' -> '/a/b[]', '/a/b', '/a'."""
    for index in range(len(path) - 1, 0, -1):
        if path[index] == "/" or path.startswith("[]", index):
            yield path[:index]


def _outermost(paths: set[str]) -> list[str]:
    return sorted(p for p in paths if not any(a in paths for a in _ancestors(p)))


def diff_fields(old: dict[str, FieldView], new: dict[str, FieldView]
                ) -> Iterator[tuple[str, str, str]]:
    for path in _outermost(old.keys() - new.keys()):
        yield "removed", path, old[path].describe()
    for path in _outermost(new.keys() - old.keys()):
        yield "added", path, new[path].describe()
    for path in sorted(old.keys() & new.keys()):
        details = field_changes(old[path], new[path])
        if details:
            yield "changed", path, "; ".join(details)


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def field_changes(old: FieldView, new: FieldView) -> list[str]:
    details = []
    if old.type != new.type:
        details.append(f"type {old.type} -> {new.type}")
    if old.format != new.format:
        details.append(f"format {old.format or 'none'} -> {new.format or 'none'}")
    if old.enum is not None and new.enum is not None:
        gone = [_value(v) for v in old.enum if v not in new.enum]
        came = [_value(v) for v in new.enum if v not in old.enum]
        if came:
            details.append(f"enum values added: {', '.join(came)}")
        if gone:
            details.append(f"enum values removed: {', '.join(gone)}")
    if old.required != new.required:
        details.append("now required" if new.required else "now optional")
    return details


def _side(side: Side) -> str:
    return side.label + (f" ({side.version})" if side.version else "")


def counts(changes: list[Change]) -> str:
    """'1 endpoint added, 0 removed, 2 changed'."""
    added = sum(1 for c in changes if c.subject == "endpoint" and c.action == "added")
    removed = sum(1 for c in changes if c.subject == "endpoint" and c.action == "removed")
    changed = len({c.endpoint for c in changes if c.subject != "endpoint"})
    noun = "endpoint" if added == 1 else "endpoints"
    return f"{added} {noun} added, {removed} removed, {changed} changed"


def to_text(old: Side, new: Side, changes: list[Change]) -> str:
    lines = [f"wsdoc diff: {_side(old)} -> {_side(new)}"]
    for endpoint, group in groupby(changes, key=lambda c: c.endpoint):
        items = list(group)
        head = items[0]
        if head.subject == "endpoint":
            lines += ["", f"{ACTIONS[head.action]} {endpoint} (endpoint {head.action})"]
            continue
        lines += ["", f"~ {endpoint}"]
        lines += [f"  {ACTIONS[c.action]} {c.where}" + (f": {c.detail}" if c.detail else "")
                  for c in items]
    lines += ["", counts(changes) if changes else "no changes"]
    return "\n".join(lines) + "\n"


def _markdown_line(change: Change) -> str:
    verb = change.action.capitalize()
    if change.subject == "field":
        operation = f" of operation {md.span(change.operation)}" if change.operation else ""
        where = f"{md.words(change.location)}{operation} field {md.span(change.name)}"
    elif change.subject == "status":
        operation = f" of operation {md.span(change.operation)}" if change.operation else ""
        where = f"status {md.words(change.name)}{operation}"
    else:
        where = f"operation {md.span(change.name)}"
    detail = change.detail.replace(" -> ", " \u2192 ")
    return f"- **{verb}** {where}" + (f": {md.words(detail)}" if detail else "")


def to_markdown(old: Side, new: Side, changes: list[Change], title: str = "Changes") -> str:
    # Code spans, not HTML entities: the changelog is read as raw text too (terminal, PR).
    parts = [f"# {md.words(title)}",
             f"From {md.span(_side(old))} to {md.span(_side(new))}: "
             f"{counts(changes) if changes else 'no changes'}."]
    for action in ("added", "removed"):
        keys = [c.endpoint for c in changes if c.subject == "endpoint" and c.action == action]
        if keys:
            parts += [f"## Endpoints {action}", "\n".join(f"- {md.span(k)}" for k in keys)]
    for endpoint, group in groupby((c for c in changes if c.subject != "endpoint"),
                                   key=lambda c: c.endpoint):
        parts += [f"## {md.span(endpoint)}", "\n".join(_markdown_line(c) for c in group)]
    return "\n\n".join(parts) + "\n"


def changes_page(old_path: str | Path, new_document: dict[str, Any],
                 config: Config | None = None) -> str:
    """The site's Changes page: OLD (store or OpenAPI file) against this build's OpenAPI."""
    old = load_side(old_path, config)
    new = side_of("this build", new_document)
    return to_markdown(old, new, diff_sides(old, new))
