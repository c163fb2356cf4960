"""The three requests of the documentation's "Making a Request" page, with their exact shapes."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

from gwssim.data import KSIPPO_ID
from tests.gwssim.client import Session, send

# The seed page's answer for /api/v2/me (its uri had the real server's host and context root).
SEED_ME_KEYS = ["id", "userName", "firstName", "lastName", "roles", "enabled",
                "changePasswordOnFirstLogin", "uri", "path"]


def test_version_needs_no_authentication(gwssim_url: str) -> None:
    reply = send(gwssim_url + "/api/v2/diagnostics/version")
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/json;charset=UTF-8"
    body = reply.body
    assert list(body) == ["statusCode", "version"]
    assert body["statusCode"] == 0
    assert body["version"].startswith("8.5.202.")


def test_me_is_kristi_sippola_with_the_documented_id(gwssim_url: str) -> None:
    user = Session(gwssim_url).get("/api/v2/me").body["user"]
    assert user["id"] == KSIPPO_ID
    names = (user["userName"], user["firstName"], user["lastName"])
    assert names == ("ksippo", "Kristi", "Sippola")
    assert user["roles"] == ["ROLE_AGENT"]
    assert user["enabled"] is True and user["changePasswordOnFirstLogin"] is False
    assert user["path"] == f"/users/{KSIPPO_ID}"
    assert user["uri"] == f"{gwssim_url}/api/v2/users/{KSIPPO_ID}"


def test_me_in_8_5_201_has_exactly_the_seed_pages_keys(
        gwssim_factory: Callable[..., str]) -> None:
    url = gwssim_factory("--api-version", "8.5.201")
    body = Session(url).get("/api/v2/me").body
    assert list(body) == ["statusCode", "user"]
    assert list(body["user"]) == SEED_ME_KEYS


def test_seed_curl_commands(gwssim_factory: Callable[..., str]) -> None:
    url = gwssim_factory("--no-csrf")  # the seed page's POST carries no CSRF token
    version = _curl(url + "/api/v2/diagnostics/version")
    assert json.loads(version)["statusCode"] == 0
    me = json.loads(_curl("-u", "ksippo:", url + "/api/v2/me"))
    assert me["user"]["userName"] == "ksippo"
    login = '{"operationName":"StartContactCenterSession","channels":["voice"]}'
    _curl("-X", "POST", "-H", "Content-Type: application/json", "-d", login, "-u", "ksippo:",
          url + "/api/v2/me")
    answer = _curl("-X", "POST", "-H", "Content-Type: application/json", "-d",
                   '{"operationName":"NotReady"}', "-u", "ksippo:",
                   url + "/api/v2/me/channels/voice")
    assert answer == '{"statusCode":0}'


def test_not_ready_is_also_accepted_on_me(gwssim_url: str) -> None:
    session = Session(gwssim_url, "golsen")
    assert session.login().body == {"statusCode": 0}
    assert session.op("/api/v2/me", "NotReady").body == {"statusCode": 0}
    assert session.op("/api/v2/me/channels/voice", "NotReady").body == {"statusCode": 0}
    session.op("/api/v2/me", "EndContactCenterSession")


def _curl(*args: str) -> str:
    done = subprocess.run(["curl", "-sS", "--noproxy", "*", *args], capture_output=True,
                          text=True, timeout=15, check=True)
    return done.stdout
