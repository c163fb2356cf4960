"""--api-version 8.5.201 vs 8.5.202: exactly the five listed differences."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from gwssim.process import run_gwssim
from gwssim.versions import CHANGES_IN_202, VERSIONS
from tests.gwssim.client import Session


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, str]]:
    with run_gwssim("--api-version", "8.5.201", "--event-delay", "0") as old, \
            run_gwssim("--api-version", "8.5.202", "--event-delay", "0") as new:
        yield {"8.5.201": old, "8.5.202": new}


def test_the_differences_are_listed_as_data() -> None:
    kinds = [change.kind for change in CHANGES_IN_202]
    assert sorted(kinds) == sorted(["added-field", "removed-field", "changed-type",
                                    "added-operation", "added-enum-value"])
    assert VERSIONS["8.5.202"].changes == {change.name for change in CHANGES_IN_202}
    assert VERSIONS["8.5.201"].changes == frozenset()


def test_reported_version(servers: dict[str, str]) -> None:
    for name, url in servers.items():
        version = Session(url).get("/api/v2/diagnostics/version").body["version"]
        assert version.startswith(name + ".")


def test_user_fields(servers: dict[str, str]) -> None:
    old = _amiller(servers["8.5.201"])
    new = _amiller(servers["8.5.202"])
    assert "contactCenterId" not in old and "contactCenterId" in new
    assert old["employeeId"] == "E1002" and "employeeId" not in new
    assert all(isinstance(s["level"], str) for s in old["skills"])
    assert all(isinstance(s["level"], int) for s in new["skills"])
    assert [str(s["level"]) for s in new["skills"]] == [s["level"] for s in old["skills"]]


def test_everything_else_is_identical(servers: dict[str, str]) -> None:
    path = "/api/v2/users?fields=*&subresources=*"
    old = Session(servers["8.5.201"]).get(path).body["users"]
    new = Session(servers["8.5.202"]).get(path).body["users"]
    assert [_normalised(u, servers["8.5.201"]) for u in old] == \
        [_normalised(u, servers["8.5.202"]) for u in new]


def test_mute_operations_only_in_202(servers: dict[str, str]) -> None:
    for name, url in servers.items():
        agent = Session(url, "bchen")
        agent.dial("14155550123")
        call = agent.calls()[0]
        reply = agent.call_op(call["id"], "SetMuteOn")
        if name == "8.5.201":
            assert "SetMuteOn" not in call["capabilities"]
            assert (reply.status, reply.code) == (400, 10)
        else:
            assert "SetMuteOn" in call["capabilities"] and reply.code == 0
        agent.call_op(call["id"], "Hangup")


def test_consult_call_type_is_new_in_202(servers: dict[str, str]) -> None:
    types = {}
    for name, url in servers.items():
        agent = Session(url, "dpatel")
        agent.dial("14155550123")
        original = agent.calls()[0]["id"]
        agent.call_op(original, "InitiateTransfer", destination={"phoneNumber": "14155550124"})
        consult = next(c for c in agent.calls() if c["id"] != original)
        types[name] = consult["callType"]
        agent.call_op(consult["id"], "ClearCall")
        agent.call_op(original, "ClearCall")
    assert types == {"8.5.201": "Internal", "8.5.202": "Consult"}


def _amiller(url: str) -> dict[str, Any]:
    session = Session(url)
    user_id = session.get("/api/v2/users?userName=amiller&fields=id").body["users"][0]["id"]
    user: dict[str, Any] = session.get(f"/api/v2/users/{user_id}?subresources=skills").body["user"]
    return user


def _normalised(user: dict[str, Any], url: str) -> str:
    """The user without the listed differences (and with the host taken out)."""
    stripped = {k: v for k, v in user.items() if k not in ("contactCenterId", "employeeId")}
    stripped["skills"] = [{**s, "level": int(s["level"])} for s in user["skills"]]
    return repr(stripped).replace(url, "BASE")
