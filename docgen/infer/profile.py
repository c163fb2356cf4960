"""API conventions in one place: Web Services (`/api/v2`) and a generic JSON API profile.

A profile tells inference what it cannot learn from traffic alone: which leading path
segments are a base path, which id shapes exist, which body field picks an operation,
what in-body outcome codes mean, and where asynchronous notifications arrive.
Facts come from shared/reference/web-services-api.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote


@dataclass(frozen=True)
class IdShape:
    """A value shape that marks a path segment (or a string) as an identifier."""

    name: str
    pattern: re.Pattern[str]
    description: str
    schema: tuple[tuple[str, str], ...] = ()  # extra JSON Schema keywords for a path param

    def matches(self, value: str) -> bool:
        return self.pattern.fullmatch(value) is not None


def _shape(name: str, regex: str, description: str, **schema: str) -> IdShape:
    return IdShape(name, re.compile(regex), description, tuple(schema.items()))


INTEGER = _shape("integer", r"\d+", "an integer", pattern=r"^\d+$")
UUID = _shape("uuid", r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}", "a UUID",
              format="uuid")
HEX32 = _shape("hex32", r"[0-9a-fA-F]{32}", "32 hex digits", pattern=r"^[0-9a-fA-F]{32}$")
# Upper-case letters and digits with at least one digit, so a shouted 32-letter word is not one.
CALL_ID = _shape("call-id", r"(?=[A-Z]*\d)[0-9A-Z]{32}", "32 upper-case letters and digits",
                 pattern=r"^[0-9A-Z]{32}$")
EMAIL = _shape("email", r"[^@/\s]+@[^@/\s]+\.[^@/\s]+", "an email address", format="email")
DATE = _shape("date", r"\d{4}-\d{2}-\d{2}", "a date", format="date")
# Long tokens mixing letters and digits: session ids, hashes, base64url keys.
TOKEN = _shape("token", r"(?=[^/]*[A-Za-z])(?=[^/]*\d)[A-Za-z0-9._~-]{16,}",
               "a token of 16+ characters mixing letters and digits")

# Fixed-length shapes come before INTEGER, so an all-digit 32-character id (the zero id
# 00000000000000000000000000000000) keeps the shape of its neighbours: hex32, not integer.
GENERIC_SHAPES: tuple[IdShape, ...] = (UUID, HEX32, CALL_ID, INTEGER, EMAIL, DATE, TOKEN)

WS_SHAPES: tuple[IdShape, ...] = (
    _shape("uuid", UUID.pattern.pattern, "a UUID (device, skill, contact center id)",
           format="uuid"),
    _shape("hex32", HEX32.pattern.pattern, "32 hex digits (user id)",
           pattern=r"^[0-9a-fA-F]{32}$"),
    _shape("call-id", CALL_ID.pattern.pattern, "32 upper-case letters and digits (call id)",
           pattern=r"^[0-9A-Z]{32}$"),
    INTEGER,
    EMAIL,
    DATE,
    TOKEN,
)

# Statuses from "Return Values": the in-body `statusCode` of every Web Services response.
WS_STATUS_MEANINGS: dict[int, str] = {
    0: "success (for operations: accepted, the outcome arrives asynchronously)",
    1: "required parameter missing",
    2: "parameter not valid for the current state",
    3: "operation forbidden",
    4: "internal error (Web Services, Cassandra or a Framework component)",
    5: "no permission",
    6: "resource not found",
    7: "partial success",
    8: "password change demanded",
    9: "processing incomplete",
    10: "input validation error (value out of range)",
    11: "attempt to change a read-only property",
    12: "unable to retrieve the resource",
    13: "unable to create the resource",
    14: "unable to delete the resource",
    15: "unable to update the resource",
    16: "unable to assign the resource",
    17: "unable to unassign the resource",
    18: "resource already exists",
    19: "resource already in use",
    20: "not authenticated",
}

# Path words of the Web Services API: always literal, never counted as evidence for a parameter.
WS_PATH_WORDS: frozenset[str] = frozenset(
    "me users devices calls channels voice skills queues contacts groups diagnostics version "
    "notifications chats workitems".split()
)

# Base-path words and version segments (`v2`, `1.1`): literal, never parameters.
LEADING_WORD = re.compile(r"(?:api|rest|v\d+(?:\.\d+)*|\d+\.\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class Profile:
    """Conventions of one API family."""

    name: str
    base_path: str = ""  # its segments are leading segments, never parameters
    discriminator: str = ""  # JSON body field that selects an operation ("" = none)
    outcome_field: str = ""  # in-body outcome code field ("" = none)
    outcome_meanings: dict[int, str] = field(default_factory=dict)
    notifications_path: str = ""
    version_path: str = ""  # GET here answers {"version": ...}
    id_shapes: tuple[IdShape, ...] = GENERIC_SHAPES
    path_words: frozenset[str] = frozenset()
    url_limit: int = 0  # longest URL the server accepts (0 = unknown)
    documented_headers: tuple[str, ...] = ("content-type", "accept")
    session_cookie: str = ""  # cookie name that carries an authenticated session
    # Collections whose members live only for a while (a call until it is released): an id
    # after these path words in an example names something that may not exist any more.
    transient_resources: frozenset[str] = frozenset()
    unauthenticated_codes: frozenset[int] = frozenset()  # in-body codes: credentials refused

    @property
    def base_segments(self) -> list[str]:
        return [s for s in self.base_path.split("/") if s]

    def id_shape(self, value: str) -> IdShape | None:
        """The first id shape the (percent-decoded) value has, or None."""
        decoded = unquote(value)
        for shape in self.id_shapes:
            if shape.matches(decoded):
                return shape
        return None

    def looks_like_id(self, value: str) -> bool:
        return self.id_shape(value) is not None


WEB_SERVICES = Profile(
    name="webservices",
    base_path="/api/v2",
    discriminator="operationName",
    outcome_field="statusCode",
    outcome_meanings=WS_STATUS_MEANINGS,
    notifications_path="/api/v2/notifications",
    version_path="/api/v2/diagnostics/version",
    id_shapes=WS_SHAPES,
    path_words=WS_PATH_WORDS,
    url_limit=2000,
    session_cookie="JSESSIONID",
    transient_resources=frozenset({"calls", "chats", "workitems"}),
    unauthenticated_codes=frozenset({20}),
)

GENERIC = Profile(name="generic")

PROFILES: dict[str, Profile] = {p.name: p for p in (WEB_SERVICES, GENERIC)}
