"""`wsdoc check`: path matching, every drift kind, deduplication, --fail-on and formats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml
from click.testing import CliRunner, Result

from docgen.capture.synthetic import exchange
from docgen.cli import main
from docgen.drift.check import DEFAULT_FAIL_ON, KINDS, check_store, parse_fail_on
from docgen.drift.contract import Contract
from docgen.errors import WsdocError
from tests.support.drift_stores import (
    FIXTURES,
    USER_IDS,
    baseline,
    user,
    write_contract,
    write_store,
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))










@pytest.fixture
def contract(tmp_path: Path) -> Path:
    return write_contract(tmp_path / "contract.json", baseline())


def findings_of(contract: Path, store: Path) -> dict[tuple[str, str, str, str], Any]:
    """(endpoint, operation, kind, location + field) -> finding."""
    report = check_store(contract, store)
    return {(f.endpoint, f.operation or "", f.kind, f.where): f for f in report.findings}


def test_an_unchanged_recording_has_no_drift(tmp_path: Path, contract: Path) -> None:
    store = write_store(tmp_path / "same.sqlite", baseline())
    report = check_store(contract, store)
    assert report.findings == [] and report.exchanges == 14
    result = run("check", "--against", str(contract), "--store", str(store))
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == \
        "no drift: 14 exchanges match the contract (2 endpoints)"


def test_every_kind_is_reported_once_with_a_count_and_an_example(tmp_path: Path,
                                                                contract: Path) -> None:
    changed = [exchange("GET", f"/api/v2/users/{USER_IDS[i]}", {"statusCode": 0, "user": user(
        i, level=i % 3 + 1, userName=None, nickname=None, state="Busy" if i < 2 else "Ready",
        created="yesterday", team={"id": 1})}) for i in range(10)]
    changed += [
        exchange("POST", "/api/v2/me/calls/0ABCDEFGHIJKLMNOPQRSTUVWXYZ12345", {"statusCode": 0},
                 request={"operationName": "SetMuteOn"}),
        exchange("POST", "/api/v2/me/calls/0ABCDEFGHIJKLMNOPQRSTUVWXYZ12345", {"statusCode": 2},
                 status=500, request={"operationName": "Hold", "reason": 3}),
        exchange("GET", "/api/v2/queues/0ABCDEFGHIJKLMNOPQRSTUVWXYZ12345/agents", {"x": 1}),
        exchange("DELETE", f"/api/v2/users/{USER_IDS[0]}", {"statusCode": 0}),
    ]
    store = write_store(tmp_path / "changed.sqlite", changed)
    found = findings_of(contract, store)
    users, calls = "GET /api/v2/users/{userId}", "POST /api/v2/me/calls/{callId}"
    expected = {
        (users, "", "type-changed", "response 200 /user/level"): (10, ["string -> integer"]),
        (users, "", "missing-required", "response 200 /user/userName"):
            (10, ["required field missing"]),
        (users, "", "new-enum-value", "response 200 /user/state"): (2, ['new value "Busy"']),
        (users, "", "format-changed", "response 200 /user/created"):
            (10, ["no longer date-time"]),
        (users, "", "new-field", "response 200 /user/team"): (10, ["new field (object)"]),
        (users, "", "removed-field", "response 200 /user/nickname"): (10, [
            "never present in 10 objects; the contract saw it in 8 of 10"]),
        (calls, "SetMuteOn", "unknown-operation", ""): (1, ["operation not in the contract"]),
        (calls, "Hold", "new-status", "response 500"): (1, ["status 500 not in the contract"]),
        (calls, "Hold", "new-field", "request /reason"): (1, ["new field (integer)"]),
        ("GET /api/v2/queues/{queueId}/agents", "", "unknown-endpoint", ""):
            (1, ["path not in the contract"]),
        ("DELETE /api/v2/users/{userId}", "", "unknown-endpoint", ""):
            (1, ["method not in the contract (the path has GET)"]),
    }
    assert {key: (f.count, f.details) for key, f in found.items()} == expected
    level = found[(users, "", "type-changed", "response 200 /user/level")]
    assert level.example.exchange_id == 1 and level.example.value == "1"
    assert level.example.request == f"GET /api/v2/users/{USER_IDS[0]}"


def test_an_enum_is_only_checked_where_the_contract_has_one(tmp_path: Path,
                                                           contract: Path) -> None:
    codes = [exchange("GET", f"/api/v2/users/{USER_IDS[i]}",
                      {"statusCode": 0, "user": user(i, code="never-seen-before")})
             for i in range(10)]
    assert findings_of(contract, write_store(tmp_path / "codes.sqlite", codes)) == {}


def test_removal_needs_evidence(tmp_path: Path, contract: Path) -> None:
    few = [exchange("GET", f"/api/v2/users/{USER_IDS[i]}",
                    {"statusCode": 0, "user": user(i, nickname=None)}) for i in range(2)]
    assert findings_of(contract, write_store(tmp_path / "few.sqlite", few)) == {}


def test_paths_prefer_literal_segments_and_strip_the_server_base_path() -> None:
    ok = {"200": {"description": "OK"}}
    document = {"openapi": "3.1.0", "servers": [{"url": "http://gws.example/gws"}], "paths": {
        "/api/v2/me/calls/{callId}": {"get": {"responses": ok}},
        "/api/v2/me/calls/active": {"get": {"responses": ok}},
        "/api/v2/{what}/calls/active": {"post": {"responses": ok}},
        "/api/v2/files/{name}.json": {"get": {"responses": ok}}}}
    contract = Contract(document)

    def template(method: str, path: str) -> str | None:
        endpoint, _ = contract.match(method, path)
        return endpoint.template if endpoint else None

    assert template("GET", "/api/v2/me/calls/active") == "/api/v2/me/calls/active"
    assert template("GET", "/api/v2/me/calls/0ABC") == "/api/v2/me/calls/{callId}"
    assert template("GET", "/gws/api/v2/me/calls/0ABC/") == "/api/v2/me/calls/{callId}"
    assert template("POST", "/api/v2/me/calls/active") == "/api/v2/{what}/calls/active"
    assert template("GET", "/api/v2/files/report.json") == "/api/v2/files/{name}.json"
    assert template("GET", "/api/v2/files/report.xml") is None
    assert contract.match("DELETE", "/api/v2/me/calls/active") == (None, ["GET", "POST"])


def test_a_type_union_names_every_type(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"v": {"anyOf": [
        {"type": "string"}, {"type": "object", "properties": {"a": {"type": "integer"}}}]}}}
    document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
                "paths": {"/x": {"get": {"responses": {"200": {
        "description": "OK", "content": {"application/json": {"schema": schema}}}}}}}}
    path = tmp_path / "union.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    store = write_store(tmp_path / "union.sqlite", [
        exchange("GET", "/x", {"v": True}), exchange("GET", "/x", {"v": "ok"}),
        exchange("GET", "/x", {"v": {"a": "1", "b": 2}})])
    found = {(f.kind, f.where): f.details for f in check_store(path, store).findings}
    assert found == {("type-changed", "response 200 /v"): ["string|object -> boolean"],
                     ("type-changed", "response 200 /v/a"): ["integer -> string"],
                     ("new-field", "response 200 /v/b"): ["new field (integer)"]}


def test_fail_on() -> None:
    assert parse_fail_on("default") == DEFAULT_FAIL_ON
    assert parse_fail_on("default,new-field") == DEFAULT_FAIL_ON | {"new-field"}
    assert parse_fail_on("all") == frozenset(KINDS)
    assert parse_fail_on("none") == frozenset()
    assert parse_fail_on("type-changed new-status") == {"type-changed", "new-status"}
    assert "new-field" not in DEFAULT_FAIL_ON and "new-enum-value" not in DEFAULT_FAIL_ON
    with pytest.raises(WsdocError, match="unknown drift kind 'typo'"):
        parse_fail_on("default,typo")


def test_check_command_formats_and_exit_status(tmp_path: Path, contract: Path) -> None:
    changed = [exchange("GET", f"/api/v2/users/{USER_IDS[i]}",
                        {"statusCode": 0, "user": user(i, level=1, team="a")}) for i in range(10)]
    store = str(write_store(tmp_path / "changed.sqlite", changed))
    text = run("check", "--against", str(contract), "--store", store)
    assert text.exit_code == 1
    assert "  ! type-changed        response 200 /user/level: string -> integer  [10x; e.g. #1 " \
           f"GET /api/v2/users/{USER_IDS[0]}, value 1]" in text.output
    assert text.output.splitlines()[-1].startswith("drift: 2 findings, 1 breaking (breaking kinds")
    lenient = run("check", "--against", str(contract), "--store", store, "--fail-on", "none")
    assert lenient.exit_code == 0
    strict = run("check", "--against", str(contract), "--store", store, "--fail-on", "new-field",
                 "--format", "json")
    assert strict.exit_code == 1
    data = json.loads(strict.output)
    assert data["breaking"] == 1 and data["fail_on"] == ["new-field"]
    assert [(f["kind"], f["breaking"]) for f in data["findings"]] == \
        [("type-changed", False), ("new-field", True)]
    junit = run("check", "--against", str(contract), "--store", store, "--format", "junit")
    suite = ElementTree.fromstring(junit.output).find("testsuite")
    assert suite is not None and suite.get("tests") == "2" and suite.get("failures") == "1"
    failure = suite.find("testcase[@name='GET /api/v2/users/{userId}']/failure")
    assert failure is not None and failure.get("type") == "type-changed"


def test_check_command_user_errors(tmp_path: Path, contract: Path) -> None:
    store = str(write_store(tmp_path / "s.sqlite", baseline()))
    missing = run("check", "--against", str(tmp_path / "nope.json"), "--store", store)
    assert missing.exit_code == 2 and "no such contract" in missing.output
    swapped = run("check", "--against", store, "--store", store)
    assert swapped.exit_code == 2 and "is a capture store, not an OpenAPI file" in swapped.output
    (tmp_path / "notes.json").write_text('{"hello": 1}')
    wrong = run("check", "--against", str(tmp_path / "notes.json"), "--store", store)
    assert wrong.exit_code == 2 and "is not an OpenAPI document" in wrong.output


def test_fixture_contract_reads_as_yaml_too(tmp_path: Path) -> None:
    document = json.loads((FIXTURES / "old.json").read_text())
    path = tmp_path / "old.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    contract = Contract.load(path)
    assert [ep.key for ep in contract.endpoints] == [
        "GET /api/v2/me", "POST /api/v2/me/calls/{callId}", "GET /api/v2/old"]
    calls = contract.endpoints[1]
    assert calls.discriminator == "operationName" and set(calls.operations) == {"Answer", "Hold"}
    assert calls.operations["Answer"].statuses == {"200"}


def test_references_anywhere_in_a_hand_written_contract(tmp_path: Path) -> None:
    item = {"$ref": "#/components/schemas/Item"}
    document = {
        "openapi": "3.1.0", "info": {"title": "items", "version": "1"},
        "paths": {"/items/{itemId}": {
            "parameters": [{"$ref": "#/components/parameters/Verbose"},
                           {"name": "itemId", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "put": {"requestBody": {"$ref": "#/components/requestBodies/Item"},
                    "parameters": [{"name": "dryRun", "in": "query", "required": True,
                                    "schema": {"type": "boolean"}}],
                    "responses": {"200": {"$ref": "#/components/responses/Item"}}}}},
        "components": {
            "schemas": {"Item": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "integer", "minimum": 1}, "tags": {
                    "type": "array", "items": {"$ref": "#/components/schemas/Tag"}}}},
                "Tag": {"type": "string", "enum": ["a", "b"]}},
            "parameters": {"Verbose": {"name": "verbose", "in": "query",
                                       "schema": {"type": "integer"}}},
            "requestBodies": {"Item": {"content": {"application/json": {"schema": item}}}},
            "responses": {"Item": {"description": "OK",
                                   "content": {"application/json": {"schema": item}}}}}}
    path = tmp_path / "items.json"
    path.write_text(json.dumps(document))
    store = write_store(tmp_path / "items.sqlite", [
        exchange("PUT", "/items/7", {"id": 0, "tags": ["c"]}, request={"tags": ["a"]},
                 query=[("verbose", "yes")])])
    found = {(f.kind, f.where): f.details for f in check_store(path, store).findings}
    assert found == {
        ("missing-required", "query dryRun"): ["required field missing"],
        ("type-changed", "query verbose"): ["integer -> string"],
        ("missing-required", "request /id"): ["required field missing"],
        ("constraint-violated", "response 200 /id"): ["minimum: 0 is less than the minimum of 1"],
        ("new-enum-value", "response 200 /tags[]"): ['new value "c"'],
    }


def bad_contract(tmp_path: Path, response_schema: Any = None, paths: Any = None) -> Path:
    document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
                "paths": paths if paths is not None else {"/api/v2/me": {"get": {"responses": {
                    "200": {"description": "OK", "content": {"application/json": {
                        "schema": response_schema}}}}}}}}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    return path


@pytest.mark.parametrize(("case", "message"), [
    ({"response_schema": {"type": "strnig"}}, "'strnig' is not valid"),
    ({"response_schema": {"$ref": "#/components/schemas/Missing"}},
     "$ref #/components/schemas/Missing points nowhere (at #/paths/~1api~1v2~1me/get/"),
    ({"paths": {"/api/v2/me": 5}}, "5 is not of type 'object'"),
    ({"response_schema": {"type": "string", "pattern": "[a-"}},
     "pattern '[a-' is not a regular expression"),
])
def test_an_invalid_contract_is_a_one_line_usage_error_not_drift(
        tmp_path: Path, case: dict[str, Any], message: str) -> None:
    import subprocess
    import sys

    store = write_store(tmp_path / "s.sqlite", baseline())
    done = subprocess.run([str(Path(sys.executable).parent / "wsdoc"), "check", "--against",
                           str(bad_contract(tmp_path, **case)), "--store", str(store)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2, done.stderr[-2000:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert lines[0].startswith(f"wsdoc: error: contract {tmp_path}/bad.json is not valid "
                               "OpenAPI 3.1.0: ")
    assert message in lines[0], lines[0]


def test_exchanges_the_server_never_answered_are_counted_not_hidden(
        tmp_path: Path, contract: Path) -> None:
    from dataclasses import replace

    down = replace(baseline()[0], status=None, reason="",
                   error="[Errno 111] Connect call failed ('127.0.0.1', 8090)")
    store = str(write_store(tmp_path / "down.sqlite", [*baseline(), down]))
    text = run("check", "--against", str(contract), "--store", store)
    assert text.exit_code == 0, text.output
    assert "1 exchanges got no answer from the server (its error is recorded)" in text.output
    as_json = run("check", "--against", str(contract), "--store", store, "--format", "json")
    assert json.loads(as_json.output)["unanswered"] == 1
