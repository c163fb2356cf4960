"""Synthetic docs models for site tests: a small Web Services-like API, and a hostile one.

The hostile model puts script tags, event-handler attributes, backtick runs, `javascript:`
URLs, Markdown link/attribute syntax, Python-Markdown's own placeholder characters and
path tricks into every recorded string the site shows. Every payload that could run sets
`window.__wsdoc_pwned` (and calls alert), so a browser test can prove none ran.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

from docgen.capture.record import Body, Exchange
from docgen.capture.redact import MASK
from docgen.infer.model import (
    ApiModel,
    BodyDoc,
    CauseDoc,
    ChannelDoc,
    Endpoint,
    EventDoc,
    EventSequence,
    EventStep,
    FieldDoc,
    MessageDoc,
    MetaDoc,
    NonJsonDoc,
    NotificationsDoc,
    Operation,
    OutcomeCode,
    Param,
    ResponseDoc,
)

PWN = "window.__wsdoc_pwned=1;alert(1)"
HOSTILE_STRINGS = [
    f"<script>{PWN}</script>",
    f"<img src=x onerror=\"{PWN}\">",
    f"<svg onload={PWN}>",
    "``````",
    f"javascript:{PWN}",
    f"[click me](javascript:{PWN})",
    f"<a href=\"javascript:{PWN}\">link</a>",
    f"{{: onclick=\"{PWN}\" }}",
    "--8<-- \"/etc/passwd\"",
    "\x02wzxhzdk:0\x03 \x02klzzwxh:1\x03",
    f"</title><script>{PWN}</script>",
    f"</code></pre><script>{PWN}</script>",
    f"| cell | <b onmouseover={PWN}>x</b>",
    "line one\nline two\r\n<script>x</script>",
    f"=== \"tab\"\n\n    <script>{PWN}</script>",
    "\u202eevil\u200b",
]
HOSTILE_TEMPLATES = [
    f"/api/v2/<script>{PWN}</script>",
    f"/api/v2/<img src=x onerror={PWN}>",
    "/api/v2/``````/x",
    f"/api/v2/javascript:{PWN}",
    f"/api/v2/[a](javascript:{PWN})",
    "/api/v2/../../etc/passwd",
    "/api/v2/%2e%2e%2f%2e%2e/x",
    f"/api/v2/</title><script>{PWN}</script>",
]


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def exchange(method: str, path: str, status: int, response: Any, request: Any = None,
             query: list[tuple[str, str]] | None = None, reason: str = "OK",
             headers: list[tuple[str, str]] | None = None) -> Exchange:
    request_body = Body()
    if request is not None:
        content = json.dumps(request).encode()
        request_body = Body(content, "application/json", size=len(content))
    response_content = json.dumps(response).encode()
    return Exchange(
        method=method, scheme="http", host="127.0.0.1", port=40123, path=path,
        query=query or [],
        request_headers=headers if headers is not None else [
            ("Host", "127.0.0.1:40123"), ("User-Agent", "curl/8.5.0"), ("Accept", "*/*"),
            ("Authorization", basic("ksippo", "")),
            *([("Content-Type", "application/json")] if request is not None else []),
        ],
        request_body=request_body, status=status, reason=reason,
        response_headers=[("Content-Type", "application/json")],
        response_body=Body(response_content, "application/json", size=len(response_content)),
    )


def body_doc(example: dict[str, Any]) -> BodyDoc:
    fields = [FieldDoc(f"/{key}", type(value).__name__.replace("str", "string").replace(
        "int", "integer"), required=True, seen=1, total=1, examples=[value])
        for key, value in example.items()]
    schema = {"type": "object", "properties": {k: {"type": f.type} for k, f in
                                               zip(example, fields, strict=True)}}
    return BodyDoc(samples=1, content_types={"application/json": 1}, schema=schema,
                   fields=fields, examples=[example])


def simple_endpoint(method: str, template: str, path: str, response: dict[str, Any],
                    status: int = 200) -> Endpoint:
    ex = exchange(method, path, status, response)
    op = Operation(name=None, sample_count=1, examples=[ex], auth={"basic": 1},
                   responses={status: ResponseDoc(status, 1, "OK", body_doc(response),
                                                  [OutcomeCode(0, 1, "success")])})
    return Endpoint(method, template, operations=[op], sample_count=1,
                    status_codes={status: 1}, example_paths=[path], max_url_length=len(path))


def operation(name: str, path: str, status: int = 200) -> Operation:
    request = {"operationName": name}
    response = {"statusCode": 0} if status == 200 else {"statusCode": 2,
                                                        "statusMessage": "not now"}
    ex = exchange("POST", path, status, response, request,
                  reason="OK" if status == 200 else "Bad Request")
    return Operation(
        name=name, sample_count=1, request=body_doc(request), examples=[ex],
        request_headers=[Param("content-type", "header", {"type": "string"}, True, 1, 1,
                               ["application/json"])],
        responses={status: ResponseDoc(status, 1, ex.reason, body_doc(response),
                                       [OutcomeCode(response["statusCode"], 1)])},
        auth={"basic": 1})


def sample_model() -> ApiModel:
    """A small, well-behaved Web Services-like model."""
    version = simple_endpoint("GET", "/api/v2/diagnostics/version",
                              "/api/v2/diagnostics/version",
                              {"statusCode": 0, "version": "8.5.202.34"})
    me = simple_endpoint("GET", "/api/v2/me", "/api/v2/me",
                         {"statusCode": 0, "user": {"id": "63630bbebf4840d7a0bffd6312bc29ff"}})
    me.query_params = [Param("subresources", "query", {"type": "string"}, False, 1, 2, ["*"]),
                       Param("fields", "query", {"type": "string"}, False, 1, 2, ["id"])]
    users = simple_endpoint("GET", "/api/v2/users/{userId}", "/api/v2/users/1e553fa1",
                            {"statusCode": 0})
    users.path_params = [Param("userId", "path", {"type": "string"}, True, 1, 1,
                               ["1e553fa1"], shape="hex32")]
    voice = Endpoint("POST", "/api/v2/me/channels/voice",
                     operations=[operation("Ready", "/api/v2/me/channels/voice"),
                                 operation("NotReady", "/api/v2/me/channels/voice", 400)],
                     sample_count=2, status_codes={200: 1, 400: 1},
                     example_paths=["/api/v2/me/channels/voice"], max_url_length=2400)
    return ApiModel(
        title="Test API", endpoints=[version, me, voice, users], server_version="8.5.202.34",
        recorded_from=datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
        recorded_to=datetime(2024, 5, 1, 13, 0, tzinfo=UTC), exchange_count=5,
        profile="webservices", discriminator="operationName")


def hostile_value(index: int) -> str:
    return HOSTILE_STRINGS[index % len(HOSTILE_STRINGS)]


def hostile_event(evil: str) -> EventDoc:
    return EventDoc(evil, evil, evil, 1, 1, 1, {evil: {evil: 1}}, 12.0)


def hostile_notifications(templates: list[str]) -> NotificationsDoc:
    """Bayeux meta and data channels whose every recorded string is hostile."""
    channels = []
    for index, evil in enumerate(HOSTILE_STRINGS):
        message = MessageDoc(evil, evil, evil, 1, body_doc({evil: evil}),
                             {"channel": evil, "data": {evil: evil}},
                             [CauseDoc("POST", templates[index % len(templates)], evil, 1, 1)])
        channels.append(ChannelDoc(evil, [message]))
    meta = [MetaDoc(hostile_value(i), 1, 1, 0, {hostile_value(i): 1}, body_doc({"x": 1}),
                    body_doc({hostile_value(i): hostile_value(i)}), {hostile_value(i): 1})
            for i in range(3)]
    return NotificationsDoc("/api/v2/notifications", 5.0, 3, 1, 1,
                            {hostile_value(0): 1}, 0, meta, channels)


def hostile_endpoint(template: str, index: int) -> Endpoint:
    evil = hostile_value(index)
    response = {evil: evil, "statusCode": evil, "nested": {evil: [evil]}}
    path = template.replace("{", "").replace("}", "")
    ex = exchange("POST", path, 200, response, {"operationName": evil, evil: evil},
                  query=[(evil, evil)], reason=evil,
                  headers=[("X-" + str(index), evil), ("Cookie", f"{evil}={MASK}"),
                           ("Authorization", basic(evil, MASK))])
    body = body_doc(response)
    body.non_json = NonJsonDoc(1, {evil: 1}, {evil: 1}, 1, 2)
    body.fields.append(FieldDoc(f"/{evil}", evil, evil, [evil], False, 1, 2, [evil], evil))
    op = Operation(name=evil, sample_count=1, request=body_doc({evil: evil}), examples=[ex],
                   request_headers=[Param(evil, "header", {"type": evil}, False, 1, 1, [evil])],
                   responses={200: ResponseDoc(200, 1, evil, body, [OutcomeCode(evil, 1, evil)])},
                   auth={evil: 1}, events=[hostile_event(evil)], events_observed=1,
                   event_sequences=[EventSequence([EventStep(evil, evil, (evil,))], 1)],
                   description="")
    return Endpoint(
        "POST", template, path_params=[Param(evil, "path", {"type": evil}, True, 1, 1, [evil],
                                             evil, evil)],
        query_params=[Param(evil, "query", {"type": "string", "format": evil}, False, 1, 1,
                            [evil, {evil: evil}])],
        operations=[op], sample_count=1, status_codes={200: 1}, example_paths=[path, evil],
        max_url_length=5000, notes=[evil])


def hostile_model() -> ApiModel:
    """Every recorded string the site shows is an injection attempt."""
    endpoints = [hostile_endpoint(t, i) for i, t in enumerate(HOSTILE_TEMPLATES)]
    return ApiModel(title=f"<script>{PWN}</script> API", endpoints=endpoints,
                    server_version=hostile_value(0), exchange_count=len(endpoints),
                    profile="webservices", notes=list(HOSTILE_STRINGS),
                    notifications=hostile_notifications(HOSTILE_TEMPLATES))



def session_capture() -> list[Exchange]:
    """A version check without credentials, a Basic login answered with JSESSIONID and
    X-CSRF-TOKEN, a GET on the cookie, a POST sending both, a POST without the token."""
    login = exchange("GET", "/api/v2/me", 200, {"statusCode": 0, "user": {"id": "a"}})
    login.response_headers += [("Set-Cookie", f"JSESSIONID={MASK}; Path=/; HttpOnly"),
                               ("X-CSRF-HEADER", "X-CSRF-TOKEN"), ("X-CSRF-TOKEN", MASK),
                               ("Date", "Thu, 01 Jan 2026 00:00:00 GMT")]
    again = exchange("GET", "/api/v2/me", 200, {"statusCode": 0, "user": {"id": "a"}})
    again.request_headers += [("Cookie", f"JSESSIONID={MASK}")]
    again.response_headers += [("X-CSRF-HEADER", "X-CSRF-TOKEN"), ("X-CSRF-TOKEN", MASK)]
    post = exchange("POST", "/api/v2/me/channels/voice", 200, {"statusCode": 0},
                    {"operationName": "Ready"})
    post.request_headers += [("Cookie", f"JSESSIONID={MASK}"), ("X-CSRF-TOKEN", MASK)]
    refused = exchange("POST", "/api/v2/me/channels/voice", 403, {"statusCode": 3},
                       {"operationName": "Ready"})
    refused.request_headers += [("Cookie", f"JSESSIONID={MASK}")]
    version = exchange("GET", "/api/v2/diagnostics/version", 200, {"statusCode": 0},
                       headers=[("Accept", "*/*")])
    return [version, login, again, post, refused]
