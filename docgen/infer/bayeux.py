"""Bayeux (CometD) traffic on the notifications path: split into messages, grouped, inferred.

Clients POST JSON arrays of Bayeux messages to the path or its sub-paths (`/handshake`,
`/connect`, ...); replies are arrays too, and a `/meta/connect` reply may carry the data
messages that waited for the client. Each exchange is split into its messages:

* meta messages (`/meta/*`) are the protocol, documented once per meta channel;
* data messages in replies are notifications, grouped by channel, `data.messageType` and
  `data.notificationType`, with the `data` payload inferred like a response body.

Fields that name a state or a type (`state`, `messageType`, `callType`...) are enumerations
by nature, so they get an `enum` from fewer samples than the generic thresholds ask for.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from docgen.capture.record import Body, read_json
from docgen.infer.fields import escape, field_docs
from docgen.infer.model import BodyDoc, MetaDoc
from docgen.infer.schema.builder import EvidenceSchemaBuilder
from docgen.infer.schema.settings import SchemaSettings

Message = dict[str, Any]
META_PREFIX = "/meta/"
MAX_LABEL_CHARS = 200  # channel names and types are recorded text: keep them bounded
MAX_TRACKED_PATHS = 200  # enumerable fields followed per message type
MAX_COUNTED = 50  # distinct paths / errors / subscriptions counted per table
MAX_EXAMPLES = 2
MAX_CLIENT_IDS = 100_000
MAX_MESSAGE_KINDS = 500  # beyond this many kinds of data message, new kinds are left out
STATE_KEY = "state"
ENUM_SUFFIXES = ("state", "type")  # `state`, `userState`'s leaves, `messageType`, `callType`


def on_path(path: str, notifications_path: str) -> bool:
    """True for the notifications path itself and anything below it."""
    if not notifications_path:
        return False
    base = notifications_path.rstrip("/")
    return path == base or path.startswith(base + "/")


def bayeux_messages(body: Body) -> list[Message] | None:
    """The message objects of a Bayeux body (an array, or one object); None if not Bayeux."""
    parsed, why = read_json(body)
    if why:
        return None
    items = parsed if isinstance(parsed, list) else [parsed]
    messages = [item for item in items if isinstance(item, dict)]
    if not messages or len(messages) != len(items):
        return None
    if not all(isinstance(m.get("channel"), str) for m in messages):
        return None
    return messages


def is_meta(message: Message) -> bool:
    return str(message.get("channel", "")).startswith(META_PREFIX)


def label(value: Any) -> str:
    """A channel or type name: a string, cut to a sane length ("" when not a string)."""
    return value[:MAX_LABEL_CHARS] if isinstance(value, str) else ""


@dataclass(frozen=True, order=True)
class MessageKey:
    """What groups data messages: channel, then messageType and notificationType."""

    channel: str
    message_type: str = ""
    notification_type: str = ""


def message_key(message: Message) -> MessageKey:
    data = message.get("data")
    data = data if isinstance(data, dict) else {}
    return MessageKey(label(message.get("channel")), label(data.get("messageType")),
                      label(data.get("notificationType")))


def _is_enumerable(key: str) -> bool:
    return key.lower().endswith(ENUM_SUFFIXES)


def string_leaves(value: Any, max_depth: int, path: str = "", depth: int = 0,
                  ) -> list[tuple[str, str, str]]:
    """(field path, key, value) of string leaves under enumerable keys, depth first.

    Paths are spelt as docgen.infer.fields spells them (`/devices[]/userState/state`)."""
    found: list[tuple[str, str, str]] = []
    if depth >= max_depth:
        return found
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}/{escape(key)}"
            if isinstance(item, str) and _is_enumerable(key):
                found.append((child, key, item))
            else:
                found += string_leaves(item, max_depth, child, depth + 1)
    elif isinstance(value, list):
        for item in value:
            found += string_leaves(item, max_depth, f"{path}[]", depth + 1)
    return found


def state_label(path: str) -> str:
    """'/devices[]/userState/state' -> 'userState.state'; '/call/state' -> 'call.state'."""
    keys = [part.replace("[]", "") for part in path.split("/") if part]
    return ".".join(keys[-2:])


def state_values(data: Any, max_depth: int = 32) -> list[tuple[str, str]]:
    """The `state` fields of a payload as (label, value), e.g. ('call.state', 'Dialing')."""
    return [(state_label(path), value) for path, key, value in string_leaves(data, max_depth)
            if key == STATE_KEY]


class EnumTracker:
    """Distinct values of enumerable string fields, for enums from few samples."""

    def __init__(self, settings: SchemaSettings) -> None:
        self.settings = settings
        self.values: dict[str, set[str] | None] = {}  # None: too many or unfit values

    def add(self, data: Any) -> None:
        for path, _key, value in string_leaves(data, self.settings.max_depth):
            if path not in self.values and len(self.values) >= MAX_TRACKED_PATHS:
                continue
            seen = self.values.setdefault(path, set())
            if seen is None:
                continue
            if self.settings.enum_excluded(value) or (
                    value not in seen and len(seen) >= self.settings.enum_max_distinct):
                self.values[path] = None
            else:
                seen.add(value)

    def apply(self, schema: dict[str, Any], path: str = "") -> None:
        """Give tracked string fields of `schema` an enum when the inference gave none."""
        for branch in schema.get("anyOf", [schema]):
            for name, child in branch.get("properties", {}).items():
                child_path = f"{path}/{escape(name)}"
                self._set_enum(child, self.values.get(child_path))
                self.apply(child, child_path)
            items = branch.get("items")
            if isinstance(items, dict):
                self.apply(items, f"{path}[]")

    @staticmethod
    def _set_enum(schema: dict[str, Any], values: set[str] | None) -> None:
        kind = schema.get("type")
        if not values or "enum" in schema or kind not in ("string", ["string", "null"]):
            return
        schema["enum"] = [*sorted(values), *([None] if isinstance(kind, list) else [])]


class PayloadStats:
    """Evidence about one kind of payload: a schema builder, enums, a few examples."""

    def __init__(self, settings: SchemaSettings) -> None:
        self.builder = EvidenceSchemaBuilder(settings)
        self.enums = EnumTracker(settings)
        self.examples: list[Any] = []
        self.count = 0

    def add(self, payload: Any) -> None:
        self.count += 1
        self.builder.add_sample(payload)
        self.enums.add(payload)
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(payload)

    def to_doc(self) -> BodyDoc | None:
        if not self.count:
            return None
        schema = self.builder.schema()
        self.enums.apply(schema)
        return BodyDoc(samples=self.count, content_types={"application/json": self.count},
                       schema=schema, fields=field_docs(schema), examples=list(self.examples))


def count_bounded(counter: Counter[str], value: str) -> None:
    if value in counter or len(counter) < MAX_COUNTED:
        counter[value] += 1


class MetaStats:
    """One meta channel: its request messages, its replies, where they were posted."""

    def __init__(self, channel: str, settings: SchemaSettings) -> None:
        self.channel = channel
        self.request = PayloadStats(settings)
        self.reply = PayloadStats(settings)
        self.successful = 0
        self.failed = 0
        self.paths: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()

    def add_request(self, message: Message, path: str) -> None:
        self.request.add(message)
        count_bounded(self.paths, path)

    def add_reply(self, message: Message) -> None:
        self.reply.add(message)
        if message.get("successful") is True:
            self.successful += 1
        else:
            self.failed += 1
            count_bounded(self.errors, label(message.get("error")) or "(no error given)")

    def to_doc(self) -> MetaDoc:
        return MetaDoc(
            channel=self.channel, requests=self.request.count, successful=self.successful,
            failed=self.failed, paths=dict(self.paths.most_common()),
            request=self.request.to_doc(), reply=self.reply.to_doc(),
            errors=dict(self.errors.most_common()),
        )


def subscriptions_of(message: Message) -> list[str]:
    """The channels a /meta/subscribe message names (a string or a list of strings)."""
    named = message.get("subscription")
    names = named if isinstance(named, list) else [named]
    return [label(name) for name in names if isinstance(name, str)]


class BayeuxStats:
    """Everything learned from the exchanges on the notifications path."""

    def __init__(self, path: str, settings: SchemaSettings) -> None:
        self.path = path
        self.settings = settings
        self.exchanges = 0
        self.not_bayeux = 0
        self.published = 0
        self.clients: set[str] = set()
        self.subscriptions: Counter[str] = Counter()
        self.meta: dict[str, MetaStats] = {}
        self.messages: dict[MessageKey, PayloadStats] = {}
        self.examples: dict[MessageKey, Message] = {}  # the first whole message of each kind
        self.keys: dict[MessageKey, MessageKey] = {}

    def add(self, path: str, sent: list[Message] | None, reply: Body | None) -> list[Message]:
        """Fold one exchange in (`sent`: its request's `bayeux_messages`, parsed once by the
        caller); the data messages its reply delivered, in order."""
        self.exchanges += 1
        if sent is None:
            self.not_bayeux += 1
            return []
        for message in sent:
            self._add_sent(message, path)
        delivered: list[Message] = []
        for message in (bayeux_messages(reply) if reply is not None else None) or []:
            if is_meta(message):
                self._meta(label(message["channel"])).add_reply(message)
                self._note_client(message.get("clientId"))
            elif "data" in message:  # without data: the acknowledgement of a publish
                delivered.append(message)
                self._add_data(message)
        return delivered

    def _add_sent(self, message: Message, path: str) -> None:
        if not is_meta(message):
            self.published += 1
            return
        channel = label(message["channel"])
        self._meta(channel).add_request(message, path)
        if channel == "/meta/subscribe":
            for name in subscriptions_of(message):
                count_bounded(self.subscriptions, name)

    def _meta(self, channel: str) -> MetaStats:
        if channel not in self.meta and len(self.meta) >= MAX_COUNTED:
            channel = "/meta/(other)"
        if channel not in self.meta:
            self.meta[channel] = MetaStats(channel, self.settings)
        return self.meta[channel]

    def _note_client(self, client_id: Any) -> None:
        if isinstance(client_id, str) and len(self.clients) < MAX_CLIENT_IDS:
            self.clients.add(client_id[:MAX_LABEL_CHARS])

    def kind(self, key: MessageKey) -> MessageKey:
        """The one shared instance of a message key (notices keep a reference, not a copy)."""
        return self.keys.setdefault(key, key)

    def _add_data(self, message: Message) -> None:
        key = message_key(message)
        stats = self.messages.get(key)
        if stats is None:
            if len(self.messages) >= MAX_MESSAGE_KINDS:
                return  # hostile variety: the first kinds are documented
            stats = self.messages[key] = PayloadStats(self.settings)
            self.examples[key] = message
        data = message.get("data")
        stats.add(data if data is not None else {})
