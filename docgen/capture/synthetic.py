"""Synthetic Genesys Web Services traffic (ids and bodies shaped as in the reference).

Exchange builders for the tests and the benchmarks (bench/ never imports tests/);
deterministic for a given seed. Not used by wsdoc itself.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from typing import Any

from docgen.capture.record import Body, Exchange

HOST = "gws.example"
PORT = 8090
STATES = ["Ready", "NotReady", "AfterCallWork", "LoggedIn"]
CALL_STATES = ["Dialing", "Ringing", "Established", "Held", "Released"]
CALL_OPERATIONS = ["Answer", "Hangup", "Hold", "Retrieve", "InitiateTransfer", "AttachUserData"]
VOICE_OPERATIONS = ["Ready", "NotReady", "AfterCallWork"]
DEVICE_OPERATIONS = ["DoNotDisturbOn", "DoNotDisturbOff", "ForwardCallsOn"]


def json_body(value: Any) -> Body:
    content = json.dumps(value).encode()
    return Body(content=content, content_type="application/json", size=len(content))


def exchange(method: str, path: str, response: Any = None, status: int = 200,
             request: Any = None, query: list[tuple[str, str]] | None = None,
             started: float = 1_700_000_000.0, raw_request: Body | None = None,
             raw_response: Body | None = None) -> Exchange:
    """One Web Services-like exchange with JSON bodies and Basic auth."""
    headers = [("Host", f"{HOST}:{PORT}"), ("Accept", "application/json"),
               ("Authorization", "Basic a3NpcHBvOg==")]
    if request is not None or raw_request is not None:
        headers.append(("Content-Type", "application/json"))
    return Exchange(
        method=method, scheme="http", host=HOST, port=PORT, path=path, query=query or [],
        request_headers=headers,
        request_body=raw_request or (json_body(request) if request is not None else Body()),
        status=status, reason={200: "OK", 403: "Forbidden", 500: "Server Error"}.get(status, ""),
        response_headers=[("Content-Type", "application/json;charset=UTF-8")],
        response_body=raw_response or (json_body(response) if response is not None else Body()),
        started=started, duration_ms=3.0,
    )


def user_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def device_id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128)))


def call_id(rng: random.Random) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return "0" + "".join(rng.choice(alphabet) for _ in range(31))


def user(rng: random.Random, with_email: bool = True) -> dict[str, Any]:
    ident = user_id(rng)
    body: dict[str, Any] = {
        "id": ident, "userName": f"agent{rng.randint(1, 999)}", "firstName": "Kristi",
        "lastName": "Sippola", "roles": ["ROLE_AGENT"], "enabled": True,
        "changePasswordOnFirstLogin": False,
        "uri": f"http://127.0.0.1/cloud-web/api/v2/users/{ident}", "path": f"/users/{ident}",
    }
    if with_email:
        body["emailAddress"] = f"agent{rng.randint(1, 999)}@example.com"
    return body


def device(rng: random.Random) -> dict[str, Any]:
    return {
        "id": device_id(rng), "deviceState": rng.choice(["Active", "Inactive"]),
        "userState": {"id": device_id(rng), "displayName": "Ready", "state": rng.choice(STATES)},
        "phoneNumber": str(rng.randint(5000, 5999)), "telephonyNetwork": "Private",
        "doNotDisturb": rng.choice(["On", "Off"]), "capabilities": ["DoNotDisturbOn"],
    }


def call(rng: random.Random) -> dict[str, Any]:
    return {
        "id": call_id(rng), "state": rng.choice(CALL_STATES),
        "connId": f"{rng.getrandbits(64):016x}",
        "callType": rng.choice(["Internal", "Inbound", "Outbound"]), "duration": "12",
        "participants": [{"phoneNumber": "5001", "digits": "5001"}], "userData": {},
    }


def _pick(rng: random.Random, t: float) -> Exchange:
    roll = rng.random()
    ok = {"statusCode": 0}
    if roll < 0.05:
        return exchange("GET", "/api/v2/diagnostics/version",
                        {"statusCode": 0, "version": "8.5.200.50"}, started=t)
    if roll < 0.20:
        subs = rng.choice([None, "devices", "*"])
        body: dict[str, Any] = {"statusCode": 0, "user": user(rng)}
        if subs:
            body["user"]["devices"] = [device(rng) for _ in range(rng.randint(0, 2))]
        return exchange("GET", "/api/v2/me", body, query=[("subresources", subs)] if subs else [],
                        started=t)
    if roll < 0.30:
        return exchange("GET", f"/api/v2/users/{user_id(rng)}",
                        {"statusCode": 0, "user": user(rng, rng.random() < 0.9)}, started=t)
    if roll < 0.45:
        name = rng.choice(CALL_OPERATIONS)
        request: dict[str, Any] = {"operationName": name}
        if name == "InitiateTransfer":
            request["destination"] = {"phoneNumber": "5002"}
        if name == "AttachUserData":
            request["userData"] = {"case": str(rng.randint(1, 99))}
        return exchange("POST", f"/api/v2/me/calls/{call_id(rng)}", ok, request=request, started=t)
    if roll < 0.55:
        return exchange("POST", "/api/v2/me/channels/voice", ok,
                        request={"operationName": rng.choice(VOICE_OPERATIONS)}, started=t)
    if roll < 0.62:
        return exchange("POST", f"/api/v2/me/devices/{device_id(rng)}", ok,
                        request={"operationName": rng.choice(DEVICE_OPERATIONS)}, started=t)
    if roll < 0.68:
        return exchange("POST", f"/api/v2/me/devices/{device_id(rng)}/calls", ok,
                        request={"operationName": "Dial", "destination": {"phoneNumber": "5002"}},
                        started=t)
    if roll < 0.78:
        return exchange("GET", "/api/v2/me/calls",
                        {"statusCode": 0, "calls": [call(rng) for _ in range(rng.randint(0, 3))]},
                        started=t)
    if roll < 0.82:
        return exchange("GET", "/api/v2/me/calls/active", {"statusCode": 0, "calls": []}, started=t)
    if roll < 0.90:
        return exchange("GET", f"/api/v2/me/calls/{call_id(rng)}",
                        {"statusCode": 0, "call": call(rng)}, started=t)
    if roll < 0.95:
        return exchange("GET", "/api/v2/me", {"statusCode": 20, "statusMessage": "Access denied"},
                        status=403, started=t)
    failure = {"statusCode": 4, "statusMessage": "Device not registered"}
    start = {"operationName": "StartContactCenterSession", "channels": ["voice"]}
    return exchange("POST", "/api/v2/me", failure, status=500, request=start, started=t)


def synthetic_traffic(count: int, seed: int = 7) -> Iterator[Exchange]:
    """`count` exchanges of a mixed agent session, one second apart."""
    rng = random.Random(seed)
    for index in range(count):
        yield _pick(rng, 1_700_000_000.0 + index)
