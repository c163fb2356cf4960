"""Web Services descriptions fill empty descriptions; sidecars win; generic APIs get none."""

from __future__ import annotations

from docgen.infer.descriptions import WS_ENDPOINTS, describe, relative_key
from docgen.infer.model import ApiModel, Endpoint, Operation
from docgen.infer.profile import GENERIC, WEB_SERVICES


def model(profile: str) -> ApiModel:
    calls = Endpoint("POST", "/api/v2/me/calls/{callId}",
                     operations=[Operation("Answer"), Operation("Fly")])
    me = Endpoint("GET", "/api/v2/me", description="Mine, from a sidecar.")
    return ApiModel(title="t", endpoints=[calls, me], profile=profile)


def test_profile_text_fills_only_empty_descriptions() -> None:
    described = describe(model("webservices"))
    calls, me = described.endpoints
    assert calls.description.startswith("Call control on one of the agent's calls")
    assert calls.operations[0].description.startswith("Answer a ringing call")
    assert "CallStateChangeMessage" in calls.operations[0].description  # what follows
    assert calls.operations[1].description == ""  # not a Web Services operation
    assert me.description == "Mine, from a sidecar."


def test_generic_apis_keep_empty_descriptions() -> None:
    described = describe(model("generic"))
    assert [ep.description for ep in described.endpoints] == ["", "Mine, from a sidecar."]


def test_keys_ignore_parameter_names_and_the_base_path() -> None:
    assert relative_key("/api/v2/users/{userId}/skills", WEB_SERVICES) == "/users/{}/skills"
    assert relative_key("/users/{id}", GENERIC) == "/users/{}"
    assert all(not key[1].startswith("/api") for key in WS_ENDPOINTS)
