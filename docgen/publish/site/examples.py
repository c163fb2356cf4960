"""Real examples on endpoint pages: one content tab per HTTP status (and per further response
shape) with the recorded request, as curl and as Python `requests`, beside the recorded
response (side by side on wide screens: the `wsdoc-request` / `wsdoc-response` admonitions are
laid out by the site's stylesheet), then its outcome code meaning, headers and fields folded."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from typing import Any

from docgen.capture.record import Exchange, decode_basic, read_json
from docgen.capture.redact import MASK
from docgen.infer.model import Operation, ResponseDoc
from docgen.infer.profile import Profile
from docgen.publish import markdown as md
from docgen.publish.curl import BODY_FILE, curl_command
from docgen.publish.python_sample import python_sample
from docgen.publish.site.fields import (
    body_section,
    example_block,
    outcome_table,
    param_table,
    raw_example_block,
)

TAB = "    "  # content of a content tab is indented by four spaces


def times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def examples_for(op: Operation, status: int) -> list[Exchange]:
    """The recorded exchanges of one status, most informative first (other shapes after)."""
    return [ex for ex in op.examples if ex.status == status]


def recorded_only(ex: Exchange, profile: Profile | None) -> str:
    """The id in the path that named something living only while the recording ran ('')."""
    if profile is None:
        return ""
    segments = ex.path.split("/")
    for index, segment in enumerate(segments[1:], start=1):
        if segments[index - 1] in profile.transient_resources and profile.looks_like_id(segment):
            return segment
    return ""


WRONG_PASSWORD = "not-the-password"


def credentials_refused(ex: Exchange, profile: Profile | None) -> bool:
    """The server answered "not authenticated" (401, or the profile's in-body code)."""
    if ex.status == 401:
        return True
    if profile is None or not profile.unauthenticated_codes:
        return False
    body, why = read_json(ex.response_body)
    return not why and isinstance(body, dict) and body.get(
        profile.outcome_field) in profile.unauthenticated_codes


def shown_request(ex: Exchange, profile: Profile | None) -> tuple[Exchange, str]:
    """The exchange as its example shows it, and a note. A masked Basic password that the
    server refused was a wrong one: the example sends a visibly wrong password instead of
    `$PASSWORD` (which would be the reader's right one and get in)."""
    authorization = ex.header("authorization") or ""
    decoded = decode_basic(authorization) or ""
    if not decoded.endswith(":" + MASK) or not credentials_refused(ex, profile):
        return ex, ""
    user = decoded.partition(":")[0]
    wrong = "Basic " + base64.b64encode(f"{user}:{WRONG_PASSWORD}".encode()).decode()
    headers = [(name, wrong if name.lower() == "authorization" else value)
               for name, value in ex.request_headers]
    return replace(ex, request_headers=headers), (
        "The server refused the recorded credentials (not authenticated): this example "
        f"sends a wrong password, {md.code(WRONG_PASSWORD)}, to show that answer.")


def response_tabs(op: Operation, status: int, base_url: str, limit: int,
                  profile: Profile | None) -> list[str]:
    """`=== "200 OK"` (then `=== "200 OK, shape 2"`...) with request, response and fields."""
    doc = op.responses[status]
    title = md.text(f"{status} {doc.reason}".strip())
    examples: list[Exchange | None] = [*examples_for(op, status)] or [None]
    tabs = []
    for number, example in enumerate(examples, start=1):
        label = title if number == 1 else f"{title}, shape {number}"
        parts = [f"Seen {times(doc.count)}." if number == 1 else
                 "Another response shape recorded for this status."]
        if number == 1 and doc.sent_reason:
            parts.append(f"The server's own reason text was {md.code(doc.sent_reason)}.")
        if example is not None:
            parts += [request_block(example, base_url, limit, profile),
                      response_block(example, doc, profile)]
        elif doc.body is not None and doc.body.examples:
            parts += ["Example response:", example_block(doc.body.examples[0])]
        if number == 1:
            parts += status_details(doc, profile)
        tabs.append(f'=== "{label}"\n\n' + md.indent_block("\n\n".join(parts), TAB))
    return tabs


def status_details(doc: ResponseDoc, profile: Profile | None) -> list[str]:
    """Outcome codes, then response headers and body fields folded."""
    parts = []
    if doc.outcome_codes:
        field, meanings = (profile.outcome_field, profile.outcome_meanings) if profile else (
            "", {})
        parts.append(outcome_table(doc.outcome_codes, field, meanings))
    if doc.headers:
        parts.append(f'??? note "Response headers ({len(doc.headers)})"\n\n'
                     + md.indent_block(param_table(doc.headers), TAB))
    if doc.body is not None:
        parts.append('??? note "Response body fields"\n\n'
                     + md.indent_block(body_section(doc.body), TAB))
    return parts


def request_url_length(ex: Exchange) -> int:
    query = "&".join(f"{k}={v}" for k, v in ex.query)
    return len(ex.url) + (len(query) + 1 if query else 0)


def request_block(ex: Exchange, base_url: str, limit: int, profile: Profile | None = None
                  ) -> str:
    """The recorded request as curl and as Python, in a `wsdoc-request` admonition."""
    ex, note = shown_request(ex, profile)
    command = curl_command(ex, base_url)
    parts = [note] if note else []
    if recorded := recorded_only(ex, profile):
        parts.append(f'!!! wsdoc-recorded-id "Recorded id"\n\n    {md.code(recorded)} only '
                     "existed while the recording ran: put the id of a live one in its place.")
    tabs = ['=== "curl"\n\n' + md.indent_block(md.fence(command.render(), "bash"), TAB),
            '=== "Python"\n\n' + md.indent_block(
                md.fence(python_sample(ex, base_url), "python"), TAB)]
    parts.append("\n\n".join(tabs))
    if command.variables:
        names = ", ".join(md.code(f"${name}") for name in command.variables)
        parts.append(f"Secrets were not recorded: set {names} first "
                     "([first requests](../authentication.md#first-requests)).")
    if (BODY_FILE,) in command.words:
        parts.append(f"The request body ({ex.request_body.size} bytes) is not shown here: "
                     f"save it as {md.code(BODY_FILE[1:])} first.")
    length = request_url_length(ex)
    if limit and length > limit:
        parts.append(f'!!! warning "URL of {length} characters"\n\n'
                     f"    This request URL is longer than the {limit} characters the server "
                     "accepts.")
    return '!!! wsdoc-request "Request"\n\n' + md.indent_block("\n\n".join(parts), TAB)


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
    """The recorded response body, pretty-printed, with the meaning of its outcome code, in
    a `wsdoc-response` admonition titled with the status."""
    body = ex.response_body
    status = f"HTTP {ex.status} {md.text(doc.reason)}".strip()
    head = f'!!! wsdoc-response "Response: {status}"'
    parts: list[str] = [f"Content type {md.code(body.content_type)}."] if body.content_type else []
    if body.content is None:
        note = f"{body.size} bytes, not kept by the recorder" if body.size else "no body"
        parts.append(f"<em>{note}</em>")
    elif not body.content:
        parts.append("<em>empty body</em>")
    else:
        try:
            parsed = json.loads(body.content)
        except (ValueError, RecursionError):
            parts.append(raw_example_block(body.content, body.content_type))
        else:
            parts += [example_block(parsed), outcome_line(parsed, doc, profile)]
    inner = "\n\n".join(part for part in parts if part)
    return f"{head}\n\n" + md.indent_block(inner, TAB)
