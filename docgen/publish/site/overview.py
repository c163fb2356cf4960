"""The scannable top of an endpoint page: one row per operation (what it does, required body
fields, statuses, notifications), the statuses of the endpoint with their meanings, and the
operations the server never accepted, kept apart."""

from __future__ import annotations

import re

from docgen.infer.model import Endpoint, Operation
from docgen.infer.profile import Profile
from docgen.publish import markdown as md
from docgen.publish.site.names import operation_anchor

MAX_SUMMARY = 160  # characters of a description shown in a table cell
_SENTENCE = re.compile(r"(?<=[.!?])\s")


def first_sentence(text: str) -> str:
    """The first sentence of a description as one table-safe line (the user's Markdown)."""
    line = " ".join(text.strip().split("\n\n", 1)[0].split())
    line = _SENTENCE.split(line, 1)[0] if line else ""
    if len(line) > MAX_SUMMARY:
        line = line[: MAX_SUMMARY - 1].rstrip() + "\u2026"
    return line.replace("|", "&#124;")


def required_fields(op: Operation, discriminator: str) -> str:
    """Request body fields present in every request (the discriminator aside)."""
    if op.request is None:
        return "&#8212;"
    names = [f.path for f in op.request.fields
             if f.required and f.path.strip("/") != discriminator and f.seen is not None]
    return ", ".join(md.code(name) for name in names) or "&#8212;"


def statuses_cell(op: Operation) -> str:
    return ", ".join(f"{status} &#215;{doc.count}" for status, doc in op.responses.items()) \
        or "&#8212;"


def events_cell(op: Operation) -> str:
    kinds = [md.text(event.message_type or event.channel) for event in op.events]
    return ", ".join(dict.fromkeys(kinds)) or "&#8212;"


def operation_link(op: Operation) -> str:
    name = md.text(op.name) if op.name is not None else "(whole endpoint)"
    return f"[{name}](#{operation_anchor(op.name)})" if op.name is not None else name


def overview_table(ep: Endpoint, discriminator: str) -> str:
    rows = [[operation_link(op), first_sentence(op.description) or "&#8212;",
             required_fields(op, discriminator), statuses_cell(op), events_cell(op)]
            for op in ep.operations if not op.rejected]
    return md.table(["Operation", "What it does", "Required body fields", "Statuses",
                     "Notifications"], rows)


def status_meaning(ep: Endpoint, status: int, profile: Profile | None) -> str:
    doc = ep.responses.get(status)
    parts = [md.text(doc.reason)] if doc is not None and doc.reason else []
    if doc is not None and profile is not None and profile.outcome_field:
        for code in doc.outcome_codes:
            meaning = code.meaning or (profile.outcome_meanings.get(code.value, "")
                                       if isinstance(code.value, int) else "")
            parts.append(f"{md.code(profile.outcome_field)} {md.code(md.compact_json(code.value))}"
                         + (f" {md.text(meaning)}" if meaning else "") + f" &#215;{code.count}")
    return "; ".join(parts) or "&#8212;"


def status_table(ep: Endpoint, profile: Profile | None) -> str:
    """Status, count, meaning and the operations that produced it."""
    rows = []
    for status, count in sorted(ep.status_codes.items()):
        producers = [op for op in ep.operations if status in op.responses]
        names = ", ".join(operation_link(op) for op in producers if op.name is not None)
        rows.append([str(status), str(count), status_meaning(ep, status, profile),
                     names or "&#8212;"])
    return md.table(["Status", "Count", "Meaning", "Operations"], rows)


def rejected_table(ep: Endpoint) -> str:
    rows = [[operation_link(op), str(op.sample_count), statuses_cell(op)]
            for op in ep.rejected_operations]
    return md.table(["Operation", "Requests", "Statuses"], rows)
