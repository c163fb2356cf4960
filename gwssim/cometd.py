"""CometD / Bayeux long-polling on the notifications path.

Clients POST JSON arrays of Bayeux messages to the path itself or to its `/handshake`,
`/connect`, `/subscribe`, `/disconnect` sub-paths (as the CometD JavaScript client does).
`/meta/connect` is held until a notification for that client arrives or the long-poll
timeout passes. Clients belong to the authenticated user who made the handshake; a user's
notifications go only to that user's clients subscribed to a matching channel.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from gwssim.auth import current_user
from gwssim.errors import invalid, json_response
from gwssim.ids import IdFactory
from gwssim.render import rebase_uris

MAILBOX_SIZE = 1_000  # notifications kept for a client between two connects
MAX_CLIENTS = 500  # the least recently used clients are forgotten beyond this
MAX_MESSAGES_PER_POST = 100
SUBSCRIBABLE_PREFIX = "/v2/me/"

Message = dict[str, Any]


@dataclass(eq=False)
class Client:
    client_id: str
    user_id: str
    subscriptions: set[str] = field(default_factory=set)
    mailbox: deque[Message] = field(default_factory=lambda: deque(maxlen=MAILBOX_SIZE))
    waiter: asyncio.Future[None] | None = None
    connected: bool = False

    def wake(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)


def channel_matches(pattern: str, channel: str) -> bool:
    """Bayeux wildcards: `/a/*` is one more segment, `/a/**` any number."""
    if pattern.endswith("/**"):
        return channel.startswith(pattern[:-2])
    if pattern.endswith("/*"):
        rest = channel[len(pattern) - 1:]
        return channel.startswith(pattern[:-1]) and rest != "" and "/" not in rest
    return pattern == channel


class CometHub:
    """Bayeux clients and their mailboxes."""

    def __init__(self, ids: IdFactory, long_poll_timeout: float) -> None:
        self._ids = ids
        self._timeout = long_poll_timeout
        self._clients: OrderedDict[str, Client] = OrderedDict()

    # -- delivery (called by the outbox) ------------------------------------------------

    def deliver(self, user_id: str, message: Message) -> None:
        for client in self._clients.values():
            if client.user_id == user_id and any(
                    channel_matches(p, message["channel"]) for p in client.subscriptions):
                client.mailbox.append(message)
                client.wake()

    def close(self) -> None:
        """Release every held connect (server shutdown)."""
        for client in self._clients.values():
            client.wake()

    # -- the HTTP endpoint --------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.Response:
        messages = _parse_messages(await request.read())
        user_id = current_user(request).id
        replies: list[Message] = []
        for message in messages:
            replies.extend(await self._process(message, user_id))
        base = f"{request.scheme}://{request.host}"
        return json_response(rebase_uris(replies, base))

    async def _process(self, message: Message, user_id: str) -> list[Message]:
        channel = message.get("channel")
        if channel == "/meta/handshake":
            return [self._handshake(message, user_id)]
        client = self._client(message.get("clientId"), user_id)
        if client is None:
            return [_reply(message, False, error="402::Unknown client",
                           advice={"reconnect": "handshake", "interval": 0})]
        self._clients.move_to_end(client.client_id)
        if channel == "/meta/connect":
            return await self._connect(message, client)
        if channel in ("/meta/subscribe", "/meta/unsubscribe"):
            return [self._subscription(message, client, channel == "/meta/subscribe")]
        if channel == "/meta/disconnect":
            self._clients.pop(client.client_id, None)
            client.wake()
            return [_reply(message, True, clientId=client.client_id)]
        return [_reply(message, False, clientId=client.client_id, error="403::Publish denied")]

    def _client(self, client_id: Any, user_id: str) -> Client | None:
        client = self._clients.get(client_id) if isinstance(client_id, str) else None
        return client if client is not None and client.user_id == user_id else None

    def _handshake(self, message: Message, user_id: str) -> Message:
        types = message.get("supportedConnectionTypes", ["long-polling"])
        if not isinstance(types, list) or "long-polling" not in types:
            return _reply(message, False, error="400::Unsupported connection types",
                          supportedConnectionTypes=["long-polling"])
        client = Client(self._ids.cometd_client_id(), user_id)
        self._clients[client.client_id] = client
        while len(self._clients) > MAX_CLIENTS:
            _, dropped = self._clients.popitem(last=False)
            dropped.wake()
        return _reply(message, True, version="1.0", minimumVersion="1.0",
                      supportedConnectionTypes=["long-polling"], clientId=client.client_id,
                      advice=self._advice())

    def _subscription(self, message: Message, client: Client, subscribe: bool) -> Message:
        subscription = message.get("subscription")
        if not isinstance(subscription, str) or not subscription.startswith(SUBSCRIBABLE_PREFIX):
            return _reply(message, False, clientId=client.client_id, subscription=subscription,
                          error=f"403:{subscription}:Subscription denied")
        if subscribe:
            client.subscriptions.add(subscription)
        else:
            client.subscriptions.discard(subscription)
        return _reply(message, True, clientId=client.client_id, subscription=subscription)

    async def _connect(self, message: Message, client: Client) -> list[Message]:
        # The first connect answers at once (as CometD servers do); later ones are held.
        if client.connected and not client.mailbox:
            client.wake()  # a newer connect releases an older one still held
            loop = asyncio.get_running_loop()
            waiter: asyncio.Future[None] = loop.create_future()
            client.waiter = waiter
            try:
                await asyncio.wait_for(asyncio.shield(waiter), self._timeout)
            except TimeoutError:
                pass
            finally:
                if client.waiter is waiter:
                    client.waiter = None
        client.connected = True
        delivered = list(client.mailbox)
        client.mailbox.clear()
        alive = client.client_id in self._clients
        reply = _reply(message, alive, clientId=client.client_id, advice=self._advice())
        if not alive:
            reply.update(error="402::Unknown client", advice={"reconnect": "handshake"})
        return [*delivered, reply]

    def _advice(self) -> dict[str, Any]:
        return {"reconnect": "retry", "interval": 0, "timeout": int(self._timeout * 1000)}


def _reply(message: Message, successful: bool, **extra: Any) -> Message:
    reply: Message = {"channel": message.get("channel"), "successful": successful}
    if "id" in message:
        reply["id"] = message["id"]
    reply.update(extra)
    return reply


def _parse_messages(raw: bytes) -> list[Message]:
    try:
        parsed = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise invalid("Request body is not valid JSON") from None
    messages = parsed if isinstance(parsed, list) else [parsed]
    if not messages or len(messages) > MAX_MESSAGES_PER_POST or \
            not all(isinstance(m, dict) for m in messages):
        raise invalid(f"Expected 1..{MAX_MESSAGES_PER_POST} Bayeux message objects")
    return messages
