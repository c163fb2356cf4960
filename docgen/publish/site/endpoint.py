"""One Markdown page per endpoint, made to be scanned: what it does, an overview table of its
operations, its statuses, its parameters; then per operation the details folded (request
headers and body, one content tab per HTTP status with the real request and response, the
notifications that followed). Operations the server never accepted are listed apart."""

from __future__ import annotations

from dataclasses import dataclass

from docgen.infer.descriptions import endpoint_text
from docgen.infer.model import Endpoint, Operation
from docgen.infer.profile import Profile
from docgen.publish import markdown as md
from docgen.publish.site.examples import TAB, response_tabs, times
from docgen.publish.site.fields import body_section, param_table
from docgen.publish.site.names import operation_anchor
from docgen.publish.site.notifications import events_section
from docgen.publish.site.overview import overview_table, rejected_table, status_table

# What Web Services' filtering parameters do (shared/reference: "Filtering").
WS_QUERY_NOTES = {
    "subresources": "`subresources` adds collections to a user (`/me`, `/users/{id}`): `*` for "
                    "all, or a list such as `skills,devices`; without it they are absent.",
    "fields": "`fields` chooses what a response carries: `*` for every field (collections then "
              "answer an array named after the resource instead of `uris`), or a list such as "
              "`id,userName`. Other query parameters filter by exact field value, also on "
              "subresource fields (`skills.name=Sales`).",
}


@dataclass(frozen=True)
class PageContext:
    """What a page needs besides its endpoint."""

    base_url: str
    profile: Profile | None
    sidecar: str  # the description file to edit, shown when there is no description


def url_limit(ctx: PageContext) -> int:
    return ctx.profile.url_limit if ctx.profile else 0


def render_endpoint(ep: Endpoint, ctx: PageContext) -> str:
    """The whole page for one endpoint."""
    parts = [f"# {md.text(ep.method)} {md.text(ep.template)}", description(ep, ctx),
             summary(ep), *warnings(ep, ctx)]
    if ep.host:  # a capture of several hosts: say which one serves this endpoint
        parts.insert(1, f"Served by {md.code(ep.host)}.")
    named = any(op.name is not None for op in ep.operations)
    discriminator = ctx.profile.discriminator if ctx.profile else ""
    if named:
        parts += ["## Overview", overview_table(ep, discriminator)]
    if ep.status_codes:
        parts += ["## Statuses", status_table(ep, ctx.profile)]
    if ep.path_params:
        parts += ["## Path parameters", param_table(ep.path_params)]
    if ep.query_params:
        parts += ["## Query parameters", param_table(ep.query_params), *query_notes(ep, ctx)]
    accepted = [op for op in ep.operations if not (op.name is not None and op.rejected)]
    if named:
        parts.append("## Operations")
    for op in accepted:
        parts.append(render_operation(op, ctx, level=3 if named else 2))
    if ep.rejected_operations:
        parts += ["## Rejected by the server",
                  "Every recorded request of these operations got an HTTP error: the server may "
                  "not support them, or they were only sent in a wrong state.",
                  rejected_table(ep)]
        parts += [render_operation(op, ctx, level=3) for op in ep.rejected_operations]
    return "\n\n".join(p for p in parts if p) + "\n"


def description(ep: Endpoint, ctx: PageContext) -> str:
    text = ep.description.strip()
    if text and ctx.profile is not None and text == endpoint_text(ep, ctx.profile):
        return (f"{text}\n\n<em>From the {md.text(ctx.profile.name)} profile; write your "
                f"own in {md.code(ctx.sidecar)}.</em>")
    if text:
        return text  # the user's own Markdown, from the sidecar file
    return (f"<em>No description yet: write one in {md.code(ctx.sidecar)} "
            "(kept across rebuilds).</em>")


def summary(ep: Endpoint) -> str:
    statuses = ", ".join(f"{status} &#215;{n}" for status, n in sorted(ep.status_codes.items()))
    lines = [f"- **Recorded requests:** {ep.sample_count}",
             f"- **HTTP status codes:** {statuses or '&#8212;'}"]
    if ep.example_paths:
        lines.append("- **Example paths:** " + ", ".join(md.code(p) for p in ep.example_paths[:3]))
    if ep.is_notifications:
        lines.append("- **Notifications:** this is the asynchronous notifications (CometD) "
                     "endpoint; the outcome of operations arrives here.")
    lines += [f"- {md.text(note)}" for note in ep.notes]
    return "\n".join(lines)


def warnings(ep: Endpoint, ctx: PageContext) -> list[str]:
    limit = url_limit(ctx)
    if not limit or ep.max_url_length <= limit:
        return []
    return [f'!!! warning "Request URL longer than {limit} characters"\n\n'
            f"    The longest recorded request URL here had {ep.max_url_length} characters; "
            f"the server does not accept URLs longer than {limit} characters. Send fewer "
            "`fields`/filters per request, or split the request."]


def query_notes(ep: Endpoint, ctx: PageContext) -> list[str]:
    if ctx.profile is None or ctx.profile.name != "webservices":
        return []
    names = {p.name for p in ep.query_params}
    notes = [text for name, text in WS_QUERY_NOTES.items() if name in names]
    if not notes:
        return []
    body = "\n\n".join(f"    {note}" for note in notes)
    return [f'!!! info "Filtering with subresources and fields"\n\n{body}']


def render_operation(op: Operation, ctx: PageContext, level: int) -> str:
    """What an operation does, then its details: open when it is the endpoint's only one,
    else folded into one block (request, examples per status, notifications)."""
    parts: list[str] = []
    if op.name is not None:
        # An explicit anchor we control, so links in the summary never depend on slugify.
        parts.append(f'<a id="{operation_anchor(op.name)}"></a>\n\n'
                     f"{'#' * level} {md.text(op.name)}")
    elif level > 2:  # beside named operations: requests that named none (or were not JSON)
        parts.append(f"{'#' * level} Without an operation name")
    if op.description.strip():
        parts.append(op.description.strip())
    details = [operation_facts(op)]
    request = []
    if op.request_headers:
        request += ["**Request headers**", param_table(op.request_headers)]
    if op.request is not None:
        request += ["**Request body**", body_section(op.request)]
    if request:
        details.append(folded("abstract", "Request headers and body", request))
    tabs = [tab for status in sorted(op.responses)
            for tab in response_tabs(op, status, ctx.base_url, url_limit(ctx), ctx.profile)]
    if tabs and level == 2:
        details.append("## Responses")
    details += tabs
    events = events_section(op, "####")
    if events:
        details.append(folded("tip", "Notifications", events[1:]))
    if level == 2:
        return "\n\n".join(parts + details)
    statuses = ", ".join(str(status) for status in sorted(op.responses)) or "none"
    title = f"Details: recorded {times(op.sample_count)}, HTTP {statuses}"
    return "\n\n".join([*parts, folded("example", title, details)])


def folded(kind: str, title: str, blocks: list[str]) -> str:
    """A collapsed `???` admonition holding `blocks` (closed until the reader opens it)."""
    return f'??? {kind} "{title}"\n\n' + md.indent_block("\n\n".join(blocks), TAB)


def operation_facts(op: Operation) -> str:
    auth = ", ".join(f"{md.text(kind)} &#215;{n}" for kind, n in sorted(op.auth.items()))
    line = f"Recorded {times(op.sample_count)}"
    if auth:
        line += f"; authentication: {auth}"
    if op.failures:
        line += f"; {op.failures} got no response"
    return line + "."
