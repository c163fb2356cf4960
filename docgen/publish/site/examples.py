"""Real examples on endpoint pages: one content tab per HTTP status with the recorded request
as a curl command and the recorded response, its outcome code meaning and its fields."""

from __future__ import annotations

import json
from typing import Any

from docgen.capture.record import Exchange
from docgen.infer.model import Operation, ResponseDoc
from docgen.infer.profile import Profile
from docgen.publish import markdown as md
from docgen.publish.curl import BODY_FILE, curl_command
from docgen.publish.site.fields import body_section, example_block, outcome_table, raw_example_block

TAB = "    "  # content of a content tab is indented by four spaces


def times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def example_for(op: Operation, status: int) -> Exchange | None:
    return next((ex for ex in op.examples if ex.status == status), None)


def response_tab(op: Operation, status: int, base_url: str, limit: int,
                 profile: Profile | None) -> str:
    """`=== "200 OK"` with the request, the response and the fields of that status."""
    doc = op.responses[status]
    title = md.text(f"{status} {doc.reason}".strip())
    parts = [f"Seen {times(doc.count)}."]
    if doc.sent_reason:
        parts.append(f"The server's own reason text was {md.code(doc.sent_reason)}.")
    example = example_for(op, status)
    if example is not None:
        parts += [request_block(example, base_url, limit), response_block(example, doc, profile)]
    elif doc.body is not None and doc.body.examples:
        parts += ["Example response:", example_block(doc.body.examples[0])]
    if doc.outcome_codes:
        field, meanings = (profile.outcome_field, profile.outcome_meanings) if profile else (
            "", {})
        parts.append(outcome_table(doc.outcome_codes, field, meanings))
    if doc.body is not None:
        parts += ["**Response body**", body_section(doc.body)]
    return f'=== "{title}"\n\n' + md.indent_block("\n\n".join(parts), TAB)


def request_url_length(ex: Exchange) -> int:
    query = "&".join(f"{k}={v}" for k, v in ex.query)
    return len(ex.url) + (len(query) + 1 if query else 0)


def request_block(ex: Exchange, base_url: str, limit: int) -> str:
    """The recorded request as a runnable curl command, with the variables it expects."""
    command = curl_command(ex, base_url)
    parts = ["**Request**", md.fence(command.render(), "bash")]
    if command.variables:
        names = ", ".join(md.code(f"${name}") for name in command.variables)
        parts.append(f"Secrets were not recorded: set {names} in your shell first.")
    if (BODY_FILE,) in command.words:
        parts.append(f"The request body ({ex.request_body.size} bytes) is not shown here: "
                     f"save it as {md.code(BODY_FILE[1:])} first.")
    length = request_url_length(ex)
    if limit and length > limit:
        parts.append(f'!!! warning "URL of {length} characters"\n\n'
                     f"    This request URL is longer than the {limit} characters the server "
                     "accepts.")
    return "\n\n".join(parts)


def outcome_line(body: Any, doc: ResponseDoc, profile: Profile | None) -> str:
    """'`statusCode` 0: success ...' for the in-body outcome code of one example."""
    if profile is None or not profile.outcome_field or not isinstance(body, dict):
        return ""
    field = profile.outcome_field
    if field not in body:
        return ""
    value = body[field]
    meaning = next((c.meaning for c in doc.outcome_codes if c.value == value and c.meaning), "")
    if not meaning and isinstance(value, int) and not isinstance(value, bool):
        meaning = profile.outcome_meanings.get(value, "")
    shown = f"{md.code(field)} {md.code(md.compact_json(value))}"
    return f"{shown}: {md.text(meaning)}" if meaning else f"{shown}: no documented meaning"


def response_block(ex: Exchange, doc: ResponseDoc, profile: Profile | None) -> str:
    """The recorded response body, pretty-printed, with the meaning of its outcome code."""
    body = ex.response_body
    head = f"**Response** HTTP {ex.status} {md.text(doc.reason)}"
    if body.content_type:
        head += f", {md.code(body.content_type)}"
    if body.content is None:
        note = f"{body.size} bytes, not kept by the recorder" if body.size else "no body"
        return f"{head}: <em>{note}</em>"
    if not body.content:
        return f"{head}: <em>empty body</em>"
    try:
        parsed = json.loads(body.content)
    except (ValueError, RecursionError):
        return f"{head}\n\n{raw_example_block(body.content, body.content_type)}"
    parts = [head, example_block(parsed)]
    if line := outcome_line(parsed, doc, profile):
        parts.append(line)
    return "\n\n".join(parts)
