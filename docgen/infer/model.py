"""The documentation model: what wsdoc learned from recorded traffic, ready to render.

A short guide for consumers (the site renderer, the OpenAPI writer, drift checks):

* `build_model(exchanges, config)` in `docgen.infer.builder` returns one `ApiModel`.
* `ApiModel.endpoints` is sorted by template then method. An `Endpoint` is one HTTP method on
  one path template (`/api/v2/me/calls/{callId}`); its `path_params` are in template order.
* Each endpoint has one or more `Operation`s. Operation-style APIs (Web Services posts a JSON
  body whose `operationName` picks the action) get one `Operation` per name; everything else
  has a single operation whose `name` is None. `Endpoint.responses` merges the responses
  of all its operations (one schema per HTTP status, evidence summed).
* Bodies are `BodyDoc`s: `schema` is a JSON Schema (2020-12 vocabulary, no `$schema` key)
  inferred from every JSON sample. Each property schema carries `"x-wsdoc-seen": "37/40"`
  (present in 37 of the 40 parent objects seen); `fields` flattens the same evidence into
  rows for tables. Field paths are JSON-pointer-ish: `/user/devices[]/id` (`[]` = any array
  item; a root array is `[]/channel`; `~` and `/` in keys are escaped as `~0` and `~1`).
* Bodies that are not JSON (text, HTML, binary, invalid or truncated JSON, not kept) never
  carry a schema; they are summarised in `BodyDoc.non_json` (content types and sizes).
* Query parameters and the request headers that matter (content type, accept) are `Param`s
  with the same presence evidence (`seen` of `total` requests).
* `Operation.examples` holds a few real, already redacted `Exchange`s: per response status
  the most informative one first, then other response shapes (docgen.infer.examples).
* Fields with defaults (`description`, `events`, `notes`) are filled by later stages
  (user sidecar text, asynchronous notifications); renderers must tolerate them empty.
* Notifications (docgen.infer.events): `ApiModel.notifications` documents the Bayeux protocol
  (`meta`, one `MetaDoc` per /meta channel) and the data `channels`, one `MessageDoc` per
  channel + `data.messageType` + `data.notificationType`, with the operations it followed.
  `Operation.events` are the kinds of notification that followed the operation's samples
  (`EventDoc.seen` "12/12" of the samples observed with a client listening),
  `event_sequences` their usual orders, `events_note` why there are none to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from docgen.capture.record import Exchange
from docgen.infer.security import SecurityScheme
from docgen.infer.session_doc import SessionDoc

# The order endpoints of one template are listed in, everywhere (site, OpenAPI, reports).
METHOD_ORDER = {m: i for i, m in enumerate(
    ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"])}


JsonSchema = dict[str, Any]


@dataclass
class FieldDoc:
    """One field of a JSON body (or one query parameter / header), with its evidence."""

    path: str  # "/user/devices[]/id"; for params and headers just the name
    type: str  # "string", "integer", "string|null", "array", "object", "any"
    format: str | None = None  # date-time, date, uuid, email, uri, ipv4 (every sample matched)
    enum: list[Any] | None = None  # low-cardinality values, when evidence allows
    required: bool = False  # present in every parent object seen
    seen: int | None = None  # parent objects that had it (None for array items)
    total: int | None = None  # parent objects seen
    examples: list[Any] = field(default_factory=list)  # a few distinct real values
    note: str = ""  # e.g. "nested deeper than 32 levels; not inferred"

    @property
    def presence(self) -> str:
        """'37/40', or '' when presence is not tracked (array items)."""
        if self.seen is None or self.total is None:
            return ""
        return f"{self.seen}/{self.total}"


@dataclass
class NonJsonDoc:
    """Bodies that could not be inferred as JSON: what they were and how big."""

    count: int = 0
    content_types: dict[str, int] = field(default_factory=dict)  # "" = no content type
    reasons: dict[str, int] = field(default_factory=dict)  # text, binary, invalid JSON, ...
    min_size: int = 0
    max_size: int = 0

    @property
    def note(self) -> str:
        """A one-line human summary, e.g. '2 not JSON (text/html; 120-540 bytes)'."""
        kinds = ", ".join(f"{reason} x{n}" for reason, n in sorted(self.reasons.items()))
        types = ", ".join(sorted(t or "no content type" for t in self.content_types))
        return (f"{self.count} not JSON ({kinds}; {types}; "
                f"{self.min_size}-{self.max_size} bytes)")


@dataclass
class BodyDoc:
    """A request or response body as seen across samples."""

    samples: int  # bodies seen (JSON or not)
    content_types: dict[str, int] = field(default_factory=dict)  # media type -> count
    schema: JsonSchema | None = None  # None when no sample parsed as JSON
    fields: list[FieldDoc] = field(default_factory=list)
    examples: list[Any] = field(default_factory=list)  # a few parsed JSON bodies
    non_json: NonJsonDoc | None = None  # None when every body was JSON


@dataclass
class Param:
    """A path, query or header parameter."""

    name: str
    location: str  # "path", "query" or "header"
    schema: JsonSchema = field(default_factory=dict)
    required: bool = False
    seen: int = 0  # requests that carried it
    total: int = 0  # requests seen
    examples: list[Any] = field(default_factory=list)
    shape: str = ""  # path params: the id shape(s) seen, e.g. "uuid"
    description: str = ""


@dataclass
class OutcomeCode:
    """An in-body outcome code (Web Services `statusCode`) seen in responses."""

    value: Any
    count: int
    meaning: str = ""


@dataclass
class ResponseDoc:
    """All responses with one HTTP status for one operation."""

    status: int
    count: int
    reason: str = ""  # the status code's RFC 9110 phrase (the server's own for other codes)
    body: BodyDoc | None = None  # None when no response had a body
    outcome_codes: list[OutcomeCode] = field(default_factory=list)
    sent_reason: str = ""  # the capture's own reason text, when it differs from `reason`
    # Response headers (docgen.infer.headers): `seen` of `total` responses, redacted examples.
    headers: list[Param] = field(default_factory=list)


@dataclass(frozen=True)
class EventStep:
    """One notification in the order an operation's notifications arrived."""

    message_type: str
    notification_type: str = ""
    states: tuple[str, ...] = ()  # values of the message's `state` fields ("NotReady",)


@dataclass
class EventSequence:
    """One order of notifications after an operation, and how many samples showed it."""

    steps: list[EventStep]
    count: int


@dataclass
class EventDoc:
    """One kind of notification that followed an operation, over all its observed samples."""

    channel: str
    message_type: str  # data.messageType ("" when absent)
    notification_type: str = ""  # data.notificationType ("" when absent)
    samples: int = 0  # observed samples of the operation followed by at least one
    observed: int = 0  # samples recorded while a notifications client was listening
    count: int = 0  # messages in all
    # State fields of the messages: "userState.state" -> {"NotReady": 12}
    states: dict[str, dict[str, int]] = field(default_factory=dict)
    delay_ms: float | None = None  # median delay from the operation's start to the first one

    @property
    def seen(self) -> str:
        return f"{self.samples}/{self.observed}"


@dataclass
class CauseDoc:
    """An operation after which a message type arrived."""

    method: str
    template: str
    operation: str | None
    samples: int  # samples followed by the message
    observed: int  # samples recorded with a notifications client listening


@dataclass
class MessageDoc:
    """One data message type on one channel (channel + messageType + notificationType)."""

    channel: str
    message_type: str
    notification_type: str = ""
    count: int = 0
    data: BodyDoc | None = None  # the `data` payload: schema and field rows
    example: dict[str, Any] | None = None  # one whole delivered message
    causes: list[CauseDoc] = field(default_factory=list)


@dataclass
class ChannelDoc:
    """A Bayeux channel that delivered data messages."""

    channel: str
    messages: list[MessageDoc] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(message.count for message in self.messages)


@dataclass
class MetaDoc:
    """One Bayeux meta channel (/meta/handshake, /meta/connect, ...): the protocol."""

    channel: str
    requests: int = 0
    successful: int = 0  # replies with successful: true
    failed: int = 0
    paths: dict[str, int] = field(default_factory=dict)  # where the messages were posted
    request: BodyDoc | None = None
    reply: BodyDoc | None = None
    errors: dict[str, int] = field(default_factory=dict)  # `error` strings of failed replies


@dataclass
class NotificationsDoc:
    """What the notifications path carried: the Bayeux protocol and the data channels."""

    path: str
    window_s: float
    exchanges: int = 0  # exchanges on the path
    not_bayeux: int = 0  # bodies that were not Bayeux message arrays
    clients: int = 0  # distinct Bayeux client ids
    subscriptions: dict[str, int] = field(default_factory=dict)
    published: int = 0  # data messages sent by clients (not documented further)
    meta: list[MetaDoc] = field(default_factory=list)
    channels: list[ChannelDoc] = field(default_factory=list)

    @property
    def messages(self) -> int:
        return sum(channel.count for channel in self.channels)


@dataclass
class Operation:
    """One action on an endpoint: a discriminator value, or the whole endpoint (name None)."""

    name: str | None
    sample_count: int = 0
    request: BodyDoc | None = None  # None when no request carried a body
    responses: dict[int, ResponseDoc] = field(default_factory=dict)
    examples: list[Exchange] = field(default_factory=list)  # best first, per status
    request_headers: list[Param] = field(default_factory=list)  # content-type, accept
    auth: dict[str, int] = field(default_factory=dict)  # "basic"/"bearer"/"cookie"/"none"
    # Credentials its requests carried: docgen.infer.security use keys ("http:bearer",
    # "header:PRIVATE-TOKEN", "none") -> requests; see ApiModel.security_schemes.
    security: dict[str, int] = field(default_factory=dict)
    failures: int = 0  # exchanges that got no response
    events: list[EventDoc] = field(default_factory=list)  # notifications that followed it
    description: str = ""  # user sidecar text (later issue)
    event_sequences: list[EventSequence] = field(default_factory=list)  # most common orders
    events_observed: int = 0  # samples recorded while a notifications client listened
    events_note: str = ""  # why no events are shown (no client recorded, none listening...)

    @property
    def rejected(self) -> bool:
        """Never accepted: every recorded response was an HTTP error (4xx/5xx)."""
        return bool(self.responses) and min(self.responses) >= 400


@dataclass
class Endpoint:
    """One method on one path template."""

    method: str
    template: str
    path_params: list[Param] = field(default_factory=list)
    query_params: list[Param] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)
    responses: dict[int, ResponseDoc] = field(default_factory=dict)  # all operations together
    sample_count: int = 0
    status_codes: dict[int, int] = field(default_factory=dict)  # HTTP status -> count
    example_paths: list[str] = field(default_factory=list)  # a few raw paths as sent
    max_url_length: int = 0
    is_notifications: bool = False  # the profile's notifications (CometD) endpoint
    notes: list[str] = field(default_factory=list)
    description: str = ""
    host: str = ""  # origin (`https://api.example.com`) when the capture has several, else ""

    @property
    def operation_names(self) -> list[str]:
        """Named operations the server accepted at least once (rejected ones are apart)."""
        return [op.name for op in self.operations if op.name is not None and not op.rejected]

    @property
    def rejected_operations(self) -> list[Operation]:
        """Named operations that only ever got HTTP errors ("Rejected by the server")."""
        return [op for op in self.operations if op.name is not None and op.rejected]


@dataclass
class ApiModel:
    """Everything inferred from one capture store."""

    title: str
    endpoints: list[Endpoint] = field(default_factory=list)
    server_version: str | None = None
    recorded_from: datetime | None = None
    recorded_to: datetime | None = None
    exchange_count: int = 0
    base_url: str = ""
    profile: str = ""
    discriminator: str = ""  # "" when the API has no operation discriminator
    notes: list[str] = field(default_factory=list)
    description: str = ""
    notifications: NotificationsDoc | None = None  # None: the profile has no notifications path
    # How requests authenticated (none when no request did), most used first.
    security_schemes: list[SecurityScheme] = field(default_factory=list)
    # Provenance: "recorder@host" -> records, most first ({} for stores made before it).
    recorders: dict[str, int] = field(default_factory=dict)
    session: SessionDoc | None = None  # how clients authenticated (docgen.infer.session)

    def endpoint(self, method: str, template: str, host: str | None = None) -> Endpoint | None:
        """Look one endpoint up (tests and renderers); `host` None matches any host."""
        for candidate in self.endpoints:
            if candidate.method == method.upper() and candidate.template == template and (
                    host is None or candidate.host == host):
                return candidate
        return None

    @property
    def hosts(self) -> list[str]:
        """The origins endpoints are split by ([] when the capture had one)."""
        return sorted({e.host for e in self.endpoints if e.host})
