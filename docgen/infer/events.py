"""Notifications in the docs model: one streaming pass beside the endpoint inference.

`EventCollector.add` sees every exchange that `ModelBuilder.add` sees. Exchanges on the
notifications path are split into Bayeux messages (docgen.infer.bayeux); accepted
operation requests become samples. Both are kept small (times, session tags, message
kinds and states, never bodies). Samples are correlated (docgen.infer.correlate) in flushes
once their window has settled, then dropped, so memory stays flat in the number of flows;
`apply` flushes the rest, maps samples to the final endpoint templates, and fills
`Operation.events` and `ApiModel.notifications`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from sys import intern
from typing import cast

from docgen.capture.record import Exchange, basic_user
from docgen.infer.bayeux import (
    BayeuxStats,
    Message,
    MessageKey,
    bayeux_messages,
    message_key,
    on_path,
    state_values,
)
from docgen.infer.config import Config
from docgen.infer.correlate import (
    Aggregate,
    EventSummary,
    Listening,
    Notice,
    OperationSample,
    correlate,
)
from docgen.infer.model import (
    ApiModel,
    CauseDoc,
    ChannelDoc,
    Endpoint,
    MessageDoc,
    NotificationsDoc,
    Operation,
)
from docgen.infer.schema.settings import SchemaSettings

OperationKey = tuple[str, str, str | None]  # method, path (a template once final), name
MAX_SESSIONS = 100_000  # session -> user entries remembered
MAX_OPERATION_KEYS = 10_000
# Memory stays flat in the number of flows: every FLUSH_EVERY exchanges, samples whose
# window closed more than SETTLE_S before the latest response end are correlated, folded
# into per-operation aggregates and dropped, with the notices nothing can claim any more.
# SETTLE_S covers records stored out of time order (they are stored as responses end).
FLUSH_EVERY = 5_000
SETTLE_S = 120.0
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
NO_LISTENER = ("No notifications were recorded in this capture (no CometD client listened on "
               "{path}), so what follows this operation is unknown: record a notifications "
               "client beside the requests to document it.")
NOT_OBSERVED = ("No notifications client of the same session or user was listening while "
                "this operation was recorded.")
NONE_ACCEPTED = "No accepted (2xx) request of this operation was recorded."
META_ORDER = ["/meta/handshake", "/meta/subscribe", "/meta/connect", "/meta/unsubscribe",
              "/meta/disconnect"]  # the protocol in the order a client goes through it


def ended_at(exchange: Exchange) -> float | None:
    if exchange.duration_ms is None or exchange.status is None:
        return None
    return exchange.started + exchange.duration_ms / 1000


class EventCollector:
    """Feed every exchange with `add`; `apply` the result to the finished model."""

    def __init__(self, config: Config, settings: SchemaSettings) -> None:
        self.path = config.notifications
        self.discriminator = config.operation_field
        self.window = config.event_window
        self.settings = settings
        self.bayeux = BayeuxStats(self.path, settings)
        self.samples: list[OperationSample] = []
        self.notices: list[Notice] = []
        self.listening: list[Listening] = []
        self.users: dict[str, str] = {}  # session tag -> Basic user seen in that session
        # Samples share one key per (method, template known so far, name), and keep a raw
        # path of it for the final template: no per-request strings are kept.
        self.keys: dict[OperationKey, OperationKey] = {}
        self.key_paths: dict[OperationKey, str] = {}
        self.aggregates: dict[OperationKey, Aggregate] = {}
        self.horizon = 0.0  # the latest response end seen
        self.added = 0
        self.notice_order = 0

    def add(self, exchange: Exchange, template: str | None = None,
            operation: str | None = None) -> None:
        """Fold one exchange in; `template` and `operation` are where it was filed so far
        (ModelBuilder.add's answer, so the request body is parsed once; the raw path and no
        operation when not known)."""
        if not self.path:
            return
        self.added += 1
        if self.added % FLUSH_EVERY == 0:
            self.flush(self.horizon - SETTLE_S)
        ended = ended_at(exchange)
        if ended is not None:
            self.horizon = max(self.horizon, ended)
        user = intern(basic_user(exchange.header("authorization") or ""))
        if exchange.session and user and (exchange.session in self.users
                                          or len(self.users) < MAX_SESSIONS):
            self.users[exchange.session] = user
        if on_path(exchange.path, self.path):
            self._add_bayeux(exchange, user)
        else:
            self._add_operation(exchange, user, template or exchange.path, operation)

    def _add_bayeux(self, exchange: Exchange, user: str) -> None:
        ended = ended_at(exchange)
        reply = exchange.response_body if ended is not None else None
        sent = bayeux_messages(exchange.request_body)
        delivered = self.bayeux.add(exchange.path, sent, reply)
        if ended is None or exchange.method.upper() != "POST":
            return
        session = intern(exchange.session)
        self.listening.append(Listening(session, user, exchange.started, ended))
        client = intern(client_of(sent or []))
        for message in delivered:
            self.notices.append(Notice(
                ended, session, user, self.bayeux.kind(message_key(message)),
                tuple(state_values(message.get("data"), self.settings.max_depth)),
                client, self.notice_order))
            self.notice_order += 1

    def _add_operation(self, exchange: Exchange, user: str, template: str,
                       name: str | None) -> None:
        ended = ended_at(exchange)
        status = exchange.status or 0
        if ended is None or not (200 <= status < 300 or status >= 500):
            return  # 4xx: refused before anything happened on the server
        if name is None and (self.discriminator or exchange.method.upper() not in UNSAFE_METHODS):
            return
        kind = (exchange.method.upper(), template, name)
        key = self.keys.get(kind)
        if key is None:
            if len(self.keys) >= MAX_OPERATION_KEYS:
                return  # hostile variety of operation names: the first ones are documented
            key = self.keys[kind] = kind
            self.key_paths[key] = exchange.path
        self.samples.append(OperationSample(key, exchange.started, ended,
                                            intern(exchange.session), user))

    def apply(self, model: ApiModel, template_of: Callable[[str], str]) -> ApiModel:
        """Fill operations' events and the model's notifications (the model is changed)."""
        if not self.path:
            return model
        self.flush(float("inf"))
        merged: dict[Hashable, Aggregate] = {}
        for key, partial in self.aggregates.items():
            final = (key[0], template_of(self.key_paths[key]), key[2])
            merged.setdefault(final, Aggregate()).merge(partial)
        summaries = {key: value.summary() for key, value in merged.items()}
        recorded = bool(self.bayeux.exchanges)
        for endpoint in model.endpoints:
            for operation in endpoint.operations:
                self._fill(endpoint, operation, summaries, recorded)
        model.notifications = self._document(summaries)
        return model

    def flush(self, settled_before: float) -> None:
        """Correlate the samples whose window ended before `settled_before`, fold them into
        the aggregates and forget them, with the notices and spans only they could use."""
        settled = [s for s in self.samples if s.ended + self.window < settled_before]
        if not settled:
            return
        keep = {id(s) for s in self.samples} - {id(s) for s in settled}
        # All buffered samples go in, so a settled sample's window still stops at the
        # next operation even when that one is not settled yet.
        for observation in correlate(self.samples, self.notices, self.listening, self.window,
                                     self.users):
            if id(observation.sample) not in keep:
                key = cast(OperationKey, observation.sample.key)
                self.aggregates.setdefault(key, Aggregate()).add(observation)
        self.samples = [s for s in self.samples if id(s) in keep]
        oldest = min((s.started for s in self.samples), default=settled_before)
        cutoff = min(oldest, settled_before)
        self.notices = [n for n in self.notices if n.time >= cutoff]
        self.listening = [span for span in self.listening if span.ended >= cutoff]

    def _fill(self, endpoint: Endpoint, operation: Operation,
              summaries: dict[Hashable, EventSummary], recorded: bool) -> None:
        summary = summaries.get((endpoint.method, endpoint.template, operation.name))
        if summary is None:
            unsafe = endpoint.method in UNSAFE_METHODS and not endpoint.is_notifications
            if unsafe and (operation.name is not None or not self.discriminator):
                operation.events_note = NONE_ACCEPTED if recorded else self._no_listener()
            return
        operation.events = summary.events
        operation.event_sequences = summary.sequences
        operation.events_observed = summary.observed
        if not recorded:
            operation.events_note = self._no_listener()
        elif not summary.observed:
            operation.events_note = NOT_OBSERVED

    def _no_listener(self) -> str:
        return NO_LISTENER.format(path=self.path)

    def _document(self, summaries: dict[Hashable, EventSummary]) -> NotificationsDoc:
        causes: dict[MessageKey, list[CauseDoc]] = {}
        for key, summary in sorted(summaries.items(), key=lambda item: str(item[0])):
            method, template, name = cast(OperationKey, key)
            for event in summary.events:
                kind = MessageKey(event.channel, event.message_type, event.notification_type)
                causes.setdefault(kind, []).append(
                    CauseDoc(method, template, name, event.samples, event.observed))
        return document(self.bayeux, self.window, causes)


def client_of(sent: list[Message]) -> str:
    """The Bayeux clientId a request was sent for ("" when none was named)."""
    for message in sent:
        if isinstance(message.get("clientId"), str):
            return str(message["clientId"])[:200]
    return ""


def meta_order(channel: str) -> tuple[int, str]:
    return (META_ORDER.index(channel) if channel in META_ORDER else len(META_ORDER), channel)


def document(stats: BayeuxStats, window: float,
             causes: dict[MessageKey, list[CauseDoc]]) -> NotificationsDoc:
    """The notifications part of the model: protocol (meta channels) and data channels."""
    channels: dict[str, ChannelDoc] = {}
    for key in sorted(stats.messages):
        payload = stats.messages[key]
        example: Message | None = stats.examples.get(key)
        channel = channels.setdefault(key.channel, ChannelDoc(key.channel))
        channel.messages.append(MessageDoc(
            channel=key.channel, message_type=key.message_type,
            notification_type=key.notification_type, count=payload.count,
            data=payload.to_doc(), example=example,
            causes=sorted(causes.get(key, []), key=lambda c: (-c.samples, c.template))))
    return NotificationsDoc(
        path=stats.path, window_s=window, exchanges=stats.exchanges,
        not_bayeux=stats.not_bayeux, clients=len(stats.clients),
        subscriptions=dict(stats.subscriptions.most_common()), published=stats.published,
        meta=[stats.meta[name].to_doc() for name in sorted(stats.meta, key=meta_order)],
        channels=list(channels.values()),
    )
