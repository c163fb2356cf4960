"""build_model over Web Services-like traffic: endpoints, operations, bodies, streaming."""

from __future__ import annotations

import json
from collections.abc import Iterator

from docgen.capture.record import Body, Exchange
from docgen.capture.synthetic import exchange, synthetic_traffic
from docgen.infer.builder import ModelBuilder, build_model
from docgen.infer.config import Config
from docgen.infer.model import ApiModel, Operation
from tests.support.odd_bodies import odd_bodies

EXPECTED = {
    ("GET", "/api/v2/diagnostics/version"), ("GET", "/api/v2/me"), ("POST", "/api/v2/me"),
    ("GET", "/api/v2/me/calls"), ("GET", "/api/v2/me/calls/active"),
    ("GET", "/api/v2/me/calls/{callId}"), ("POST", "/api/v2/me/calls/{callId}"),
    ("POST", "/api/v2/me/channels/voice"), ("POST", "/api/v2/me/devices/{deviceId}"),
    ("POST", "/api/v2/me/devices/{deviceId}/calls"), ("GET", "/api/v2/users/{userId}"),
}


def model_of(count: int = 3000) -> ApiModel:
    return build_model(synthetic_traffic(count))


def operation(model: ApiModel, method: str, template: str, name: str | None) -> Operation:
    endpoint = model.endpoint(method, template)
    assert endpoint is not None, (method, template)
    return next(op for op in endpoint.operations if op.name == name)


def test_exactly_the_expected_endpoints() -> None:
    model = model_of()
    assert {(e.method, e.template) for e in model.endpoints} == EXPECTED
    assert model.exchange_count == 3000
    assert sum(e.sample_count for e in model.endpoints) == 3000


def test_operations_split_by_operation_name() -> None:
    model = model_of()
    calls = model.endpoint("POST", "/api/v2/me/calls/{callId}")
    assert calls is not None
    assert calls.operation_names == ["Answer", "AttachUserData", "Hangup", "Hold",
                                     "InitiateTransfer", "Retrieve"]
    transfer = operation(model, "POST", "/api/v2/me/calls/{callId}", "InitiateTransfer")
    answer = operation(model, "POST", "/api/v2/me/calls/{callId}", "Answer")
    assert transfer.request and transfer.request.schema
    assert answer.request and answer.request.schema
    assert "destination" in transfer.request.schema["properties"]
    assert "destination" not in answer.request.schema["properties"]
    assert set(answer.responses) == {200}
    assert answer.examples and answer.examples[0].status == 200
    voice = model.endpoint("POST", "/api/v2/me/channels/voice")
    assert voice is not None and voice.operation_names == ["AfterCallWork", "NotReady", "Ready"]
    get_me = model.endpoint("GET", "/api/v2/me")
    assert get_me is not None and [op.name for op in get_me.operations] == [None]


def test_discriminator_is_configurable() -> None:
    traffic = list(synthetic_traffic(500))
    off = build_model(traffic, Config(discriminator=""))
    assert all(not e.operation_names for e in off.endpoints)
    generic = build_model(traffic, Config(profile_name="generic"))
    assert all(not e.operation_names for e in generic.endpoints)
    custom = [exchange("POST", "/rpc", {"ok": True}, request={"action": a}) for a in "xyx"]
    model = build_model(custom, Config(profile_name="generic", discriminator="action"))
    assert model.endpoints[0].operation_names == ["x", "y"]


def test_responses_statuses_and_outcome_codes() -> None:
    model = model_of()
    get_me = model.endpoint("GET", "/api/v2/me")
    assert get_me is not None and set(get_me.status_codes) == {200, 403}
    denied = get_me.operations[0].responses[403]
    assert [(c.value, c.meaning) for c in denied.outcome_codes] == [(20, "not authenticated")]
    assert denied.reason == "Forbidden"
    assert get_me.responses[403].count == denied.count


def test_required_optional_formats_enums_in_bodies() -> None:
    model = model_of()
    user = operation(model, "GET", "/api/v2/users/{userId}", None).responses[200].body
    assert user is not None
    fields = {f.path: f for f in user.fields}
    assert fields["/user/id"].required
    email = fields["/user/emailAddress"]
    assert not email.required and email.format == "email"
    assert email.seen is not None and email.total is not None and email.seen < email.total
    assert fields["/user/uri"].format == "uri"
    me = operation(model, "GET", "/api/v2/me", None).responses[200].body
    assert me is not None
    device_fields = {f.path: f for f in me.fields}
    assert device_fields["/user/devices[]/id"].format == "uuid"
    assert device_fields["/user/devices[]/doNotDisturb"].enum == ["Off", "On"]
    assert device_fields["/user/devices[]/id"].enum is None


def test_query_parameters_and_request_headers() -> None:
    model = model_of()
    get_me = model.endpoint("GET", "/api/v2/me")
    assert get_me is not None
    (subresources,) = get_me.query_params
    assert subresources.name == "subresources" and subresources.location == "query"
    assert 0 < subresources.seen < subresources.total == get_me.sample_count
    assert set(subresources.examples) == {"devices", "*"}
    headers = {p.name: p for p in operation(model, "POST", "/api/v2/me/channels/voice",
                                             "Ready").request_headers}
    assert set(headers) == {"accept", "content-type"}
    assert headers["content-type"].examples == ["application/json"]


def test_query_values_are_typed() -> None:
    exchanges = [exchange("GET", "/api/v2/contacts",
                          query=[("limit", str(n)), ("roles", "A"), ("roles", "B")])
                 for n in (10, 100)]
    model = build_model(exchanges)
    params = {p.name: p for p in model.endpoints[0].query_params}
    assert params["limit"].schema["type"] == "integer" and params["limit"].required
    assert params["roles"].schema["type"] == "array"




def test_non_json_bodies_are_summarised_never_fatal() -> None:
    model = build_model(odd_bodies(), Config(profile_name="generic"))
    body = model.endpoints[0].operations[0].responses[200].body
    assert body is not None and body.schema is None and body.non_json is not None
    assert body.non_json.reasons == {"text": 2, "binary": 1, "invalid JSON": 2, "truncated": 1,
                                     "not kept": 1}
    assert body.non_json.content_types["image/jpeg"] == 1
    assert body.non_json.max_size == 1234 and "not JSON" in body.non_json.note


def test_failures_auth_version_and_times() -> None:
    failed = exchange("GET", "/api/v2/me", started=1_700_000_100.0)
    failed.status, failed.response_body, failed.error = None, Body(), "connection reset"
    anonymous = exchange("GET", "/api/v2/diagnostics/version",
                         {"statusCode": 0, "version": "8.5.200.50"})
    anonymous.request_headers = [("Accept", "application/json")]
    cookie = exchange("GET", "/api/v2/me", {"statusCode": 0})
    cookie.request_headers = [("Cookie", "JSESSIONID=REDACTED")]
    model = build_model([failed, anonymous, cookie])
    get_me = model.endpoint("GET", "/api/v2/me")
    assert get_me is not None and get_me.operations[0].failures == 1
    assert get_me.operations[0].auth == {"basic": 1, "cookie": 1}
    version = model.endpoint("GET", "/api/v2/diagnostics/version")
    assert version is not None and version.operations[0].auth == {"none": 1}
    assert model.server_version == "8.5.200.50"
    assert model.recorded_from is not None and model.recorded_to is not None
    assert model.recorded_to.timestamp() == 1_700_000_100.0


def test_notifications_and_url_limit() -> None:
    long_query = [("fields", "x" * 2100)]
    model = build_model([
        exchange("POST", "/api/v2/notifications/handshake", [{"successful": True}],
                 request=[{"channel": "/meta/handshake"}]),
        exchange("GET", "/api/v2/queues", {"statusCode": 0}, query=long_query),
    ])
    notifications = model.endpoint("POST", "/api/v2/notifications/handshake")
    queues = model.endpoint("GET", "/api/v2/queues")
    assert notifications is not None and notifications.is_notifications
    assert queues is not None and not queues.is_notifications
    assert queues.notes and "2000" in queues.notes[0]


def test_late_promotion_merges_provisional_endpoints() -> None:
    names = [f"Queue{chr(65 + i)}x" for i in range(12)]
    exchanges = [exchange("GET", f"/api/v2/queues/{name}", {"statusCode": 0, "name": name})
                 for name in names for _ in range(3)]
    model = build_model(exchanges)
    assert [e.template for e in model.endpoints] == ["/api/v2/queues/{queueId}"]
    endpoint = model.endpoints[0]
    assert endpoint.sample_count == 36
    assert endpoint.path_params[0].examples == names[:3]
    assert endpoint.path_params[0].description.startswith("evidence: 12 distinct")
    body = endpoint.operations[0].responses[200].body
    assert body is not None and body.fields[0].presence == "36/36"


def test_streaming_one_pass_with_bounded_state() -> None:
    consumed = 0

    def stream() -> Iterator[Exchange]:
        nonlocal consumed
        for item in synthetic_traffic(20_000):
            consumed += 1
            yield item

    builder = ModelBuilder()
    for item in stream():
        builder.add(item)
    assert consumed == 20_000
    assert len(builder.groups) == len(EXPECTED)
    assert builder.templater.tree_size() < 40
    model = builder.finish()
    for endpoint in model.endpoints:
        for op in endpoint.operations:
            assert len(op.examples) <= 8
            for response in op.responses.values():
                assert response.body is None or len(response.body.examples) <= 2
                for field in response.body.fields if response.body else []:
                    assert len(field.examples) <= 3
    json.dumps([e.template for e in model.endpoints])


def test_status_reason_comes_from_the_status_code() -> None:
    """A capture's "OK" on a 429 is kept only as a note; a missing reason is filled in."""
    limited = exchange("GET", "/api/v2/me", {"statusCode": 4}, status=429)
    limited.reason = "OK"
    quiet = exchange("GET", "/api/v2/users", {"statusCode": 0})
    quiet.reason = ""
    model = build_model([limited, quiet])
    me, users = model.endpoint("GET", "/api/v2/me"), model.endpoint("GET", "/api/v2/users")
    assert me is not None and users is not None
    assert (me.responses[429].reason, me.responses[429].sent_reason) == ("Too Many Requests", "OK")
    assert (users.responses[200].reason, users.responses[200].sent_reason) == ("OK", "")
