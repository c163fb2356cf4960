"""One Markdown page per endpoint: parameters, then per operation the request body and one
content tab per HTTP status with the real request (as curl) and the real response."""

from __future__ import annotations

from dataclasses import dataclass

from docgen.infer.model import Endpoint, Operation
from docgen.infer.profile import Profile
from docgen.publish import markdown as md
from docgen.publish.site.examples import response_tab, times
from docgen.publish.site.fields import body_section, param_table
from docgen.publish.site.names import operation_anchor
from docgen.publish.site.notifications import events_section

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
    if ep.path_params:
        parts += ["## Path parameters", param_table(ep.path_params)]
    if ep.query_params:
        parts += ["## Query parameters", param_table(ep.query_params), *query_notes(ep, ctx)]
    named = any(op.name is not None for op in ep.operations)
    for op in ep.operations:
        parts.append(render_operation(op, ctx, level=3 if named else 2))
    return "\n\n".join(p for p in parts if p) + "\n"


def description(ep: Endpoint, ctx: PageContext) -> str:
    if ep.description.strip():
        return ep.description.strip()  # the user's own Markdown, from the sidecar file
    return (f"<em>No description yet: write one in {md.code(ctx.sidecar)} "
            "(kept across rebuilds).</em>")


def summary(ep: Endpoint) -> str:
    statuses = ", ".join(f"{status} &#215;{n}" for status, n in sorted(ep.status_codes.items()))
    lines = [f"- **Recorded requests:** {ep.sample_count}",
             f"- **HTTP status codes:** {statuses or '&#8212;'}"]
    if ep.operation_names:
        lines.append("- **Operations:** " + ", ".join(
            f"[{md.text(name)}](#{operation_anchor(name)})" for name in ep.operation_names))
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
    """Request body, responses per status (tabs) and events of one operation."""
    head = "#" * level
    parts: list[str] = []
    if op.name is not None:
        # An explicit anchor we control, so links in the summary never depend on slugify.
        parts.append(f'<a id="{operation_anchor(op.name)}"></a>\n\n'
                     f"## {md.text(op.name)}")
    elif level > 2:  # beside named operations: requests that named none (or were not JSON)
        parts.append("## Without an operation name")
    if op.description.strip():
        parts.append(op.description.strip())
    parts.append(operation_facts(op))
    if op.responses and min(op.responses) >= 400:
        statuses = ", ".join(str(status) for status in sorted(op.responses))
        parts.append('!!! warning "Never accepted in this capture"\n\n'
                     f"    Every recorded request of this operation was rejected (HTTP {statuses}):"
                     " the server may not support it, or it was only sent in a wrong state.")
    if op.request_headers:
        parts += [f"{head} Request headers", param_table(op.request_headers)]
    if op.request is not None:
        parts += [f"{head} Request body", body_section(op.request)]
    if op.responses:
        parts.append(f"{head} Responses")
        parts += [response_tab(op, status, ctx.base_url, url_limit(ctx), ctx.profile)
                  for status in sorted(op.responses)]
    parts += events_section(op, head)  # notifications that followed it, or why none show
    return "\n\n".join(parts)


def operation_facts(op: Operation) -> str:
    auth = ", ".join(f"{md.text(kind)} &#215;{n}" for kind, n in sorted(op.auth.items()))
    line = f"Recorded {times(op.sample_count)}"
    if auth:
        line += f"; authentication: {auth}"
    if op.failures:
        line += f"; {op.failures} got no response"
    return line + "."
