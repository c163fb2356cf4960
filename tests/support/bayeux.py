"""Bayeux (CometD) exchanges for the notification tests."""

from __future__ import annotations

import base64
import json
from typing import Any

from docgen.capture.record import Body, Exchange

PATH = "/api/v2/notifications"


DEVICE_ID = "9f5a4c3e-2b1d-4e6f-8a7b-1c2d3e4f5a6b"


def http(method: str, path: str, request: Any, reply: Any, started: float, *,
         session: str = "s-ksippo", user: str = "ksippo", status: int = 200,
         duration_ms: float = 5.0) -> Exchange:
    """One exchange as the recorder stores it (session tag, redacted Basic header)."""
    headers = [("Host", "gws.example:8090"), ("Content-Type", "application/json")]
    if user:
        headers.append(("Authorization", basic(user)))
    return Exchange(method=method, scheme="http", host="gws.example", port=8090, path=path,
                    request_headers=headers,
                    request_body=body(request) if request is not None else Body(),
                    status=status, reason="OK", response_body=body(reply),
                    started=started, duration_ms=duration_ms, session=session)


def device_message(state: str, device_id: str = DEVICE_ID) -> dict[str, Any]:
    return {"channel": "/v2/me/devices", "data": {
        "messageType": "DeviceStateChangeMessage",
        "devices": [{"id": device_id, "deviceState": "Active", "phoneNumber": "5001",
                     "userState": {"id": READY_ID, "displayName": state, "state": state}}]}}


def call_message(state: str, notification: str = "StatusChange") -> dict[str, Any]:
    return {"channel": "/v2/me/calls", "data": {
        "messageType": "CallStateChangeMessage", "notificationType": notification,
        "call": {"id": "012PUFMMS0ASNAK48O7GK2LAES000004", "state": state,
                 "callType": "Outbound", "userData": {}}}}


def connect(client: str, started: float, *data: dict[str, Any], duration_ms: float = 5.0,
            **extra: Any) -> Exchange:
    sent = [{"channel": "/meta/connect", "clientId": client, "connectionType": "long-polling"}]
    return bayeux("/connect", sent, connect_reply(client, *data), started,
                  duration_ms=duration_ms, **extra)


def handshake(client: str, started: float, **extra: Any) -> list[Exchange]:
    """Handshake (on the sub-path) and a subscribe (on the plain path)."""
    return [
        bayeux("/handshake", [{"channel": "/meta/handshake", "version": "1.0", "id": "1",
                               "supportedConnectionTypes": ["long-polling"]}],
               [{"channel": "/meta/handshake", "successful": True, "id": "1", "version": "1.0",
                 "clientId": client, "supportedConnectionTypes": ["long-polling"]}],
               started, **extra),
        bayeux("", [{"channel": "/meta/subscribe", "clientId": client, "id": "2",
                     "subscription": "/v2/me/*"}],
               [{"channel": "/meta/subscribe", "successful": True, "id": "2",
                 "clientId": client, "subscription": "/v2/me/*"}], started + 0.01, **extra),
    ]


def bayeux(step: str, sent: list[dict[str, Any]] | bytes, replies: list[dict[str, Any]],
           started: float, **extra: Any) -> Exchange:
    return http("POST", PATH + step, sent, replies, started, **extra)


READY_ID = "9430250E-0A1B-421F-B372-F29E69366DED"


def body(value: Any) -> Body:
    content = value if isinstance(value, bytes) else json.dumps(value).encode()
    return Body(content=content, content_type="application/json", size=len(content))


def basic(user: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:".encode()).decode()


def connect_reply(client: str, *data: dict[str, Any]) -> list[dict[str, Any]]:
    return [*data, {"channel": "/meta/connect", "successful": True, "clientId": client,
                    "advice": {"reconnect": "retry", "interval": 0, "timeout": 5000}}]


