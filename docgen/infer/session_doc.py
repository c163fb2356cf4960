"""The documented session: how clients authenticated and what carried the session after
(filled by docgen.infer.session, shown by the Authentication page)."""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen.capture.record import Exchange


@dataclass
class SessionCookie:
    """A cookie the server set that later requests sent back."""

    name: str
    set_by: list[str] = field(default_factory=list)  # "GET /api/v2/me" (a few)
    set_count: int = 0  # responses that set it
    sent: int = 0  # requests that sent it back


@dataclass
class SessionHeader:
    """A response header whose value clients sent back as a request header (CSRF token)."""

    name: str
    answered: int = 0  # responses that carried it
    answered_methods: dict[str, int] = field(default_factory=dict)
    sent: int = 0  # requests that sent it
    sent_methods: dict[str, int] = field(default_factory=dict)
    example: str = ""  # a redacted value
    # Unsafe requests (POST, PUT, PATCH, DELETE) of a session without it: status -> count.
    missing: dict[int, int] = field(default_factory=dict)


@dataclass
class OpenEndpoint:
    """An endpoint that answered 2xx to a request without any credentials."""

    method: str
    template: str
    count: int


@dataclass
class SessionDoc:
    """Authentication and the session that follows it, as the traffic showed them."""

    schemes: dict[str, int] = field(default_factory=dict)  # auth kind -> requests
    cookies: list[SessionCookie] = field(default_factory=list)
    headers: list[SessionHeader] = field(default_factory=list)
    open_endpoints: list[OpenEndpoint] = field(default_factory=list)
    login: Exchange | None = None  # the first request that opened a session (redacted)
