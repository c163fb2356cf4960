"""A small blocking CometD (Bayeux long-polling) client for GWS notifications.

Standard library only, so it runs anywhere, also through a recording proxy (`proxy=`) and
over TLS with a private CA (`cafile=`). It opens an HTTP session first (GET /api/v2/me with
Basic credentials) to get the JSESSIONID cookie and the CSRF token the server wants back.

    with CometdClient("http://127.0.0.1:8090", "ksippo") as client:
        client.subscribe("/v2/me/*")
        client.post_operation("/api/v2/me/channels/voice", "NotReady")
        messages = client.collect(seconds=3, until=lambda got: len(got) >= 1)
"""

from __future__ import annotations

import argparse
import base64
import http.cookiejar
import json
import ssl
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

DEFAULT_NOTIFICATIONS_PATH = "/api/v2/notifications"
MAX_ROUNDS = 1_000  # connect round trips per collect(), whatever the deadline

Message = dict[str, Any]


class CometdError(RuntimeError):
    """The server refused a Bayeux step (handshake, subscribe, connect)."""


class CometdClient:
    """One Bayeux client of one user; also sends that user's API requests."""

    def __init__(self, base_url: str, user: str, password: str = "", *,
                 notifications_path: str = DEFAULT_NOTIFICATIONS_PATH, proxy: str | None = None,
                 cafile: str | None = None, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.notifications_path = notifications_path
        self.timeout = timeout  # socket timeout: must exceed the server's long-poll timeout
        self.client_id: str | None = None
        self.csrf_token: str | None = None
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        self._auth = f"Basic {token}"
        self._message_id = 0
        proxies = {"http": proxy, "https": proxy} if proxy else {}  # {}: ignore *_proxy vars
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler(proxies),
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=cafile)),
        )

    # -- plain API requests ------------------------------------------------------------

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """(HTTP status, parsed JSON body) of one API request in this client's session."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base_url + path, data=data, method=method)
        req.add_header("Authorization", self._auth)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if self.csrf_token and method != "GET":
            req.add_header("X-CSRF-TOKEN", self.csrf_token)
        try:
            with self._opener.open(req, timeout=self.timeout) as response:
                self._remember_csrf(response.headers)
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            with error:
                return error.code, json.loads(error.read() or b"null")

    def post_operation(self, path: str, operation: str, **params: Any) -> tuple[int, Any]:
        return self.request("POST", path, {"operationName": operation, **params})

    def _remember_csrf(self, headers: Any) -> None:
        token = headers.get("X-CSRF-TOKEN")
        if token:
            self.csrf_token = token

    # -- Bayeux --------------------------------------------------------------------------

    def open(self) -> CometdClient:
        """Open the HTTP session and handshake."""
        status, body = self.request("GET", "/api/v2/me")
        if status != 200:
            raise CometdError(f"login failed: HTTP {status} {body}")
        reply = self._meta("/handshake", {"channel": "/meta/handshake", "version": "1.0",
                                          "supportedConnectionTypes": ["long-polling"]})
        self.client_id = reply["clientId"]
        return self

    def subscribe(self, *channels: str) -> None:
        for channel in channels:
            self._meta("/subscribe", {"channel": "/meta/subscribe", "subscription": channel})

    def connect(self) -> list[Message]:
        """One /meta/connect round trip; the data messages it brought."""
        replies = self._post("/connect", {"channel": "/meta/connect",
                                          "connectionType": "long-polling"})
        meta = [r for r in replies if r.get("channel") == "/meta/connect"]
        if meta and not meta[-1].get("successful"):
            raise CometdError(f"connect refused: {meta[-1]}")
        return [r for r in replies if not str(r.get("channel", "")).startswith("/meta/")]

    def collect(self, seconds: float, until: Callable[[list[Message]], bool] | None = None,
                ) -> list[Message]:
        """Connect repeatedly until `until(messages)` holds or `seconds` have passed."""
        deadline = time.monotonic() + seconds
        messages: list[Message] = []
        for _ in range(MAX_ROUNDS):
            if time.monotonic() >= deadline or (until is not None and until(messages)):
                break
            messages.extend(self.connect())
        return messages

    def disconnect(self) -> None:
        if self.client_id is not None:
            self._post("/disconnect", {"channel": "/meta/disconnect"})
            self.client_id = None

    def __enter__(self) -> CometdClient:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        try:
            self.disconnect()
        except (OSError, CometdError):
            pass  # the server may already be gone

    def _meta(self, step: str, message: Message) -> Message:
        replies = self._post(step, message)
        meta = [r for r in replies if r.get("channel") == message["channel"]]
        if not meta or not meta[0].get("successful"):
            raise CometdError(f"{message['channel']} failed: {replies}")
        return meta[0]

    def _post(self, step: str, message: Message) -> list[Message]:
        self._message_id += 1
        message = {**message, "id": str(self._message_id)}
        if self.client_id is not None:
            message["clientId"] = self.client_id
        status, body = self.request("POST", self.notifications_path + step, [message])
        if status != 200 or not isinstance(body, list):
            raise CometdError(f"{message['channel']}: HTTP {status} {body}")
        return body


def main(argv: list[str] | None = None) -> int:
    """Print a user's notifications as JSON lines for a while."""
    parser = argparse.ArgumentParser(prog="python -m gwssim.cometd_client")
    parser.add_argument("base_url")
    parser.add_argument("--user", default="ksippo")
    parser.add_argument("--password", default="")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--channel", action="append", default=None)
    parser.add_argument("--notifications-path", default=DEFAULT_NOTIFICATIONS_PATH)
    parser.add_argument("--proxy", default=None)
    parser.add_argument("--cafile", default=None)
    args = parser.parse_args(argv)
    client = CometdClient(args.base_url, args.user, args.password, proxy=args.proxy,
                          cafile=args.cafile, notifications_path=args.notifications_path)
    try:
        with client:
            client.subscribe(*(args.channel or ["/v2/me/*"]))
            print(f"cometd_client: {args.user} subscribed", file=sys.stderr, flush=True)
            for message in client.collect(args.seconds):
                print(json.dumps(message), flush=True)
    except (OSError, CometdError) as exc:
        print(f"cometd_client: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
