"""HTTP Basic authentication, JSESSIONID sessions and CSRF protection.

The first authenticated request opens a session (`Set-Cookie: JSESSIONID=...`); later
requests may ride the cookie alone. With CSRF on, every GET of a session answers
`X-CSRF-HEADER: X-CSRF-TOKEN` and `X-CSRF-TOKEN: <uuid>`, and POST/PUT/DELETE must send
that token back in `X-CSRF-TOKEN` (else 403, statusCode 3).
"""

from __future__ import annotations

import base64
import binascii
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from gwssim.errors import ACCESS_DENIED, CSRF_MESSAGE, FORBIDDEN, NOT_AUTHENTICATED, ApiError
from gwssim.ids import IdFactory
from gwssim.model import User, World

SESSION_COOKIE = "JSESSIONID"
CSRF_HEADER = "X-CSRF-TOKEN"
UNSAFE_METHODS = frozenset({"POST", "PUT", "DELETE", "PATCH"})
MAX_SESSIONS = 5_000  # the oldest sessions are forgotten beyond this
SESSION_KEY = "gwssim.session"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class HttpSession:
    token: str
    user: User
    csrf_token: str
    is_new: bool = False
    ended: bool = False  # EndContactCenterSession ends the HTTP session too


class SessionStore:
    """Open sessions by cookie value, bounded in number."""

    def __init__(self, ids: IdFactory) -> None:
        self._ids = ids
        self._sessions: OrderedDict[str, HttpSession] = OrderedDict()

    def open(self, user: User) -> HttpSession:
        session = HttpSession(self._ids.session_token(), user, self._ids.csrf_token(), True)
        self._sessions[session.token] = session
        while len(self._sessions) > MAX_SESSIONS:
            self._sessions.popitem(last=False)
        return session

    def find(self, token: str | None) -> HttpSession | None:
        return self._sessions.get(token) if token else None

    def end(self, session: HttpSession) -> None:
        session.ended = True
        self._sessions.pop(session.token, None)


def basic_credentials(header: str) -> tuple[str, str] | None:
    """(user, password) from an `Authorization: Basic ...` header, None when not Basic."""
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise ApiError(NOT_AUTHENTICATED, ACCESS_DENIED) from None
    user_name, _, password = decoded.partition(":")
    return user_name, password


def authenticate(request: web.Request, world: World, store: SessionStore) -> HttpSession:
    """The request's session: from valid Basic credentials, else from the cookie."""
    cookie_session = store.find(request.cookies.get(SESSION_COOKIE))
    header = request.headers.get("Authorization")
    credentials = basic_credentials(header) if header else None
    if credentials is None:
        if cookie_session is None:
            raise ApiError(NOT_AUTHENTICATED, ACCESS_DENIED)
        return cookie_session
    user = world.users_by_name.get(credentials[0])
    if user is None or user.password != credentials[1]:
        raise ApiError(NOT_AUTHENTICATED, ACCESS_DENIED)
    if cookie_session is not None and cookie_session.user is user:
        return cookie_session
    return store.open(user)


def check_csrf(request: web.Request, session: HttpSession) -> None:
    if request.method in UNSAFE_METHODS and request.headers.get(CSRF_HEADER) != session.csrf_token:
        raise ApiError(FORBIDDEN, CSRF_MESSAGE)


def decorate(request: web.Request, response: web.StreamResponse, session: HttpSession,
             csrf: bool) -> None:
    """Session cookie on the first response, CSRF token on every GET."""
    if session.ended:
        response.headers.add("Set-Cookie", f"{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly")
    elif session.is_new:
        response.headers.add("Set-Cookie", f"{SESSION_COOKIE}={session.token}; Path=/; HttpOnly")
        session.is_new = False
    if csrf and request.method == "GET" and not session.ended:
        response.headers["X-CSRF-HEADER"] = CSRF_HEADER
        response.headers[CSRF_HEADER] = session.csrf_token


def current_session(request: web.Request) -> HttpSession:
    session: HttpSession = request[SESSION_KEY]
    return session


def current_user(request: web.Request) -> User:
    return current_session(request).user
