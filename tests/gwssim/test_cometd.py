"""CometD long-polling: handshake, subscribe, held connects, sequences, per-user delivery."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from gwssim.cometd_client import CometdClient, CometdError
from tests.gwssim.client import Session, basic, send

EXTERNAL = "14155550123"
Messages = list[dict[str, Any]]


@pytest.fixture
def url(gwssim_factory: Callable[..., str]) -> str:
    return gwssim_factory("--event-delay", "0.02", "--long-poll-timeout", "1")


def client(url: str, user: str = "ksippo", *channels: str) -> CometdClient:
    password = "" if user == "ksippo" else "password"
    opened = CometdClient(url, user, password).open()
    opened.subscribe(*(channels or ("/v2/me/*",)))
    assert opened.connect() == []  # the first connect answers at once
    return opened


def collect(listener: CometdClient, count: int, seconds: float = 5) -> Messages:
    return listener.collect(seconds, until=lambda got: len(got) >= count)


def device_states(messages: Messages) -> list[str]:
    return [m["data"]["devices"][0]["userState"]["state"] for m in messages
            if m["data"]["messageType"] == "DeviceStateChangeMessage"]


def call_states(messages: Messages) -> list[str]:
    return [m["data"]["call"]["state"] for m in messages
            if m["data"].get("notificationType") == "StatusChange"]


def test_handshake_subscribe_and_connect_replies(url: str) -> None:
    session = Session(url)
    session.get("/api/v2/me")
    handshake = session.post("/api/v2/notifications/handshake", [{
        "channel": "/meta/handshake", "version": "1.0", "id": "1",
        "supportedConnectionTypes": ["long-polling"]}]).body[0]
    assert handshake["successful"] is True and handshake["id"] == "1"
    assert handshake["supportedConnectionTypes"] == ["long-polling"]
    assert handshake["version"] == "1.0" and handshake["clientId"]
    client_id = handshake["clientId"]
    subscribe = session.post("/api/v2/notifications", [{
        "channel": "/meta/subscribe", "clientId": client_id, "subscription": "/v2/me/calls"}])
    assert subscribe.body[0]["successful"] is True
    denied = session.post("/api/v2/notifications/subscribe", [{
        "channel": "/meta/subscribe", "clientId": client_id, "subscription": "/v2/admin"}])
    assert denied.body[0]["successful"] is False
    unknown = session.post("/api/v2/notifications/connect", [{
        "channel": "/meta/connect", "clientId": "nope", "connectionType": "long-polling"}])
    assert unknown.body[0]["successful"] is False
    assert unknown.body[0]["advice"]["reconnect"] == "handshake"
    connect = {"channel": "/meta/connect", "clientId": client_id, "connectionType": "long-polling"}
    first = session.post("/api/v2/notifications/connect", [connect]).body
    assert first[-1]["successful"] is True and first[-1]["advice"]["timeout"] == 1000
    started = time.monotonic()
    held = session.post("/api/v2/notifications/connect", [connect]).body
    assert 0.8 <= time.monotonic() - started < 3  # held for the long-poll timeout
    assert held == [{"channel": "/meta/connect", "successful": True, "clientId": client_id,
                     "advice": {"reconnect": "retry", "interval": 0, "timeout": 1000}}]
    bye = session.post("/api/v2/notifications/disconnect", [{
        "channel": "/meta/disconnect", "clientId": client_id}]).body[0]
    assert bye["successful"] is True


def test_notifications_need_authentication_and_csrf(url: str) -> None:
    message = b'[{"channel":"/meta/handshake","version":"1.0"}]'
    reply = send(url + "/api/v2/notifications", "POST", message)
    assert (reply.status, reply.code) == (403, 20)
    session = Session(url)
    refused = session.post("/api/v2/notifications", message, csrf=False)
    assert (refused.status, refused.code) == (403, 3)
    assert session.post("/api/v2/notifications", b"{bad").code == 10
    wrong = send(url + "/api/v2/notifications", "POST", message,
                 {"Authorization": basic("ksippo", "bad")})
    assert wrong.status == 403


def test_login_and_agent_state_sequence(url: str) -> None:
    listener = client(url)
    agent = Session(url)
    agent.login()
    assert device_states(collect(listener, 2)) == ["LoggedIn", "NotReady"]
    for name in ("Ready", "NotReady", "AfterCallWork"):
        agent.op("/api/v2/me/channels/voice", name)
        messages = collect(listener, 1)
        assert device_states(messages) == [name]
        assert messages[0]["channel"] == "/v2/me/devices"
        device = messages[0]["data"]["devices"][0]
        assert device["voiceEnvironmentUri"].startswith(url + "/api/v2/voice-environments/")
        assert set(messages[0]["data"]["metrics"]["eventProcessing"]) == {
            "nodeProcessingTimeNanos", "serverGenerationTimestamp", "serverProcessingTimeTotalMs"}
    listener.disconnect()


def test_device_feature_notifications(url: str) -> None:
    listener = client(url, "ksippo", "/v2/me/devices")
    agent = Session(url)
    path = f"/api/v2/me/devices/{agent.device()['id']}"
    agent.op(path, "DoNotDisturbOn")
    agent.op(path, "ForwardCallsOn", destination={"phoneNumber": "5003"})
    agent.op(path, "ForwardCallsOff")
    devices = [m["data"]["devices"][0] for m in collect(listener, 3)]
    assert [d["doNotDisturb"] for d in devices] == ["On", "On", "On"]
    assert [d.get("forwardTo") for d in devices] == [None, "5003", None]


def test_call_sequences_reach_each_party_only(url: str) -> None:
    caller_events, callee_events = client(url), client(url, "amiller", "/v2/me/calls")
    bystander = client(url, "bchen")
    caller, callee = Session(url), Session(url, "amiller")
    caller.dial("5002")
    assert call_states(collect(caller_events, 1)) == ["Dialing"]
    ringing = collect(callee_events, 1)
    assert call_states(ringing) == ["Ringing"]
    message = ringing[0]
    assert message["channel"] == "/v2/me/calls"
    assert message["data"]["messageType"] == "CallStateChangeMessage"
    call_id = message["data"]["call"]["id"]
    callee.call_op(call_id, "Answer")
    assert call_states(collect(callee_events, 1)) == ["Established"]
    assert call_states(collect(caller_events, 1)) == ["Established"]
    callee.call_op(call_id, "Hold")
    callee.call_op(call_id, "Retrieve")
    callee.call_op(call_id, "AttachUserData", userData={"k": "v"})
    callee.call_op(call_id, "Hangup")
    later = collect(callee_events, 4)
    assert call_states(later) == ["Held", "Established", "Released"]
    data_changes = [m for m in later if m["data"]["notificationType"] == "AttachedDataChanged"]
    assert data_changes[0]["data"]["call"]["userData"] == {"k": "v"}
    caller_later = collect(caller_events, 2)
    assert [m["data"]["notificationType"] for m in caller_later] == [
        "AttachedDataChanged", "StatusChange"]
    assert call_states(caller_later) == ["Released"]
    assert bystander.collect(0.5) == []


def test_external_dial_is_dialing_then_established(url: str) -> None:
    listener = client(url, "ksippo", "/v2/me/calls")
    agent = Session(url)
    agent.dial(EXTERNAL)
    assert call_states(collect(listener, 2)) == ["Dialing", "Established"]


def test_events_are_separate_delayed_steps(gwssim_factory: Callable[..., str]) -> None:
    url = gwssim_factory("--event-delay", "0.4", "--long-poll-timeout", "2")
    listener = client(url)
    started = time.monotonic()
    Session(url).login()
    first = listener.connect()
    assert device_states(first) == ["LoggedIn"]
    second = listener.connect()
    assert device_states(second) == ["NotReady"]
    assert time.monotonic() - started >= 0.75


def test_custom_notifications_path(gwssim_factory: Callable[..., str]) -> None:
    url = gwssim_factory("--notifications-path", "/cometd", "--event-delay", "0")
    listener = CometdClient(url, "ksippo", notifications_path="/cometd").open()
    listener.subscribe("/v2/me/devices")
    listener.connect()
    Session(url).login()
    assert device_states(collect(listener, 2)) == ["LoggedIn", "NotReady"]
    with pytest.raises(CometdError):
        CometdClient(url, "ksippo").open()  # nothing at the default path
