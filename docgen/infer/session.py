"""Authentication and the session that follows it, inferred from traffic.

Fed every exchange in the model's single pass (`SessionCollector.add`), it learns:

* which schemes clients used (`auth_kind`: basic, bearer, cookie, none...);
* which cookies the server set (`Set-Cookie`) and clients sent back later;
* which response headers clients echoed as request headers later (Web Services answers
  `X-CSRF-TOKEN` on GETs and wants it back on POSTs), and what unsafe requests without it
  got;
* which endpoints answered 2xx without any credentials;
* the first request that opened a session (Basic in, session cookie out), for the
  "first requests" block of the Authentication page.

Scheme detection is `accumulators.auth_kind` (one small function): when security-scheme
inference lands in its own module, swap that call. Memory is bounded: per header/cookie
name (capped) and per endpoint.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from docgen.capture.record import Exchange
from docgen.infer.accumulators import auth_kind
from docgen.infer.headers import UNDOCUMENTED_RESPONSE
from docgen.infer.model import ApiModel
from docgen.infer.profile import Profile
from docgen.infer.session_doc import OpenEndpoint, SessionCookie, SessionDoc, SessionHeader

MAX_NAMES = 32
MAX_SET_BY = 3
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Headers that travel both ways for other reasons; never a session header.
NOT_SESSION = frozenset({"content-type", "accept", "cache-control", "pragma", "set-cookie",
                         "cookie", "authorization", "expires", "vary", "server"})


def cookie_names(set_cookie: str) -> list[str]:
    """Names set by one `Set-Cookie` value (recorded values are masked; names are kept)."""
    name = set_cookie.split("=", 1)[0].strip()
    return [name] if name and ";" not in name else []


@lru_cache(maxsize=256)  # a client sends the same Cookie header with every request
def sent_cookies(cookie: str) -> tuple[str, ...]:
    """Names of the cookies a `Cookie` header sends (none when it does not parse)."""
    from http.cookies import SimpleCookie  # here, not at start-up: few APIs send cookies

    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(cookie)
    except Exception:  # noqa: BLE001 - recorded text; a bad cookie header is just skipped
        return ()
    return tuple(jar)


class SessionCollector:
    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.schemes: Counter[str] = Counter()
        self.cookies: dict[str, SessionCookie] = {}
        self.answered: dict[str, SessionHeader] = {}  # response header (lower) -> evidence
        self.sent_headers: dict[str, Counter[str]] = {}  # request header (lower) -> methods
        self.missing: dict[str, Counter[int]] = {}
        # (method, provisional template) -> [a raw path, count] of unauthenticated 2xx
        self.open: dict[tuple[str, str], list[str | int]] = {}
        self.login: Exchange | None = None

    def add(self, exchange: Exchange, template: str) -> None:
        kind = auth_kind(exchange, self.profile)
        self.schemes[kind] += 1
        method = exchange.method.upper()
        self._request(exchange, method)
        if exchange.status is None:
            return
        if kind == "none" and 200 <= exchange.status < 300:
            key = (method, template)
            if key in self.open or len(self.open) < 1000:
                entry = self.open.setdefault(key, [exchange.path, 0])
                entry[1] = int(entry[1]) + 1
        self._response(exchange, method, kind)

    def _request(self, exchange: Exchange, method: str) -> None:
        names = {name.lower() for name, _ in exchange.request_headers}
        for name in names:
            if name in self.sent_headers or len(self.sent_headers) < MAX_NAMES * 2:
                counts = self.sent_headers.get(name)
                if counts is None:
                    counts = self.sent_headers[name] = Counter()
                counts[method] += 1
        cookie_header = exchange.header("cookie")
        for cookie in sent_cookies(cookie_header) if cookie_header else ():
            if cookie in self.cookies:
                self.cookies[cookie].sent += 1
        if method in UNSAFE and exchange.status is not None and cookie_header:
            for lower in self.answered:
                if lower not in names:
                    self.missing.setdefault(lower, Counter())[exchange.status] += 1

    def _response(self, exchange: Exchange, method: str, kind: str) -> None:
        for name, value in exchange.response_headers:
            lower = name.lower()
            if lower == "set-cookie":
                self._set_cookie(exchange, method, value, kind)
            elif lower not in NOT_SESSION and lower not in UNDOCUMENTED_RESPONSE:
                if lower not in self.answered and len(self.answered) >= MAX_NAMES:
                    continue
                header = self.answered.setdefault(lower, SessionHeader(name, example=value[:200]))
                header.answered += 1
                header.answered_methods[method] = header.answered_methods.get(method, 0) + 1

    def _set_cookie(self, exchange: Exchange, method: str, value: str, kind: str) -> None:
        for name in cookie_names(value):
            if name not in self.cookies and len(self.cookies) >= MAX_NAMES:
                continue
            cookie = self.cookies.setdefault(name, SessionCookie(name))
            cookie.set_count += 1
            where = f"{method} {exchange.path}"
            if where not in cookie.set_by and len(cookie.set_by) < MAX_SET_BY:
                cookie.set_by.append(where)
            if self.login is None and kind not in ("none", "cookie") and (
                    200 <= (exchange.status or 0) < 300):
                self.login = exchange

    def document(self, template_of: Callable[[str], str]) -> SessionDoc:
        """The session as documented; paths re-templated with the final path evidence."""
        headers = []
        for lower, header in self.answered.items():
            sent = self.sent_headers.get(lower)
            if not sent:
                continue  # answered but never sent back: an ordinary response header
            header.sent = sum(sent.values())
            header.sent_methods = dict(sent.most_common())
            header.missing = dict(sorted(self.missing.get(lower, Counter()).items()))
            headers.append(header)
        cookies = [c for c in self.cookies.values() if c.sent]
        for cookie in cookies:
            cookie.set_by = list(dict.fromkeys(
                f"{where.split(' ', 1)[0]} {template_of(where.split(' ', 1)[1])}"
                for where in cookie.set_by))
        opened: Counter[tuple[str, str]] = Counter()
        for (method, _), (path, count) in self.open.items():
            opened[(method, template_of(str(path)))] += int(count)
        return SessionDoc(
            schemes=dict(self.schemes.most_common()), cookies=cookies, headers=headers,
            open_endpoints=[OpenEndpoint(m, t, n) for (m, t), n in sorted(opened.items())],
            login=self.login)

    def apply(self, model: ApiModel, template_of: Callable[[str], str]) -> ApiModel:
        model.session = self.document(template_of)
        return model
