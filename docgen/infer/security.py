"""Security schemes from the traffic: how requests authenticated, never assumed.

Each request is searched for credentials; every one found is a *use* of a scheme, keyed by
a short stable string (so counters merge and the model stays plain data):

    http:basic / http:bearer / http:digest   the `Authorization` scheme
    header:Authorization                     another `Authorization` scheme (`SSWS ...`)
    header:PRIVATE-TOKEN                     a header whose name means a credential
    query:api_key                            a query parameter whose name means one
    cookie:JSESSIONID                        a session cookie

Names are judged by docgen.capture.secretnames (words, not substrings); anti-forgery
tokens (csrf/xsrf) travel beside a credential, they are no scheme. Request signatures
(`X-LC-Sign`) are: they prove the key that signed.
A request with none of these is `none`; an API where no request authenticates has no
scheme at all. The site (authentication page) and OpenAPI (`securitySchemes`, per-operation
`security`) both read `ApiModel.security_schemes` and `Operation.security`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from docgen.capture.record import Exchange
from docgen.capture.secretnames import secret_head, words
from docgen.infer.profile import Profile

NONE = "none"
_NOT_AUTH_HEADS = frozenset({"csrf", "xsrf"})
_NOT_AUTH_HEADERS = frozenset({"cookie", "set-cookie", "authorization", "proxy-authorization"})
_SESSION_WORDS = frozenset({"session", "sessionid", "jsessionid", "phpsessid", "sid"})
_HTTP_SCHEMES = ("basic", "bearer", "digest")


@dataclass(frozen=True)
class SecurityScheme:
    """One way requests authenticated, as OpenAPI describes it."""

    key: str  # "http:basic", "header:PRIVATE-TOKEN", ...
    name: str  # components name: basicAuth, privateTokenHeader, ...
    type: str  # http or apiKey
    scheme: str = ""  # http only
    location: str = ""  # apiKey only: header, query or cookie
    parameter: str = ""  # apiKey only: the header, query or cookie name
    description: str = ""
    requests: int = 0  # requests that carried it

    def openapi(self) -> dict[str, str]:
        if self.type == "http":
            found = {"type": "http", "scheme": self.scheme}
        else:
            found = {"type": "apiKey", "in": self.location, "name": self.parameter}
        if self.description:
            found["description"] = self.description
        return found


def uses(exchange: Exchange, profile: Profile) -> list[str]:
    """The scheme keys of the credentials one request carried ([NONE] when none)."""
    found: list[str] = []
    for name, value in exchange.request_headers:
        lower = name.lower()
        if lower == "authorization":
            scheme = value.strip().split(" ", 1)[0].lower()
            found.append(f"http:{scheme}" if scheme in _HTTP_SCHEMES else f"header:{name}")
        elif lower == "cookie":
            found.extend(f"cookie:{cookie}" for cookie in _session_cookies(value, profile))
        elif lower not in _NOT_AUTH_HEADERS and _is_credential(name):
            found.append(f"header:{name}")
    found.extend(f"query:{name}" for name, value in exchange.query
                 if value and _is_credential(name))
    return list(dict.fromkeys(found)) or [NONE]


@lru_cache(maxsize=4096)  # header and cookie names repeat in every exchange
def _is_credential(name: str) -> bool:
    head = secret_head(name)
    return head is not None and not _NOT_AUTH_HEADS & {head, *words(name)}


def _session_cookies(header: str, profile: Profile) -> list[str]:
    names = []
    for part in header.split(";"):
        name, sep, _ = part.strip().partition("=")
        if not sep:
            continue
        parts = set(words(name))
        if name == profile.session_cookie or parts & _SESSION_WORDS or _is_credential(name):
            names.append(name)
    return names


def scheme_of(key: str, requests: int = 0) -> SecurityScheme:
    """The scheme a use key stands for."""
    kind, _, parameter = key.partition(":")
    if kind == "http":
        return SecurityScheme(key, f"{parameter}Auth", "http", scheme=parameter,
                              requests=requests)
    label = "".join(w.capitalize() for w in words(parameter)) or "Key"
    description = ""
    if kind == "header" and parameter.lower() == "authorization":
        description = "the Authorization header with a scheme of the API's own"
    return SecurityScheme(key, _camel(label) + kind.capitalize(), "apiKey", location=kind,
                          parameter=parameter, description=description, requests=requests)


def _camel(label: str) -> str:
    return re.sub(r"^[A-Z]", lambda m: m.group(0).lower(), label)


def schemes(counts: dict[str, int]) -> list[SecurityScheme]:
    """The schemes of all uses counted over a capture, most used first, `none` left out."""
    ordered = sorted(((k, n) for k, n in counts.items() if k != NONE), key=lambda i: (-i[1], i[0]))
    return [scheme_of(key, count) for key, count in ordered]
