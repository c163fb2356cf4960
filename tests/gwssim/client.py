"""A tiny HTTP client for the simulator tests: real sockets, cookies, Basic auth, CSRF."""

from __future__ import annotations

import base64
import http.cookiejar
import json
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import Any

TIMEOUT = 15.0


@dataclass
class Reply:
    status: int
    headers: Message
    raw: bytes

    @property
    def body(self) -> Any:
        return json.loads(self.raw)

    @property
    def code(self) -> int:
        return int(self.body["statusCode"])


def basic(user: str, password: str = "") -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def send(url: str, method: str = "GET", data: bytes | None = None,
         headers: dict[str, str] | None = None, opener: urllib.request.OpenerDirector | None = None,
         ) -> Reply:
    """One request; HTTP errors are replies too."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    opener = opener or urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Reply(error.code, error.headers, error.read())


class Session:
    """A user's session: Basic credentials (optional), cookie jar, CSRF token."""

    def __init__(self, base: str, user: str | None = "ksippo", password: str | None = None,
                 cafile: str | None = None) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        handlers: list[urllib.request.BaseHandler] = [
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.cookies)]
        if cafile:
            context = ssl.create_default_context(cafile=cafile)
            handlers.append(urllib.request.HTTPSHandler(context=context))
        self.opener = urllib.request.build_opener(*handlers)
        if password is None:
            password = "" if user == "ksippo" else "password"
        self.auth = basic(user, password) if user else None
        self.csrf: str | None = None

    def request(self, method: str, path: str, data: bytes | None = None,
                headers: dict[str, str] | None = None, use_auth: bool = True) -> Reply:
        all_headers = dict(headers or {})
        if self.auth and use_auth:
            all_headers.setdefault("Authorization", self.auth)
        reply = send(self.base + path, method, data, all_headers, self.opener)
        if reply.headers.get("X-CSRF-TOKEN"):
            self.csrf = reply.headers["X-CSRF-TOKEN"]
        return reply

    def get(self, path: str, **kwargs: Any) -> Reply:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any, csrf: bool = True, **kwargs: Any) -> Reply:
        headers = {"Content-Type": "application/json"}
        if csrf:
            if self.csrf is None:
                self.get("/api/v2/me")
            headers["X-CSRF-TOKEN"] = self.csrf or ""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return self.request("POST", path, data, headers, **kwargs)

    def op(self, path: str, name: str, **params: Any) -> Reply:
        return self.post(path, {"operationName": name, **params})

    # conveniences over the simulated user

    def login(self) -> Reply:
        return self.op("/api/v2/me", "StartContactCenterSession", channels=["voice"])

    def device(self) -> dict[str, Any]:
        return self.get("/api/v2/me/devices?fields=*").body["devices"][0]

    def calls(self) -> list[dict[str, Any]]:
        calls: list[dict[str, Any]] = self.get("/api/v2/me/calls?fields=*").body["calls"]
        return calls

    def dial(self, number: str, **params: Any) -> Reply:
        device_id = self.device()["id"]
        destination = {"phoneNumber": number}
        return self.op(f"/api/v2/me/devices/{device_id}/calls", "Dial", destination=destination,
                       **params)

    def call_op(self, call_id: str, name: str, **params: Any) -> Reply:
        return self.op(f"/api/v2/me/calls/{call_id}", name, **params)
