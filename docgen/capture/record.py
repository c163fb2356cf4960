"""The capture record: one redacted HTTP exchange, as stored and as read back.

Everything downstream (inference, OpenAPI, site, drift) reads these records and nothing
else, so this module is the contract between the recorder and the rest of wsdoc.
Bodies are raw bytes (already decoded from any Content-Encoding when the recorder could
decode them); headers and query strings keep order and repeats.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from docgen.capture import fastjson

Pairs = list[tuple[str, str]]


@dataclass
class Body:
    """A message body as recorded."""

    content: bytes | None = None  # None: not kept (too large, undecodable, or absent)
    content_type: str = ""  # media type without parameters, lower case ("" if none)
    # The Content-Encoding it travelled with ("" for identity). `content` is decoded
    # unless decoding failed, in which case it holds the bytes as they travelled.
    encoding: str = ""
    size: int = 0  # size of the decoded body (or of the raw body when it could not be decoded)
    truncated: bool = False  # True when content was dropped because size > the kept limit

    def json(self) -> Any:
        """Parsed JSON, or raise ValueError when the body is not JSON."""
        if self.content is None:
            raise ValueError("body not kept")
        return fastjson.loads(self.content)


@dataclass
class Exchange:
    """One request and (when one came) its response."""

    method: str
    scheme: str
    host: str
    port: int
    path: str  # the path exactly as sent (not percent-decoded), without the query string
    query: Pairs = field(default_factory=list)
    http_version: str = "HTTP/1.1"
    request_headers: Pairs = field(default_factory=list)
    request_body: Body = field(default_factory=Body)
    status: int | None = None
    reason: str = ""
    response_headers: Pairs = field(default_factory=list)
    response_body: Body = field(default_factory=Body)
    started: float = 0.0  # epoch seconds when the request started
    duration_ms: float | None = None  # request start to response end
    client: str = ""  # "ip:port" of the client
    error: str | None = None  # mitmproxy's error message, if the exchange failed
    flow_id: str = ""
    # Which client session this belongs to, without the secret: a keyed hash of the
    # session cookie (or of the Basic user name when there is no cookie), so requests
    # and notifications of one session can be correlated. "" when unknown.
    session: str = ""
    # Provenance: the recorder's chosen name and its host (docgen.capture.provenance).
    recorder: str = ""
    recorder_host: str = ""
    id: int | None = None  # assigned by the store

    def header(self, name: str, response: bool = False) -> str | None:
        """First value of a header, case-insensitively."""
        wanted = name.lower()
        size = len(wanted)
        # A key whose lower case is an ASCII name has that name's length: most keys are
        # told apart by length alone, without lowering them (this runs per header read).
        sized = wanted.isascii()
        for key, value in self.response_headers if response else self.request_headers:
            if (not sized or len(key) == size) and key.lower() == wanted:
                return value
        return None

    @property
    def origin(self) -> str:
        """`scheme://host[:port]`, the port only when it is not the scheme's default."""
        default = (self.scheme == "http" and self.port == 80) or (
            self.scheme == "https" and self.port == 443
        )
        host = self.host if default else f"{self.host}:{self.port}"
        return f"{self.scheme}://{host}"

    @property
    def url(self) -> str:
        return self.origin + self.path


def is_basic(authorization: str) -> bool:
    return authorization.strip().partition(" ")[0].lower() == "basic"


def decode_basic(authorization: str) -> str | None:
    """`user:password` of a Basic Authorization value; None when it is not Basic or its
    credentials are not valid base64 UTF-8."""
    scheme, _, credentials = authorization.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        return base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None


@lru_cache(maxsize=1024)  # every request of a session sends the same header
def basic_user(authorization: str) -> str:
    """The user name of a Basic Authorization value, else ""."""
    return (decode_basic(authorization) or "").partition(":")[0]


# Body helpers: every reader of a record parses a body through read_json, once.
ABSENT = "absent"
MAX_OPERATION_NAME = 100  # characters of a discriminator value kept as an operation name


def read_json(body: Body) -> tuple[Any, str]:
    """(parsed value, "") for a JSON body, else (None, why): absent, truncated, not kept,
    invalid JSON, text or binary. Never raises, even on JSON nested 100,000 deep."""
    if body.truncated:
        return None, "truncated"
    if body.content is None:
        return None, "not kept" if body.size else ABSENT
    if not body.content:
        return None, ABSENT
    if "json" in body.content_type or body.content.lstrip()[:1] in (b"{", b"["):
        try:
            return fastjson.loads(body.content), ""
        except RecursionError:
            return None, "invalid JSON (nested too deep to parse)"
        except ValueError:  # includes UnicodeDecodeError
            return None, "invalid JSON"
    try:
        body.content.decode("utf-8")
    except UnicodeDecodeError:
        return None, "binary"
    return None, "text"


def operation_name(parsed: Any, field: str) -> str | None:
    """The operation a parsed request body names in `field` (e.g. `operationName`), cut
    to MAX_OPERATION_NAME characters; None when there is no such non-empty string."""
    if not field or not isinstance(parsed, dict):
        return None
    name = parsed.get(field)
    return name[:MAX_OPERATION_NAME] if isinstance(name, str) and name else None


def query_sample(exchange: Exchange) -> dict[str, Any]:
    """Query pairs as one JSON-like object: numbers and booleans typed, repeats as lists."""
    sample: dict[str, Any] = {}
    for name, raw in exchange.query:
        value: Any = raw
        if raw in ("true", "false"):
            value = raw == "true"
        elif raw.isdigit() and str(int(raw)) == raw:
            value = int(raw)
        if name in sample:
            previous = sample[name]
            sample[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            sample[name] = value
    return sample
