"""The Authentication page: how clients authenticated, the session that followed, what works
without credentials, and a "first requests" block that sets every placeholder the other
examples use (`$PASSWORD`, `$JSESSIONID`, `$CSRF_TOKEN`...).

Everything comes from `ApiModel.session` (docgen.infer.session). Recorded names (cookies,
headers) only reach the shell block when they are plain tokens; anything else is asked for
with `read` instead, so recorded text never becomes shell code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from docgen.capture.record import Exchange, basic_user, is_basic
from docgen.capture.redact import MASK
from docgen.infer.descriptions import SESSION_START, relative_key
from docgen.infer.model import ApiModel
from docgen.infer.profile import PROFILES
from docgen.infer.session_doc import SessionDoc
from docgen.publish import markdown as md
from docgen.publish.curl import curl_command, target_url, variable_name

PAGE = "authentication.md"
NAV_TITLE = "Authentication"
_PLAIN = re.compile(r"[A-Za-z0-9_.-]{1,64}")
SCHEME_NAMES = {"basic": "HTTP Basic (curl -u user:password)", "cookie": "session cookie only",
                "bearer": "Bearer token", "none": "no credentials", "digest": "HTTP Digest",
                "other": "another Authorization scheme"}


def session_sources(doc: SessionDoc) -> dict[str, str]:
    """Placeholder -> the shell command that exports it from the login's jar and headers."""
    sources = {}
    for cookie in doc.cookies:
        if _PLAIN.fullmatch(cookie.name):
            sources[variable_name(cookie.name)] = (
                f"awk '$6 == \"{cookie.name}\" {{print $7}}' jar")
    for header in doc.headers:
        if _PLAIN.fullmatch(header.name):
            name = variable_name(re.sub(r"(?i)^x-", "", header.name))
            sources[name] = (f"tr -d '\\r' < headers | awk 'tolower($1) == "
                             f"\"{header.name.lower()}:\" {{print $2}}'")
    return sources


def login_lines(doc: SessionDoc, base_url: str, users: list[str]) -> list[str]:
    login = doc.login
    if login is None or not is_basic(login.header("authorization") or ""):
        return []
    url = "".join(p for p in target_url(login, base_url) if isinstance(p, str))
    default = users[0] if users else basic_user(login.header("authorization") or "")
    return [
        f"# Who you are (the examples were recorded as {', '.join(users) or default})",
        f"USERNAME=${{USERNAME:-{default}}}",
        '[ -n "${PASSWORD+set}" ] || read -rsp "Password of $USERNAME: " PASSWORD',
        "export USERNAME PASSWORD",
        "# Log in once: the session cookie goes to ./jar, the response headers to ./headers",
        f'curl -sS -o /dev/null -c jar -D headers -u "$USERNAME:$PASSWORD" {url}',
    ]


def first_requests(model: ApiModel, base_url: str, variables: Iterable[str],
                   users: list[str]) -> str:
    """The bash block: log in, then export every placeholder the examples use."""
    doc = model.session or SessionDoc()
    lines = login_lines(doc, base_url, [u for u in users if _PLAIN.fullmatch(u)])
    sources = session_sources(doc) if lines else {}
    wanted = [v for v in dict.fromkeys(variables) if v not in ("USERNAME", "PASSWORD")]
    if any(v in sources for v in wanted):
        lines.append("# The session the other examples ride on")
    asked = []
    for name in wanted:
        if name in sources:
            lines.append(f"export {name}=$({sources[name]})")
        else:
            asked.append(name)
    if not lines and "PASSWORD" in variables:
        asked.insert(0, "PASSWORD")
    for name in asked:
        lines.append(f'[ -n "${{{name}+set}}" ] || read -rsp "{name}: " {name}; export {name}')
    return md.fence("\n".join(lines) or "# The examples need no secrets.", "bash")


def session_start(model: ApiModel) -> Exchange | None:
    """The recorded, accepted request that opens a working session (the profile's
    SESSION_START operation), sent as `$USERNAME:$PASSWORD` like the login."""
    profile = PROFILES.get(model.profile)
    wanted = SESSION_START.get(model.profile)
    if profile is None or wanted is None:
        return None
    method, template, name = wanted
    for ep in model.endpoints:
        if ep.method != method or relative_key(ep.template, profile) != template:
            continue
        for op in ep.operations:
            accepted = [ex for ex in op.examples if 200 <= (ex.status or 0) < 300]
            if op.name == name and accepted:
                # A masked Basic value stands for "your user and password" in curl_command.
                headers = [(key, f"Basic {MASK}" if key.lower() == "authorization" else value)
                           for key, value in accepted[0].request_headers]
                return replace(accepted[0], request_headers=headers)
    return None


def start_section(model: ApiModel, base_url: str) -> list[str]:
    start = session_start(model)
    if start is None:
        return []
    command = curl_command(start, base_url).render()
    name = md.code(SESSION_START[model.profile][2])
    return [f"Agent-state and call operations also need a contact center session: start one "
            f"({name}, recorded) in the same shell:", md.fence(command, "bash")]


def schemes_table(doc: SessionDoc) -> str:
    rows = [[md.text(SCHEME_NAMES.get(kind, kind)), str(count)]
            for kind, count in doc.schemes.items()]
    return md.table(["How requests authenticated", "Requests"], rows)


def counts(table: dict[str, int]) -> str:
    return ", ".join(f"{md.text(key)} &#215;{n}" for key, n in table.items()) or "&#8212;"


def session_rows(doc: SessionDoc) -> list[list[str]]:
    rows = []
    for cookie in doc.cookies:
        rows.append([f"Cookie {md.code(cookie.name)}",
                     f"{cookie.set_count} responses (`Set-Cookie`): "
                     + ", ".join(md.code(where) for where in cookie.set_by),
                     f"{cookie.sent} requests", "&#8212;"])
    for header in doc.headers:
        missing = ", ".join(f"HTTP {status} &#215;{n}" for status, n in header.missing.items())
        rows.append([f"Header {md.code(header.name)}",
                     f"{header.answered} responses ({counts(header.answered_methods)}), "
                     f"e.g. {md.code(header.example)}",
                     f"{header.sent} requests ({counts(header.sent_methods)})",
                     missing or "&#8212;"])
    return rows


def session_section(doc: SessionDoc) -> list[str]:
    if not doc.cookies and not doc.headers:
        return ["No session cookie or session header was recorded: each request carries its "
                "own credentials."]
    return ["Clients sent credentials once; the server answered with these session values, and "
            "later requests sent them back:",
            md.table(["Session value", "Answered in", "Sent back in",
                      "Unsafe requests of a session without it"], session_rows(doc))]


def render_auth(model: ApiModel, base_url: str, variables: Iterable[str],
                users: list[str]) -> str:
    doc = model.session or SessionDoc()
    parts = ["# Authentication and session",
             "What the recorded clients did to be let in, inferred from the traffic."]
    parts += ["## Schemes", schemes_table(doc) if doc.schemes else "Nothing recorded."]
    parts += ["## The session", *session_section(doc)]
    parts.append("## Without authentication")
    if doc.open_endpoints:
        parts.append("These answered 2xx to requests without any credentials:\n\n" + "\n".join(
            f"- {md.code(e.method)} {md.code(e.template)} "
            f"({e.count} {'request' if e.count == 1 else 'requests'})"
            for e in doc.open_endpoints))
    else:
        parts.append("No endpoint answered a request without credentials.")
    parts += ["## First requests",  # the toc's anchor: #first-requests
              "Run these in your shell before the examples: they log in and export every "
              "placeholder the curl examples use. The Python examples read the same names "
              "from the environment, so run them from the same shell.",
              first_requests(model, base_url, variables, users),
              *start_section(model, base_url)]
    return "\n\n".join(parts) + "\n"
