"""OpenAPI 3.1 output: validity, discriminated operations, evidence, examples, security."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from docgen.capture.importer import read_har
from docgen.capture.record import Body, Exchange
from docgen.capture.redact import Redactor
from docgen.capture.synthetic import exchange, synthetic_traffic
from docgen.infer.builder import build_model
from docgen.infer.config import Config
from docgen.publish.openapi import dumps, safe_key, to_openapi
from tests.support.odd_bodies import odd_bodies

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def spec_of(count: int = 2000) -> dict[str, Any]:
    return to_openapi(build_model(synthetic_traffic(count)))


def test_web_services_spec_validates() -> None:
    spec = spec_of()
    validate(spec)
    assert spec["openapi"] == "3.1.0"
    assert spec["info"]["version"] == "8.5.200.50"
    assert spec["servers"] == [{"url": "http://gws.example:8090"}]
    assert "/api/v2/me/calls/{callId}" in spec["paths"]


def test_operations_are_a_discriminated_one_of() -> None:
    spec = spec_of()
    post = spec["paths"]["/api/v2/me/calls/{callId}"]["post"]
    schema = post["requestBody"]["content"]["application/json"]["schema"]
    assert schema["discriminator"]["propertyName"] == "operationName"
    mapping = schema["discriminator"]["mapping"]
    assert set(mapping) == {"Answer", "AttachUserData", "Hangup", "Hold", "InitiateTransfer",
                            "Retrieve"}
    assert [ref["$ref"] for ref in schema["oneOf"]] == list(mapping.values())
    components = spec["components"]["schemas"]
    for ref in mapping.values():
        key = ref.rsplit("/", 1)[1]
        assert re.fullmatch(r"[A-Za-z0-9._-]+", key)
        assert "operationName" in components[key]["required"]
    transfer = components[mapping["InitiateTransfer"].rsplit("/", 1)[1]]
    assert transfer["properties"]["operationName"]["const"] == "InitiateTransfer"
    assert post["parameters"][0]["name"] == "callId"
    assert post["parameters"][0]["in"] == "path"


def test_responses_carry_schema_evidence_and_real_examples() -> None:
    spec = spec_of()
    get_user = spec["paths"]["/api/v2/users/{userId}"]["get"]
    media = get_user["responses"]["200"]["content"]["application/json"]
    user = media["schema"]["properties"]["user"]
    assert re.fullmatch(r"\d+/\d+", user["properties"]["emailAddress"]["x-wsdoc-seen"])
    (example,) = media["examples"].values()
    assert example["value"]["statusCode"] == 0 and len(example["value"]["user"]["id"]) == 32
    me = spec["paths"]["/api/v2/me"]["get"]
    assert me["parameters"][0]["name"] == "subresources"
    assert me["responses"]["403"]["x-wsdoc-outcomes"][0]["meaning"] == "not authenticated"


def test_security_schemes() -> None:
    anonymous = exchange("GET", "/api/v2/diagnostics/version", {"statusCode": 0, "version": "1"})
    anonymous.request_headers = []
    spec = to_openapi(build_model([anonymous, exchange("GET", "/api/v2/me", {"statusCode": 0})]))
    validate(spec)
    assert spec["components"]["securitySchemes"]["basicAuth"] == {"type": "http",
                                                                   "scheme": "basic"}
    # Per operation (issue 11): what its requests carried, `[]` for the anonymous one.
    assert "security" not in spec
    assert spec["paths"]["/api/v2/diagnostics/version"]["get"]["security"] == []
    assert spec["paths"]["/api/v2/me"]["get"]["security"] == [{"basicAuth": []}]


def test_security_schemes_follow_the_traffic() -> None:
    def sent(path: str, headers: list[tuple[str, str]],
             query: list[tuple[str, str]] | None = None) -> Exchange:
        found = exchange("GET", path, {"a": 1}, query=query)
        found.request_headers = [("Accept", "application/json"), *headers]
        return found

    spec = to_openapi(build_model([
        sent("/a", [("PRIVATE-TOKEN", "[REDACTED]")]),
        sent("/b", [("Authorization", "Bearer [REDACTED]")]),
        sent("/c", [("Authorization", "SSWS [REDACTED]")]),
        sent("/d", [("Cookie", "sid=[REDACTED]; theme=dark")]),
        sent("/e", [], query=[("api_key", "[REDACTED]")]),
        sent("/f", [("X-CSRF-TOKEN", "[REDACTED]")]),
    ], Config(profile_name="generic")))
    validate(spec)
    schemes = spec["components"]["securitySchemes"]
    assert "basicAuth" not in schemes
    assert schemes["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["privateTokenHeader"] == {"type": "apiKey", "in": "header",
                                             "name": "PRIVATE-TOKEN"}
    assert schemes["sidCookie"] == {"type": "apiKey", "in": "cookie", "name": "sid"}
    assert schemes["apiKeyQuery"] == {"type": "apiKey", "in": "query", "name": "api_key"}
    assert schemes["authorizationHeader"]["name"] == "Authorization"
    paths = spec["paths"]
    assert paths["/a"]["get"]["security"] == [{"privateTokenHeader": []}]
    assert paths["/f"]["get"]["security"] == []  # an anti-forgery token authenticates nothing


def test_no_security_when_nothing_authenticates() -> None:
    anonymous = exchange("GET", "/open", {"a": 1})
    anonymous.request_headers = []
    spec = to_openapi(build_model([anonymous], Config(profile_name="generic")))
    assert "securitySchemes" not in spec["components"]
    assert "security" not in spec["paths"]["/open"]["get"]


def test_odd_inputs_still_validate() -> None:
    weird = [
        *odd_bodies(),
        exchange("CONNECT", "/tunnel"),
        exchange("PURGE", "/cache/item"),
        exchange("GET", "/api/v2/weird/{id}", {"a": 1}),
        exchange("POST", "/api/v2/upload", {"statusCode": 0},
                 raw_request=Body(b"a=b", "application/x-www-form-urlencoded", size=3)),
    ]
    failed = exchange("GET", "/api/v2/lost")
    failed.status = None
    odd_status = exchange("GET", "/api/v2/lost", {"a": 1}, status=999)
    spec = to_openapi(build_model([*weird, failed, odd_status], Config(profile_name="generic")))
    validate(spec)
    assert sorted(spec["x-wsdoc-skipped"]) == ["CONNECT /tunnel", "PURGE /cache/item"]
    assert spec["paths"]["/api/v2/lost"]["get"]["responses"] == {
        "default": {"description": "no response recorded"}}
    upload = spec["paths"]["/api/v2/upload"]["post"]["requestBody"]["content"]
    assert "application/x-www-form-urlencoded" in upload
    assert "/api/v2/weird/%7Bid%7D" in spec["paths"]


def test_serialisation_round_trips() -> None:
    spec = spec_of(300)
    assert json.loads(dumps(spec, yaml_output=False)) == spec
    assert yaml.safe_load(dumps(spec, yaml_output=True)) == spec


def test_safe_key() -> None:
    assert safe_key("/api/v2/me/calls/{callId}") == "ApiV2MeCallsCallId"
    assert safe_key("***") == "Unnamed"


def test_response_headers_and_rejected_operations() -> None:
    from tests.support.site_models import exchange as site_exchange
    from tests.support.site_models import session_capture

    fly = site_exchange("POST", "/api/v2/me/channels/voice", 400, {"statusCode": 1},
                        {"operationName": "Fly"}, reason="Bad Request")
    spec = to_openapi(build_model([*session_capture(), fly], Config()))
    validate(spec)
    me = spec["paths"]["/api/v2/me"]["get"]["responses"]["200"]
    assert me["headers"]["X-CSRF-TOKEN"] == {"schema": {"type": "string"}, "required": True,
                                            "example": "[REDACTED]", "x-wsdoc-seen": "2/2"}
    assert "Content-Type" not in me["headers"]  # the media type says it
    voice = spec["paths"]["/api/v2/me/channels/voice"]["post"]
    assert voice["x-wsdoc-operations"] == ["Ready"]  # Fly was never accepted
    schema = voice["requestBody"]["content"]["application/json"]["schema"]
    assert "oneOf" not in schema and "Fly" not in json.dumps(schema)
    assert set(voice["x-wsdoc-operation-statuses"]) == {"Fly", "Ready"}


AWKWARD_TEXTS = ["plain", "", " leading space", "trailing space ", "a: b", "- dash", "#hash",
                 "line\nbreak", "tab\there", "quote ' and \"", "ünïcödé", "emoji 🎧", "\u2028",
                 "\x85nel", "\x00nul", "\x1bescape", "yes", "null", "0x1F", "1e3", "~",
                 "{not: json}", "[1, 2]", "*alias", "&anchor", "!tag", "%percent",
                 "x" * 300, "word " * 80, "<script>alert(1)</script>", "\ufeffbom", "\ud7ff"]


@pytest.mark.parametrize("har", sorted(CORPUS.glob("*.har")), ids=lambda p: p.stem)
def test_yaml_says_exactly_what_the_document_holds(har: Path) -> None:
    # `dumps` uses libyaml's emitter (PyYAML's wheels carry it): it reads back as the
    # document, awkward strings included (PyYAML's own emitter turns a NEL into a space).
    redactor = Redactor()
    spec = to_openapi(build_model([redactor.redact(e) for e in read_har(har)],
                                  Config(profile_name="generic")))
    spec["x-awkward"] = {text or "empty": [text, {"k": text}] for text in AWKWARD_TEXTS}
    assert yaml.__with_libyaml__
    assert yaml.safe_load(dumps(spec, yaml_output=True)) == spec
