"""Structural path evidence: siblings that continue or answer alike, identities in bodies,
mixed id shapes, hosts, and what must never merge."""

from __future__ import annotations

from typing import Any

from docgen.capture.record import Exchange
from docgen.capture.synthetic import exchange
from docgen.infer.builder import build_model
from docgen.infer.config import Config

GENERIC = Config(profile_name="generic")


def templates(exchanges: list[Exchange], config: Config = GENERIC) -> set[tuple[str, str]]:
    return {(e.method, e.template) for e in build_model(exchanges, config).endpoints}


def test_three_siblings_with_the_same_continuation_are_one_parameter() -> None:
    found = templates([exchange("GET", f"/projects/{name}/issues", [{"id": 1}])
                       for name in ("alpha", "beta", "gamma")])
    assert found == {("GET", "/projects/{projectId}/issues")}


def test_siblings_answering_the_same_shape_are_one_parameter() -> None:
    found = templates([exchange("GET", f"/classes/{name}", {"results": [{"objectId": "x"}]})
                       for name in ("_User", "_Followee")])
    assert found == {("GET", "/classes/{classId}")}


def test_siblings_whose_answers_differ_never_merge() -> None:
    found = templates([exchange("GET", "/things/settings", {"theme": "dark", "lang": "en"}),
                       exchange("GET", "/things/members", [{"login": "a", "role": "x"}])])
    assert found == {("GET", "/things/settings"), ("GET", "/things/members")}


def test_words_with_different_continuations_stay_words() -> None:
    found = templates([exchange("POST", "/api/upload/files", {"ok": True}),
                       exchange("GET", "/api/search/code", {"items": []})])
    assert found == {("POST", "/api/upload/files"), ("GET", "/api/search/code")}


def test_mixed_id_shapes_at_one_position_merge() -> None:
    """`/issue/10010` is an id by shape; `ABC-9` continues the same way: one parameter."""
    found = templates([exchange("GET", "/rest/api/3/issue/10010/comments", {"comments": []}),
                       exchange("GET", "/rest/api/3/issue/ABC-9/comments", {"comments": []})])
    assert found == {("GET", "/rest/api/3/issue/{issueId}/comments")}


def test_version_segments_stay_literal() -> None:
    found = templates([exchange("GET", f"/{version}/things/{i}", {"a": 1})
                       for version in ("1.1", "v2") for i in (1, 2)])
    assert found == {("GET", "/1.1/things/{thingId}"), ("GET", "/v2/things/{thingId}")}
    assert templates([exchange("GET", "/rest/api/3/project", [])]) == \
        {("GET", "/rest/api/3/project")}


def test_a_value_named_by_its_own_response_is_a_parameter() -> None:
    found = templates([exchange("GET", "/repos/facebook/jest",
                                {"name": "jest", "owner": {"login": "facebook"}})])
    assert found == {("GET", "/repos/{owner}/{repo}")}


def test_the_host_is_part_of_the_endpoint_when_there_are_several() -> None:
    def on(host: str) -> Exchange:
        found = exchange("GET", "/status", {"up": True})
        found.host, found.scheme, found.port = host, "https", 443
        return found

    model = build_model([on("login.example.com"), on("api.example.com")], GENERIC)
    assert sorted((e.host, e.template) for e in model.endpoints) == [
        ("https://api.example.com", "/status"), ("https://login.example.com", "/status")]
    single = build_model([on("api.example.com")], GENERIC)
    assert [e.host for e in single.endpoints] == [""]


def test_web_services_pair_of_unknown_channels_stays_literal() -> None:
    """Two 404s echo generic errors and plain words: no evidence, two literal paths."""
    error: dict[str, Any] = {"statusCode": 6, "statusMessage": "not found"}
    found = templates([exchange("GET", f"/api/v2/me/channels/{c}", error, status=404)
                       for c in ("chat", "email")], Config())
    assert found == {("GET", "/api/v2/me/channels/chat"), ("GET", "/api/v2/me/channels/email")}
