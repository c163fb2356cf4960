"""Tables and blocks shared by the pages: fields, parameters, schemas, JSON examples.

Every function takes model objects and returns Markdown in which each recorded string went
through docgen.publish.markdown, so the caller can concatenate the result without further care.
"""

from __future__ import annotations

import json
from typing import Any

from docgen.infer.model import BodyDoc, FieldDoc, OutcomeCode, Param
from docgen.publish import markdown as md

MAX_EXAMPLE_CHARS = 20_000  # longer example bodies are cut (the page stays usable)
EXAMPLES_PER_CELL = 3
FIELD_HEADERS = ["Field", "Type", "Format / values", "Required", "Seen", "Example"]
PARAM_HEADERS = ["Name", "Type", "Required", "Seen", "Examples", "Notes"]


def examples_cell(values: list[Any]) -> str:
    shown = [md.code(v if isinstance(v, str) else md.compact_json(v))
             for v in values[:EXAMPLES_PER_CELL]]
    return ", ".join(shown) if shown else "&#8212;"


def format_cell(doc: FieldDoc) -> str:
    parts = []
    if doc.format:
        parts.append(md.text(doc.format))
    if doc.enum:
        parts.append("one of " + ", ".join(md.code(md.compact_json(v)) for v in doc.enum))
    if doc.note:
        parts.append("<em>" + md.text(doc.note) + "</em>")
    return "; ".join(parts) if parts else "&#8212;"


def field_table(fields: list[FieldDoc]) -> str:
    """A table of body fields: path, type, format/enum, required, presence, example."""
    rows = [
        [md.code_cell(f.path), md.cell(f.type), format_cell(f), "yes" if f.required else "no",
         md.cell(f.presence), examples_cell(f.examples)]
        for f in fields
    ]
    return md.table(FIELD_HEADERS, rows)


def schema_type(schema: dict[str, Any]) -> str:
    kind = schema.get("type", "")
    if isinstance(kind, list):
        return "|".join(str(k) for k in kind)
    extra = schema.get("format") or ""
    return f"{kind} ({extra})" if kind and extra else str(kind or "any")


def param_table(params: list[Param]) -> str:
    """Path, query or header parameters with types, examples and how often they were seen."""
    rows = []
    for param in params:
        notes = param.description or (f"shape: {param.shape}" if param.shape else "")
        rows.append([
            md.code_cell(param.name), md.cell(schema_type(param.schema)),
            "yes" if param.required else "no",
            md.cell(f"{param.seen}/{param.total}" if param.total else ""),
            examples_cell(param.examples), md.cell(notes),
        ])
    return md.table(PARAM_HEADERS, rows)


def schema_block(schema: dict[str, Any], indent: str = "") -> str:
    """The raw JSON Schema, collapsed in a `??? note` admonition."""
    fenced = md.fence(md.pretty_json(schema), "json", indent + "    ")
    return f'{indent}??? note "JSON Schema"\n\n{fenced}'


def example_block(value: Any, indent: str = "") -> str:
    """A pretty-printed JSON example in a code block (cut when very long)."""
    text = md.pretty_json(value)
    if len(text) > MAX_EXAMPLE_CHARS:
        text = text[:MAX_EXAMPLE_CHARS] + f"\n... (cut; {len(text)} characters in all)"
    return md.fence(text, "json", indent)


def raw_example_block(content: bytes, content_type: str, indent: str = "") -> str:
    """A non-JSON example body: decoded text when it is text, else a size note."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return f"{indent}<em>{len(content)} bytes of binary {md.text(content_type)}</em>"
    try:
        return example_block(json.loads(text), indent)
    except (ValueError, RecursionError):
        pass
    if len(text) > MAX_EXAMPLE_CHARS:
        text = text[:MAX_EXAMPLE_CHARS] + f"\n... (cut; {len(content)} bytes in all)"
    return md.fence(text, "text", indent)


def body_summary(body: BodyDoc) -> str:
    """One line: samples, content types, and what was not JSON."""
    types = ", ".join(f"{md.code(t)} &#215;{n}" for t, n in sorted(body.content_types.items()))
    noun = "body" if body.samples == 1 else "bodies"
    line = f"{body.samples} {noun}" + (f"; {types}" if types else "")
    if body.non_json and body.non_json.count:
        line += f"; {md.text(body.non_json.note)}"
    return line


def body_section(body: BodyDoc, indent: str = "") -> str:
    """Field table plus collapsed schema for a body (a note when nothing was JSON)."""
    parts = [indent + body_summary(body)]
    if body.fields:
        parts.append(md.indent_block(field_table(body.fields), indent) if indent
                     else field_table(body.fields))
    elif body.schema is not None:
        parts.append(f"{indent}No fields (the body is a scalar or always empty).")
    if body.schema is not None:
        parts.append(schema_block(body.schema, indent))
    return "\n\n".join(parts)


def outcome_table(codes: list[OutcomeCode], field_name: str,
                  meanings: dict[int, str] | None = None) -> str:
    """In-body outcome codes (`statusCode`) with their meanings (the model's, else the
    profile's)."""
    rows = []
    for code in codes:
        known = (meanings or {}).get(code.value, "") if isinstance(code.value, int) else ""
        rows.append([md.code_cell(md.compact_json(code.value)), str(code.count),
                     md.cell(code.meaning or known)])
    return md.table([md.code(field_name or "statusCode"), "Count", "Meaning"], rows)
