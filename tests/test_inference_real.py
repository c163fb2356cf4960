"""Endpoint inference over captures made by real traffic (issue 3).

One recording per module (tests/support/recorded_session.py): gwssim (API 8.5.201) behind
`mitmdump -w` behind `wsdoc record`, driven by real curl (gwssim/curl_session.sh with 5
users, then an agent-state tour). Every command under test runs as the user runs it: the
`wsdoc` executable in a subprocess.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from docgen.capture.record import read_json
from docgen.capture.store import Store
from docgen.infer.builder import build_model
from docgen.infer.model import ApiModel, Endpoint, FieldDoc
from gwssim.data import USER_SEEDS
from tests.support.recorded_session import (
    AMBIGUOUS_CHANNELS,
    SESSION_USERS,
    RecordedSession,
    record_session,
)

WSDOC = str(Path(sys.executable).parent / "wsdoc")
CLI_TIMEOUT = 60

EXPECTED_ENDPOINTS = [
    ("GET", "/api/v2/contacts"),
    ("GET", "/api/v2/contacts/{contactId}"),
    ("GET", "/api/v2/devices/{deviceId}/settings/tserver"),
    ("GET", "/api/v2/diagnostics/version"),
    ("GET", "/api/v2/me"),
    ("POST", "/api/v2/me"),
    ("GET", "/api/v2/me/calls"),
    ("GET", "/api/v2/me/calls/{callId}"),
    ("POST", "/api/v2/me/calls/{callId}"),
    ("GET", "/api/v2/me/channels/chat"),  # the ambiguous pair: see test_ambiguous_...
    ("GET", "/api/v2/me/channels/email"),
    ("GET", "/api/v2/me/channels/voice"),
    ("POST", "/api/v2/me/channels/voice"),
    ("GET", "/api/v2/me/devices"),
    ("GET", "/api/v2/me/devices/{deviceId}"),
    ("POST", "/api/v2/me/devices/{deviceId}"),
    ("POST", "/api/v2/me/devices/{deviceId}/calls"),
    ("GET", "/api/v2/me/devices/{deviceId}/settings/tserver"),
    ("GET", "/api/v2/me/skills"),
    ("GET", "/api/v2/no/such/resource"),  # the session's deliberate 404
    ("GET", "/api/v2/services"),
    ("GET", "/api/v2/services/{serviceId}"),
    ("GET", "/api/v2/users"),
    ("GET", "/api/v2/users/{userId}"),
    ("GET", "/api/v2/users/{userId}/skills"),
]

# Operation names the server accepted. Fly (no such operation) and SetMuteOn (added in
# 8.5.202) are the session's deliberate errors: recorded (answered 400), listed apart.
REJECTED = {("POST", "/api/v2/me/calls/{callId}"): ["Fly", "SetMuteOn"]}
EXPECTED_OPERATIONS = {
    ("POST", "/api/v2/me"): ["EndContactCenterSession", "NotReady",
                             "StartContactCenterSession"],
    ("POST", "/api/v2/me/calls/{callId}"): [
        "Answer", "AttachUserData", "ClearCall", "CompleteConference", "CompleteTransfer",
        "DeleteUserData", "DeleteUserDataPair", "Hangup", "Hold", "InitiateConference",
        "InitiateTransfer", "Retrieve", "SendDtmf", "SingleStepConference",
        "SingleStepTransfer", "SwapCalls", "UpdateUserData",
    ],
    ("POST", "/api/v2/me/channels/voice"): ["AfterCallWork", "AuxWork", "NotReady", "Ready"],
    ("POST", "/api/v2/me/devices/{deviceId}"): ["DoNotDisturbOff", "DoNotDisturbOn",
                                                "ForwardCallsOff", "ForwardCallsOn"],
    ("POST", "/api/v2/me/devices/{deviceId}/calls"): ["Dial"],
}

# Id shapes written out here, independently of docgen.profile.
ID_SHAPES = {
    "user id": re.compile(r"[0-9a-f]{32}"),
    "uuid": re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}"),
    "call id": re.compile(r"[0-9A-Z]{32}"),
}


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> RecordedSession:
    return record_session(tmp_path_factory.mktemp("recorded"))


@pytest.fixture(scope="module")
def model(session: RecordedSession) -> ApiModel:
    return model_of(session.store)


@pytest.fixture(scope="module")
def response_ids(session: RecordedSession) -> dict[str, set[str]]:
    return ids_in_responses(session.store)


def model_of(store: Path) -> ApiModel:
    with Store(store, readonly=True) as opened:
        return build_model(opened.exchanges())


def wsdoc(*args: str, cwd: Path) -> str:
    done = subprocess.run([WSDOC, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=CLI_TIMEOUT, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def endpoint(model: ApiModel, method: str, template: str) -> Endpoint:
    return next(e for e in model.endpoints if (e.method, e.template) == (method, template))


def response_field(model: ApiModel, method: str, template: str, path: str) -> FieldDoc:
    body = endpoint(model, method, template).responses[200].body
    assert body is not None
    return next(f for f in body.fields if f.path == path)


def walk_json(value: Any) -> Iterator[tuple[str, Any]]:
    """(key, value) of every object member, at any depth (bounded by the JSON itself)."""
    pending = [value]
    while pending:
        current = pending.pop()
        if isinstance(current, dict):
            pending.extend(current.values())
            yield from current.items()
        elif isinstance(current, list):
            pending.extend(current)


def kind_of(key: str, item: dict[str, Any]) -> str:
    """"calls" for {"path": "/me/calls/ID"}; else the key the object was found under."""
    path = item.get("path")
    return path.split("/")[-2] if isinstance(path, str) and path.count("/") >= 2 else key


def ids_in_responses(store: Path) -> dict[str, set[str]]:
    """Ids the server sent: users, devices and calls (objects whose `path` says which, or
    the items of a `calls` list), and under "any" every `id` value (skills and states too)."""
    found: dict[str, set[str]] = {"users": set(), "devices": set(), "calls": set(),
                                  "any": set()}
    with Store(store, readonly=True) as opened:
        for exchange in opened.exchanges():
            body, _ = read_json(exchange.response_body)
            for key, value in walk_json(body):
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        found["any"].add(item["id"])
                        found.get(kind_of(key, item), set()).add(item["id"])
    return found


# -- the session -------------------------------------------------------------------------


def test_session_has_five_users_three_devices_five_calls(
        session: RecordedSession, response_ids: dict[str, set[str]]) -> None:
    assert session.users == SESSION_USERS >= 5
    assert session.calls_dialled >= 5
    ids = response_ids
    assert len(ids["users"]) >= 5 and len(ids["devices"]) >= 3 and len(ids["calls"]) >= 5
    with Store(session.store, readonly=True) as opened:
        assert opened.count() == session.requests + session.tour_requests


# -- endpoints ---------------------------------------------------------------------------


def test_exactly_the_expected_endpoints(model: ApiModel) -> None:
    assert [(e.method, e.template) for e in model.endpoints] == EXPECTED_ENDPOINTS


def test_no_literal_id_left_in_any_template(model: ApiModel,
                                           response_ids: dict[str, set[str]]) -> None:
    ids = response_ids["any"]
    assert len(ids) > 20
    for found in model.endpoints:
        for segment in found.template.strip("/").split("/"):
            if segment.startswith("{") and segment.endswith("}"):
                continue
            assert segment not in ids, found.template
            for shape, pattern in ID_SHAPES.items():
                assert not pattern.fullmatch(segment), f"{shape} in {found.template}"


def test_literal_words_beside_ids_stay_literal(model: ApiModel) -> None:
    dial = endpoint(model, "POST", "/api/v2/me/devices/{deviceId}/calls")
    assert [p.name for p in dial.path_params] == ["deviceId"]
    assert endpoint(model, "GET", "/api/v2/me/calls").path_params == []
    assert endpoint(model, "POST", "/api/v2/me/channels/voice").path_params == []
    skills = endpoint(model, "GET", "/api/v2/users/{userId}/skills")
    assert [p.name for p in skills.path_params] == ["userId"]


def test_path_parameters_have_their_id_shape(model: ApiModel) -> None:
    call = endpoint(model, "POST", "/api/v2/me/calls/{callId}").path_params[0]
    assert (call.shape, call.schema) == ("call-id", {"type": "string",
                                                     "pattern": "^[0-9A-Z]{32}$"})
    for method, template in [("GET", "/api/v2/me/devices/{deviceId}"),
                             ("POST", "/api/v2/me/devices/{deviceId}/calls")]:
        device = endpoint(model, method, template).path_params[0]
        assert (device.shape, device.schema) == ("uuid", {"type": "string", "format": "uuid"})
    # One of the user ids is the all-zero id of a deliberate 404: still a hex32 user id.
    user = endpoint(model, "GET", "/api/v2/users/{userId}").path_params[0]
    assert user.shape == "hex32" and user.schema["pattern"] == "^[0-9a-fA-F]{32}$"


def test_operations_per_endpoint(model: ApiModel) -> None:
    found = {(e.method, e.template): e.operation_names for e in model.endpoints
             if e.operation_names}
    assert found == EXPECTED_OPERATIONS
    rejected = {(e.method, e.template): [op.name for op in e.rejected_operations]
                for e in model.endpoints if e.rejected_operations}
    assert rejected == REJECTED
    voice = endpoint(model, "POST", "/api/v2/me/channels/voice")
    ready = next(op for op in voice.operations if op.name == "Ready")
    assert sorted(ready.responses) == [200, 400, 403]  # bad workmode, no session, no CSRF


# -- fields ------------------------------------------------------------------------------


def test_sometimes_absent_user_fields_are_optional(model: ApiModel) -> None:
    users = USER_SEEDS[:SESSION_USERS]
    template = "/api/v2/users/{userId}"  # each of the 5 users read twice, no fields filter
    for path, having in [("/user/emailAddress", [u for u in users if u.email_address]),
                         ("/user/employeeId", [u for u in users if u.employee_id])]:
        field = response_field(model, "GET", template, path)
        assert 0 < len(having) < len(users)
        assert (field.required, field.seen, field.total) == (False, 2 * len(having), 10), path
    for path in ("/user/id", "/user/userName", "/user/roles", "/user/uri"):
        field = response_field(model, "GET", template, path)
        assert (field.required, field.presence) == (True, "10/10"), path


def test_sometimes_absent_device_fields_are_optional(model: ApiModel) -> None:
    template = "/api/v2/me/devices/{deviceId}"
    forward = response_field(model, "GET", template, "/device/forwardTo")
    work_mode = response_field(model, "GET", template, "/device/userState/workMode")
    assert not forward.required and forward.seen == 2 and forward.examples == ["5999"]
    assert not work_mode.required and 0 < (work_mode.seen or 0) < (work_mode.total or 0)
    for path in ("/device/id", "/device/deviceState", "/device/userState",
                 "/device/userState/state", "/device/phoneNumber", "/device/voiceEnvironmentUri",
                 "/device/channels", "/device/dynamicPhoneNumber"):
        assert response_field(model, "GET", template, path).required, path


def test_formats(model: ApiModel) -> None:
    expected = [
        ("GET", "/api/v2/me", "/user/devices[]/id", "uuid"),
        ("GET", "/api/v2/me/devices/{deviceId}", "/device/id", "uuid"),
        ("GET", "/api/v2/users/{userId}", "/user/contactCenterId", None),  # not in 8.5.201
        ("GET", "/api/v2/users/{userId}", "/user/uri", "uri"),
        ("GET", "/api/v2/me/devices/{deviceId}", "/device/voiceEnvironmentUri", "uri"),
        ("GET", "/api/v2/me", "/user/features[]/uri", "uri"),
        ("GET", "/api/v2/services/{serviceId}", "/service/uri", "uri"),
        ("GET", "/api/v2/contacts/{contactId}", "/contact/uri", "uri"),
        ("GET", "/api/v2/me/calls/{callId}", "/call/uri", "uri"),
        ("GET", "/api/v2/users/{userId}", "/user/emailAddress", "email"),
        ("GET", "/api/v2/users/{userId}", "/user/id", None),  # hex32: no JSON Schema format
        # "8.5.201.97" is a dotted quad, but one repeated value does not make it an ipv4
        ("GET", "/api/v2/diagnostics/version", "/version", None),
    ]
    for method, template, path, wanted in expected:
        if wanted is None and path.endswith("contactCenterId"):
            body = endpoint(model, method, template).responses[200].body
            assert body is not None and all(f.path != path for f in body.fields)
            continue
        assert response_field(model, method, template, path).format == wanted, path


def test_enums(model: ApiModel) -> None:
    expected = [
        # One value seen 15 times is no evidence of a closed set (issue 11): no enum.
        ("GET", "/api/v2/me/devices/{deviceId}", "/device/deviceState", None),
        ("GET", "/api/v2/me/devices/{deviceId}", "/device/userState/state",
         ["AfterCallWork", "NotReady", "Ready"]),
        ("GET", "/api/v2/me/devices/{deviceId}", "/device/userState/workMode",
         ["AuxWork", "ManualIn"]),
        ("GET", "/api/v2/me", "/user/devices[]/userState/state",
         ["AfterCallWork", "LoggedOut", "NotReady"]),
        ("GET", "/api/v2/me/calls", "/calls[]/state", ["Dialing", "Established", "Held",
                                                       "Ringing"]),
        ("GET", "/api/v2/me/calls", "/calls[]/callType", ["Internal", "Outbound"]),
        ("GET", "/api/v2/users", "/users[]/roles[]", ["ROLE_AGENT", "ROLE_SUPERVISOR"]),
    ]
    for method, template, path, values in expected:
        assert response_field(model, method, template, path).enum == values, path


def test_the_unregistered_device_is_seen(model: ApiModel) -> None:
    """ksippo's second DN has no registered phone: Inactive, and then without a userState."""
    state = response_field(model, "GET", "/api/v2/me/devices", "/devices[]/deviceState")
    assert state.examples == ["Active", "Inactive"]
    user_state = response_field(model, "GET", "/api/v2/me/devices", "/devices[]/userState")
    assert not user_state.required


def test_call_and_feature_fields_have_the_real_types(model: ApiModel) -> None:
    call = "/api/v2/me/calls/{callId}"
    for path, wanted in [("/call/mute", "string"), ("/call/supervisorListeningIn", "boolean"),
                         ("/call/case", "array"), ("/call/callUuid", "string")]:
        assert response_field(model, "GET", call, path).type == wanted, path
    auto = "/user/features[]/autoAssignOnContactCenterCreate"
    assert response_field(model, "GET", "/api/v2/me", auto).type == "boolean"


def test_names_and_ids_are_not_enums(model: ApiModel) -> None:
    """Five users read again and again repeat their names: no evidence of a closed set."""
    for path in ("/user/userName", "/user/firstName", "/user/employeeId", "/user/path"):
        field = response_field(model, "GET", "/api/v2/users/{userId}", path)
        assert field.enum is None and len(field.examples) >= 2, path
    e164 = response_field(model, "GET", "/api/v2/me/devices/{deviceId}", "/device/e164Number")
    assert e164.enum is None


# -- explanations ------------------------------------------------------------------------


def test_ambiguous_position_is_decided_and_explained(session: RecordedSession) -> None:
    """`chat` and `email` are the only non-id values after /api/v2/me/channels/ (`voice` is
    a known word): two values, below the threshold of 10, so both stay literal."""
    cwd = session.store.parent
    for channel in AMBIGUOUS_CHANNELS:
        output = wsdoc("explain-path", f"/api/v2/me/channels/{channel}", "--store",
                       str(session.store), cwd=cwd).splitlines()
        assert output[1] == f"  -> /api/v2/me/channels/{channel}"
        assert re.match(r"  evidence: \d+ recorded paths from ", output[2])
        last = output[-1].split(maxsplit=2)
        assert last[:2] == [channel, "literal"]
        assert last[2] == ("ambiguous: 2 distinct non-id values follow /api/v2/me/channels/ "
                           "(threshold 10); rule: below the threshold a segment stays literal "
                           "(pin a template to make it a parameter)")
    config = cwd / "pinned.toml"
    config.write_text('templates = ["/api/v2/me/channels/{channel}"]\n')
    pinned = wsdoc("explain-path", "/api/v2/me/channels/chat", "--store", str(session.store),
                   "--config", str(config), cwd=cwd)
    assert "-> /api/v2/me/channels/{channel}" in pinned
    assert "pinned template /api/v2/me/channels/{channel}" in pinned


def test_explain_path_of_ids_beside_words(session: RecordedSession,
                                         response_ids: dict[str, set[str]]) -> None:
    device = sorted(response_ids["devices"])[0]
    output = wsdoc("explain-path", f"/api/v2/me/devices/{device}/calls", "--store",
                   str(session.store), cwd=session.store.parent)
    rows = [line.split(maxsplit=2) for line in output.splitlines()[3:]]
    assert output.splitlines()[1] == "  -> /api/v2/me/devices/{deviceId}/calls"
    assert [row[:2] for row in rows] == [
        ["api", "literal"], ["v2", "literal"], ["me", "literal"], ["devices", "literal"],
        [device, "{deviceId}"], ["calls", "literal"]]
    assert rows[4][2].startswith("id shape uuid")
    assert rows[5][2] == "known path word of the API profile"


# -- OpenAPI and imports -----------------------------------------------------------------


def test_openapi_from_the_store_validates(session: RecordedSession) -> None:
    out = session.store.parent / "openapi.json"
    wsdoc("openapi", "--store", str(session.store), "-o", str(out), cwd=out.parent)
    document = json.loads(out.read_text())
    validate(document)
    found = sorted((method.upper(), path) for path, item in document["paths"].items()
                   for method in item)
    assert found == sorted(EXPECTED_ENDPOINTS)
    dial = document["paths"]["/api/v2/me/devices/{deviceId}/calls"]["post"]
    assert dial["parameters"][0]["schema"] == {"type": "string", "format": "uuid"}
    calls = document["paths"]["/api/v2/me/calls/{callId}"]["post"]
    assert calls["x-wsdoc-operations"] == EXPECTED_OPERATIONS[
        ("POST", "/api/v2/me/calls/{callId}")]


def signature(model: ApiModel) -> list[tuple[Any, ...]]:
    """Endpoints, operations, counts and every response field row, for comparison."""
    rows: list[tuple[Any, ...]] = []
    for found in model.endpoints:
        rows.append((found.method, found.template, tuple(found.operation_names),
                     found.sample_count, tuple(found.status_codes.items())))
        for status, response in found.responses.items():
            for field in response.body.fields if response.body else []:
                rows.append((found.method, found.template, status, field.path, field.type,
                             field.format, field.enum, field.required, field.presence))
    return rows


@pytest.mark.parametrize("source", ["har", "flows"])
def test_import_of_the_same_traffic_gives_the_same_model(session: RecordedSession,
                                                         model: ApiModel, source: str) -> None:
    """The HAR that mitmproxy exported, and the flow file itself, through `wsdoc import`."""
    file = session.har if source == "har" else session.flows
    imported = session.store.parent / f"imported-{source}.sqlite"
    output = wsdoc("import", str(file), "--store", str(imported), cwd=imported.parent)
    assert output.startswith(f"imported {model.exchange_count} exchanges from ")
    assert f"({source})" in output
    imported_model = model_of(imported)
    assert [(e.method, e.template, e.operation_names) for e in imported_model.endpoints] == [
        (e.method, e.template, e.operation_names) for e in model.endpoints]
    assert signature(imported_model) == signature(model)


def test_endpoints_command_lists_them(session: RecordedSession) -> None:
    lines = wsdoc("endpoints", "--store", str(session.store),
                  cwd=session.store.parent).splitlines()
    rows = [line for line in lines[1:-1] if not line.startswith(" ")]  # not operations
    assert [tuple(line.split()[:2]) for line in rows] == EXPECTED_ENDPOINTS
    assert max(len(line) for line in lines) <= 100
    assert lines[-1] == (f"{len(EXPECTED_ENDPOINTS)} endpoints from "
                         f"{session.requests + session.tour_requests} exchanges")
