"""The "Unmatched requests" page: endpoints that never got a 2xx and that the profile does not
know (a typo, a deliberate 404, a probe), together on one page instead of one nav section
each; and the placeholders every example of the site uses (for the first-requests block)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from docgen.capture.record import basic_user, is_basic
from docgen.infer.model import Endpoint
from docgen.publish import markdown as md
from docgen.publish.curl import curl_command
from docgen.publish.site.endpoint import PageContext, render_operation, summary
from docgen.publish.site.overview import status_table

UNMATCHED_PAGE = "unmatched-requests/index.md"
NAV_TITLE = "Unmatched requests"


def render_unmatched(endpoints: Sequence[tuple[Endpoint, PageContext]]) -> str:
    parts = [f"# {NAV_TITLE}",
             "Requests that never got a successful (2xx) answer and match no documented "
             "endpoint: wrong paths, probes, deliberate errors. They are kept here so nothing "
             "recorded is hidden, but they are not part of the API."]
    for ep, ctx in endpoints:
        parts += [f"## {md.text(ep.method)} {md.text(ep.template)}", summary(ep),
                  status_table(ep, ctx.profile)]
        parts += [render_operation(op, ctx, level=3) for op in ep.operations]
    return "\n\n".join(parts) + "\n"


def placeholders(endpoints: Iterable[Endpoint], base_url: str) -> tuple[list[str], list[str]]:
    """The variables the site's curl examples expect, and the Basic users they were
    recorded with (in order of first appearance)."""
    variables: dict[str, None] = {}
    users: dict[str, None] = {}
    for ep in endpoints:
        for op in ep.operations:
            for ex in op.examples:
                variables.update(dict.fromkeys(curl_command(ex, base_url).variables))
                authorization = ex.header("authorization") or ""
                if is_basic(authorization) and (user := basic_user(authorization)):
                    users.setdefault(user, None)
    return list(variables), list(users)
