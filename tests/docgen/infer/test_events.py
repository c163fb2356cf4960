"""Notifications in the docs model (build_model), on the site and in the OpenAPI document."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from docgen.capture.record import Exchange
from docgen.errors import WsdocError
from docgen.infer.builder import build_model
from docgen.infer.config import Config, from_mapping
from docgen.infer.model import ApiModel, Operation
from docgen.publish.openapi import to_openapi
from docgen.publish.site.names import page_name
from docgen.publish.site.pages import SiteOptions, render_site
from docgen.publish.site.writer import run_mkdocs, write_site
from tests.support.bayeux import (
    DEVICE_ID,
    PATH,
    call_message,
    connect,
    device_message,
    handshake,
    http,
)
from tests.support.html_checks import SAFE_TAGS, ElementCollector, site_markdown
from tests.support.site_models import HOSTILE_STRINGS

VOICE = "/api/v2/me/channels/voice"
DEVICE_PATH = f"/api/v2/me/devices/{DEVICE_ID}/calls"


def operation_call(path: str, name: str, started: float, status: int = 200,
                   **extra: Any) -> Exchange:
    """An operation sent in the agent's own cookie session (not the listener's)."""
    return http("POST", path, {"operationName": name}, {"statusCode": 0 if status == 200 else 2},
                started, status=status, **{"session": "s-curl", **extra})


def agent_capture(listen: bool = True) -> list[Exchange]:
    """ksippo: NotReady, Ready, Dial (Dialing, Established), a rejected Ready, Released."""
    operations = [
        http("GET", "/api/v2/me", None, {"statusCode": 0}, 9.0, session="s-curl"),
        operation_call(VOICE, "NotReady", 10.0),
        operation_call(VOICE, "Ready", 11.0),
        operation_call(DEVICE_PATH, "Dial", 12.0),
        operation_call(VOICE, "Ready", 12.5, status=400),
    ]
    if not listen:
        return operations
    listener = [*handshake("c1", 1.0, session="s-listen"),
                connect("c1", 9.5, device_message("NotReady"), duration_ms=550),
                connect("c1", 10.06, device_message("Ready"), duration_ms=1000),
                connect("c1", 11.07, call_message("Dialing"), duration_ms=1000),
                connect("c1", 12.08, call_message("Established"), duration_ms=20),
                connect("c1", 12.11, call_message("Released"), duration_ms=1000),
                connect("c1", 13.2, duration_ms=5000)]
    for exchange in listener:
        exchange.session = "s-listen"
    return sorted(operations + listener, key=lambda exchange: exchange.started)


def voice_operation(model: ApiModel, name: str, template: str = VOICE) -> Operation:
    endpoint = model.endpoint("POST", template)
    assert endpoint is not None
    return next(op for op in endpoint.operations if op.name == name)


def test_operations_carry_the_notifications_that_followed_them() -> None:
    model = build_model(agent_capture())
    not_ready = voice_operation(model, "NotReady")
    (event,) = not_ready.events
    assert (event.channel, event.message_type, event.seen) == (
        "/v2/me/devices", "DeviceStateChangeMessage", "1/1")
    assert event.states == {"userState.state": {"NotReady": 1}}
    assert event.delay_ms == 50.0 and not not_ready.events_note
    ready = voice_operation(model, "Ready")
    assert ready.events[0].states == {"userState.state": {"Ready": 1}}
    dial = voice_operation(model, "Dial", "/api/v2/me/devices/{deviceId}/calls")
    (calls,) = dial.events
    # The rejected Ready at 12.5 changed nothing, so the Released at 13.11 is still Dial's.
    assert calls.states == {"call.state": {"Dialing": 1, "Established": 1, "Released": 1}}
    assert [s.states for s in dial.event_sequences[0].steps] == [
        ("Dialing",), ("Established",), ("Released",)]


def test_the_model_documents_channels_protocol_and_causes() -> None:
    doc = build_model(agent_capture()).notifications
    assert doc is not None and doc.path == PATH and doc.window_s == 5.0
    assert [c.channel for c in doc.channels] == ["/v2/me/calls", "/v2/me/devices"]
    assert [m.channel for m in doc.meta] == ["/meta/handshake", "/meta/subscribe",
                                            "/meta/connect"]
    assert doc.messages == 5 and doc.clients == 1 and doc.subscriptions == {"/v2/me/*": 1}
    devices = doc.channels[1].messages[0]
    assert [(c.template, c.operation, c.samples, c.observed) for c in devices.causes] == [
        (VOICE, "NotReady", 1, 1), (VOICE, "Ready", 1, 1)]
    calls = doc.channels[0].messages[0]
    assert calls.causes[0].template == "/api/v2/me/devices/{deviceId}/calls"
    assert calls.example == call_message("Dialing")


def test_notes_say_why_an_operation_shows_no_events() -> None:
    silent = build_model(agent_capture(listen=False))
    note = voice_operation(silent, "NotReady").events_note
    assert note.startswith("No notifications were recorded in this capture")
    assert silent.notifications is not None and silent.notifications.exchanges == 0
    other_user = [*agent_capture(), operation_call(VOICE, "AfterCallWork", 20.0,
                                                   session="s-bob", user="bob")]
    model = build_model(other_user)
    assert voice_operation(model, "AfterCallWork").events_note.startswith(
        "No notifications client of the same session or user")
    assert voice_operation(model, "AfterCallWork").events == []
    rejected = build_model([*agent_capture(), operation_call(VOICE, "AuxWork", 21.0, 400)])
    assert voice_operation(rejected, "AuxWork").events_note.startswith("No accepted (2xx)")
    get_me = rejected.endpoint("GET", "/api/v2/me")
    assert get_me is not None and not get_me.operations[0].events_note


def test_the_window_and_the_path_are_configurable() -> None:
    short = build_model(agent_capture(), Config(event_window=0.03))
    assert voice_operation(short, "NotReady").events == []  # 50 ms is past a 30 ms window
    assert voice_operation(short, "NotReady").events_observed == 1
    elsewhere = build_model(agent_capture(), Config(notifications_path="/cometd"))
    assert elsewhere.notifications is not None and not elsewhere.notifications.exchanges
    generic = build_model(agent_capture(), Config(profile_name="generic"))
    assert generic.notifications is None
    assert all(not op.events_note for ep in generic.endpoints for op in ep.operations)


def test_openapi_has_events_and_notification_schemas() -> None:
    spec = to_openapi(build_model(agent_capture()))
    validate(spec)
    entries = spec["paths"][VOICE]["post"]["x-wsdoc-events"]
    not_ready = next(e for e in entries if e["operation"] == "NotReady")
    assert not_ready["events"][0]["states"] == {"userState.state": {"NotReady": 1}}
    assert not_ready["events"][0]["messageType"] == "DeviceStateChangeMessage"
    channels = spec["x-wsdoc-notifications"]["channels"]
    assert channels["/v2/me/calls"][0]["notificationType"] == "StatusChange"
    silent = to_openapi(build_model(agent_capture(listen=False)))
    (entry,) = [e for e in silent["paths"][VOICE]["post"]["x-wsdoc-events"]
                if e["operation"] == "NotReady"]
    assert entry["observed"] == 0 and entry["note"].startswith("No notifications were recorded")


def test_pages_show_events_and_channels() -> None:
    files = render_site(build_model(agent_capture()), SiteOptions(), None)
    voice = files[f"docs/me/{page_name('POST', VOICE)}.md"]
    assert ("- Followed by [DeviceStateChangeMessage](../notification-channels/v2-me-devices.md"
            "#msg-devicestatechangemessage-") in voice
    assert "<code>userState.state</code> = <code>NotReady</code> &#215;1" in voice
    dial = files[f"docs/me/{page_name('POST', '/api/v2/me/devices/{deviceId}/calls')}.md"]
    assert ("**Usual order:** CallStateChangeMessage (StatusChange): Dialing &#8594; "
            "Established &#8594; Released (1 of 1 samples).") in dial
    assert "docs/notification-channels/index.md" in files
    devices = files["docs/notification-channels/v2-me-devices.md"]
    assert f"](../me/{page_name('POST', VOICE)}.md#op-notready-" in devices
    nav = yaml.safe_load(files["mkdocs.yml"])["nav"]
    section = next(item["Notifications"] for item in nav if "Notifications" in item)
    assert section[:3] == [
        {"Overview": "notification-channels/index.md"},
        {"/v2/me/calls": "notification-channels/v2-me-calls.md"},
        {"/v2/me/devices": "notification-channels/v2-me-devices.md"}]
    # The CometD transport endpoints are folded in here, never a nav section of their own.
    assert all(key.startswith("POST ") for entry in section[3:] for key in entry)
    assert "notifications" not in {next(iter(item)) for item in nav if isinstance(item, dict)}


def hostile_capture() -> list[Exchange]:
    messages = [{"channel": f"/v2/{text}", "data": {"messageType": text, "notificationType": text,
                                                   text: text, "call": {"state": text}}}
                for text in HOSTILE_STRINGS]
    return [*agent_capture(), connect("c1", 10.5, *messages, session="s-listen"),
            *(operation_call(VOICE, text, 30.0 + i) for i, text in enumerate(HOSTILE_STRINGS))]


def test_hostile_notifications_render_inert_and_build_strict(tmp_path: Path) -> None:
    files = render_site(build_model(hostile_capture()), SiteOptions(), None)
    channels = [path for path in files if path.startswith("docs/notification-channels/")]
    assert len(channels) == 1 + 2 + len(HOSTILE_STRINGS)
    assert all(re.fullmatch(r"docs/notification-channels/[a-z0-9-]+\.md", p) for p in channels)
    voice = files[f"docs/me/{page_name('POST', VOICE)}.md"]
    assert voice.count("- Followed by [") == 2 + len(HOSTILE_STRINGS)  # Ready; NotReady: all
    for path in [path for path in files if path.endswith(".md")]:
        collector = ElementCollector()
        collector.feed(site_markdown().convert(files[path]))
        for tag, attrs in collector.elements:
            assert tag in SAFE_TAGS, (path, tag)
            assert not any(name.startswith("on") for name, _ in attrs), (path, tag)
            href = dict(attrs).get("href") or ""
            assert "javascript:" not in href.lower(), (path, href)
    write_site(tmp_path, files)
    assert run_mkdocs(tmp_path) > 0
    for page in (tmp_path / "public" / "notification-channels").glob("*.html"):
        assert "<script>window" not in page.read_text()


def test_without_a_discriminator_every_accepted_write_is_an_operation() -> None:
    config = Config(profile_name="generic", notifications_path=PATH)
    model = build_model(agent_capture(), config)
    voice = model.endpoint("POST", VOICE)
    assert voice is not None and [op.name for op in voice.operations] == [None]
    (events,) = voice.operations[0].events
    assert events.seen == "2/2"  # NotReady and Ready; the rejected one is no sample
    assert events.states == {"userState.state": {"NotReady": 1, "Ready": 1}}


def test_event_window_is_a_checked_config_key() -> None:
    assert from_mapping({"event_window": 2}).event_window == 2.0
    assert from_mapping({"event_window": 0.5}).event_window == 0.5
    for bad in (0, -1, 7200, "5", True):
        with pytest.raises(WsdocError, match="event_window"):
            from_mapping({"event_window": bad})


def shifted_captures(repeats: int) -> list[Exchange]:
    """The agent capture again and again, five minutes apart (a long recording)."""
    from dataclasses import replace

    exchanges = []
    for index in range(repeats):
        for exchange in agent_capture():
            exchanges.append(replace(exchange, started=exchange.started + 300.0 * index))
    return exchanges


def test_long_recordings_are_correlated_in_flushes_with_the_same_result(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import docgen.infer.events as events

    capture = shifted_captures(40)
    whole = build_model(capture)
    buffered: list[int] = []
    original = events.EventCollector.flush

    def spy(self: events.EventCollector, settled_before: float) -> None:
        original(self, settled_before)
        buffered.append(len(self.samples) + len(self.notices))

    monkeypatch.setattr(events, "FLUSH_EVERY", 7)
    monkeypatch.setattr(events.EventCollector, "flush", spy)
    flushed = build_model(capture)
    for name, template in [("NotReady", VOICE), ("Ready", VOICE),
                           ("Dial", "/api/v2/me/devices/{deviceId}/calls")]:
        assert voice_operation(flushed, name, template).events == \
            voice_operation(whole, name, template).events
        assert voice_operation(flushed, name, template).event_sequences == \
            voice_operation(whole, name, template).event_sequences
    assert voice_operation(flushed, "NotReady").events[0].seen == "40/40"
    assert len(buffered) > 20 and max(buffered[:-1]) < 30  # bounded, not 40 x 8


def test_a_server_error_collects_the_error_message_it_caused() -> None:
    # As a real 8.5.202 server does: an operation the device can't perform answers HTTP 500
    # and an ErrorMessage follows on /v2/me/devices. It belongs to that operation, not to
    # the Ready before it; a 400 before it changes nothing.
    error = {"messageType": "ErrorMessage", "devicePath": f"/devices/{DEVICE_ID}",
             "deviceUri": f"http://gws.example/api/v2/devices/{DEVICE_ID}"}
    device = f"/api/v2/me/devices/{DEVICE_ID}"
    capture = [
        *handshake("c1", 1.0, session="s-listen"),
        operation_call(VOICE, "Ready", 10.0),
        connect("c1", 9.5, device_message("Ready"), duration_ms=550, session="s-listen"),
        operation_call(device, "DoNotDisturbOn", 11.0, status=400),
        operation_call(device, "DoNotDisturbOn", 12.0, status=500),
        connect("c1", 10.1, {"channel": "/v2/me/devices", "data": error}, duration_ms=2000,
                session="s-listen"),
    ]
    model = build_model(sorted(capture, key=lambda exchange: exchange.started))
    ready = voice_operation(model, "Ready")
    assert [e.message_type for e in ready.events] == ["DeviceStateChangeMessage"]
    refused = voice_operation(model, "DoNotDisturbOn", "/api/v2/me/devices/{deviceId}")
    (event,) = refused.events
    assert (event.message_type, event.seen) == ("ErrorMessage", "1/1")
