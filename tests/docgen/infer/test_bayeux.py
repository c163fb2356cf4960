"""Bayeux splitting, grouping and payload inference on synthetic notifications traffic."""

from __future__ import annotations

import json
from typing import Any

from docgen.capture.record import Body, Exchange
from docgen.infer.bayeux import (
    BayeuxStats,
    MessageKey,
    bayeux_messages,
    message_key,
    on_path,
    state_label,
    state_values,
)
from docgen.infer.schema.builder import infer_schema
from docgen.infer.schema.settings import SchemaSettings
from tests.support.bayeux import (
    PATH,
    READY_ID,
    bayeux,
    body,
    call_message,
    connect,
    device_message,
    handshake,
)


def stats_of(exchanges: list[Exchange], settings: SchemaSettings | None = None) -> BayeuxStats:
    stats = BayeuxStats(PATH, settings or SchemaSettings())
    for exchange in exchanges:
        stats.add(exchange.path, bayeux_messages(exchange.request_body), exchange.response_body)
    return stats


def session_traffic() -> list[Exchange]:
    """A short, realistic listener: three agent states and one outbound call."""
    return [
        *handshake("c1", 0.0),
        connect("c1", 0.1),
        connect("c1", 0.2, device_message("Ready"), duration_ms=900),
        connect("c1", 1.2, device_message("NotReady"), duration_ms=900),
        connect("c1", 2.2, device_message("Ready"), duration_ms=900),
        connect("c1", 3.2, call_message("Dialing"), duration_ms=400),
        connect("c1", 3.7, call_message("Established"), call_message("Established",
                                                                      "AttachedDataChanged")),
        bayeux("/connect", [{"channel": "/meta/connect", "clientId": "gone",
                             "connectionType": "long-polling"}],
               [{"channel": "/meta/connect", "successful": False, "error": "402::Unknown client",
                 "advice": {"reconnect": "handshake"}}], 4.0),
    ]


def test_the_path_and_its_sub_paths_only() -> None:
    assert on_path(PATH, PATH) and on_path(PATH + "/connect", PATH)
    assert on_path(PATH + "/handshake", PATH + "/")
    assert not on_path("/api/v2/notificationsx", PATH) and not on_path("/api/v2/me", PATH)
    assert not on_path(PATH, "")


def test_bodies_split_into_messages() -> None:
    assert bayeux_messages(body([{"channel": "/meta/connect"}, {"channel": "/a"}])) == [
        {"channel": "/meta/connect"}, {"channel": "/a"}]
    assert bayeux_messages(body({"channel": "/meta/handshake"})) == [
        {"channel": "/meta/handshake"}]
    not_bayeux: Any
    for not_bayeux in ([], [1], [{"data": {}}], [{"channel": 7}], {"statusCode": 0}, "x"):
        assert bayeux_messages(body(not_bayeux)) is None, not_bayeux
    assert bayeux_messages(body(b"[{not json")) is None
    assert bayeux_messages(Body()) is None


def test_meta_messages_are_documented_once_per_channel() -> None:
    stats = stats_of(session_traffic())
    assert list(stats.meta) == ["/meta/handshake", "/meta/subscribe", "/meta/connect"]
    connect_meta = stats.meta["/meta/connect"].to_doc()
    assert connect_meta.requests == 7 and connect_meta.successful == 6 and connect_meta.failed == 1
    assert connect_meta.paths == {PATH + "/connect": 7}
    assert connect_meta.errors == {"402::Unknown client": 1}
    assert connect_meta.request is not None and connect_meta.reply is not None
    fields = {f.path: f for f in connect_meta.request.fields}
    assert fields["/clientId"].required and fields["/connectionType"].required
    assert fields["/connectionType"].enum == ["long-polling"]
    subscribe = stats.meta["/meta/subscribe"].to_doc()
    assert subscribe.paths == {PATH: 1}
    assert stats.subscriptions == {"/v2/me/*": 1}
    assert stats.clients == {"c1"}
    assert stats.exchanges == 9 and stats.not_bayeux == 0


def test_data_messages_grouped_by_channel_message_and_notification_type() -> None:
    stats = stats_of(session_traffic())
    assert sorted(stats.messages) == [
        MessageKey("/v2/me/calls", "CallStateChangeMessage", "AttachedDataChanged"),
        MessageKey("/v2/me/calls", "CallStateChangeMessage", "StatusChange"),
        MessageKey("/v2/me/devices", "DeviceStateChangeMessage", ""),
    ]
    devices = stats.messages[MessageKey("/v2/me/devices", "DeviceStateChangeMessage")]
    assert devices.count == 3
    example = stats.examples[MessageKey("/v2/me/devices", "DeviceStateChangeMessage")]
    assert example == device_message("Ready")


def test_state_fields_get_enums_from_a_short_session() -> None:
    stats = stats_of(session_traffic())
    devices = stats.messages[MessageKey("/v2/me/devices", "DeviceStateChangeMessage")].to_doc()
    assert devices is not None and devices.schema is not None
    fields = {f.path: f for f in devices.fields}
    assert fields["/devices[]/userState/state"].enum == ["NotReady", "Ready"]
    assert fields["/messageType"].enum == ["DeviceStateChangeMessage"]
    assert fields["/devices[]/deviceState"].enum == ["Active"]
    assert fields["/devices[]/id"].format == "uuid" and fields["/devices[]/id"].enum is None
    assert fields["/devices[]/userState/displayName"].enum is None  # not a state or a type
    state = devices.schema["properties"]["devices"]["items"]["properties"]["userState"]
    assert state["properties"]["state"]["enum"] == ["NotReady", "Ready"]
    calls = stats.messages[MessageKey("/v2/me/calls", "CallStateChangeMessage",
                                      "StatusChange")].to_doc()
    assert calls is not None
    assert {f.path: f for f in calls.fields}["/call/state"].enum == ["Dialing", "Established"]
    # The generic inference alone would not have dared: three samples, two values.
    generic = infer_schema([m["data"] for m in (device_message("Ready"),
                                                device_message("NotReady"),
                                                device_message("Ready"))])
    generic_state = generic["properties"]["devices"]["items"]["properties"]["userState"]
    assert "enum" not in generic_state["properties"]["state"]


def test_state_enums_refuse_ids_free_text_and_too_many_values() -> None:
    settings = SchemaSettings(enum_max_distinct=3)
    many = [{"channel": "/x", "data": {"state": f"S{i}", "kind": "A"}} for i in range(5)]
    odd = [{"channel": "/y", "data": {"state": value, "callType": "Internal"}}
           for value in ("Ready", "waiting for the supervisor", READY_ID)]
    stats = stats_of([connect("c", 0.0, *many, *odd)], settings)
    x = stats.messages[MessageKey("/x")].to_doc()
    y = stats.messages[MessageKey("/y")].to_doc()
    assert x is not None and y is not None
    assert {f.path: f.enum for f in x.fields}["/state"] is None
    assert {f.path: f.enum for f in y.fields} == {"/state": None, "/callType": ["Internal"]}


def test_state_values_name_their_parent() -> None:
    assert state_values(device_message("NotReady")["data"]) == [("userState.state", "NotReady")]
    assert state_values(call_message("Dialing")["data"]) == [("call.state", "Dialing")]
    assert state_values({"state": "On"}) == [("state", "On")]
    assert state_label("/a[]/b[][]/state") == "b.state"


def test_message_keys_and_hostile_bodies() -> None:
    assert message_key({"channel": "/c", "data": "text"}) == MessageKey("/c")
    assert message_key({"channel": "/c", "data": {"messageType": 5}}) == MessageKey("/c")
    long_channel = "/" + "x" * 5000
    stats = stats_of([
        connect("c", 0.0, {"channel": long_channel, "data": {"messageType": "M"}}),
        bayeux("", b"<html>", [], 1.0),
        connect("c", 2.0, {"channel": "/deep", "data": json.loads("[" * 50 + "]" * 50)}),
    ])
    assert stats.not_bayeux == 1
    assert max(len(key.channel) for key in stats.messages) == 200
    deep = stats.messages[MessageKey("/deep")].to_doc()
    assert deep is not None and deep.schema is not None


def test_published_data_messages_are_counted_not_documented() -> None:
    stats = stats_of([bayeux("", [{"channel": "/service/chat", "data": {"text": "hi"}}],
                             [{"channel": "/service/chat", "successful": True}], 0.0)])
    assert stats.published == 1
    assert not stats.messages  # the reply only acknowledges the publish
