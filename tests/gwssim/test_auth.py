"""HTTP Basic, JSESSIONID sessions and CSRF."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from tests.gwssim.client import Session, basic, send

ACCESS_DENIED = {"statusCode": 20, "statusMessage": "Access denied"}
CSRF_DENIED = {"statusCode": 3, "statusMessage": "Missing or invalid Csrf token"}


def test_empty_password_is_accepted_for_ksippo(gwssim_url: str) -> None:
    reply = send(gwssim_url + "/api/v2/me", headers={"Authorization": basic("ksippo", "")})
    assert reply.status == 200 and reply.code == 0


def test_other_users_need_their_password(gwssim_url: str) -> None:
    good = send(gwssim_url + "/api/v2/me", headers={"Authorization": basic("amiller", "password")})
    assert good.body["user"]["userName"] == "amiller"
    for user, password in (("amiller", ""), ("ksippo", "wrong"), ("nobody", "")):
        reply = send(gwssim_url + "/api/v2/me", headers={"Authorization": basic(user, password)})
        assert (reply.status, reply.body) == (403, ACCESS_DENIED)


def test_no_credentials_or_garbage_is_access_denied(gwssim_url: str) -> None:
    for headers in ({}, {"Authorization": "Basic !!!"}, {"Authorization": "Bearer x"}):
        reply = send(gwssim_url + "/api/v2/me", headers=headers)
        assert (reply.status, reply.body) == (403, ACCESS_DENIED)
    assert send(gwssim_url + "/api/v2/users").status == 403


def test_first_request_sets_the_session_cookie_and_the_cookie_alone_works(gwssim_url: str) -> None:
    session = Session(gwssim_url)
    first = session.get("/api/v2/me")
    cookie = first.headers["Set-Cookie"]
    assert re.fullmatch(r"JSESSIONID=[a-z0-9]{26}; Path=/; HttpOnly", cookie)
    riding = session.get("/api/v2/me/devices", use_auth=False)
    assert riding.status == 200 and riding.code == 0
    assert "Set-Cookie" not in riding.headers  # same session: no new cookie


def test_every_get_carries_the_session_csrf_token(gwssim_url: str) -> None:
    session = Session(gwssim_url)
    first = session.get("/api/v2/me")
    second = session.get("/api/v2/me/skills")
    assert first.headers["X-CSRF-HEADER"] == "X-CSRF-TOKEN"
    token = first.headers["X-CSRF-TOKEN"]
    assert str(uuid.UUID(token)) == token
    assert second.headers["X-CSRF-TOKEN"] == token
    other = Session(gwssim_url).get("/api/v2/me").headers["X-CSRF-TOKEN"]
    assert other != token  # bound to the session


def test_posts_without_the_token_are_forbidden(gwssim_url: str) -> None:
    session = Session(gwssim_url, "fnakamura")
    session.get("/api/v2/me")
    missing = session.post("/api/v2/me/channels/voice", {"operationName": "Ready"}, csrf=False)
    assert (missing.status, missing.body) == (403, CSRF_DENIED)
    wrong = session.request("POST", "/api/v2/me/channels/voice", b'{"operationName":"Ready"}',
                            {"X-CSRF-TOKEN": str(uuid.uuid4())})
    assert (wrong.status, wrong.body) == (403, CSRF_DENIED)
    allowed = session.op("/api/v2/me/channels/voice", "Ready")
    assert allowed.status == 400 and allowed.code == 2  # past CSRF: not logged in


def test_no_csrf_option_turns_it_off(gwssim_factory: Callable[..., str]) -> None:
    url = gwssim_factory("--no-csrf")
    session = Session(url)
    reply = session.get("/api/v2/me")
    assert "X-CSRF-TOKEN" not in reply.headers and "X-CSRF-HEADER" not in reply.headers
    assert session.post("/api/v2/me", {"operationName": "StartContactCenterSession",
                                       "channels": ["voice"]}, csrf=False).code == 0


def test_end_contact_center_session_ends_the_http_session(gwssim_url: str) -> None:
    session = Session(gwssim_url, "dpatel")
    session.login()
    token = next(cookie.value for cookie in session.cookies if cookie.name == "JSESSIONID")
    cookie_header = {"Cookie": f"JSESSIONID={token}"}
    assert send(gwssim_url + "/api/v2/me", headers=cookie_header).status == 200
    ended = session.op("/api/v2/me", "EndContactCenterSession")
    assert ended.body == {"statusCode": 0}
    assert "Max-Age=0" in ended.headers["Set-Cookie"]
    assert send(gwssim_url + "/api/v2/me", headers=cookie_header).body == ACCESS_DENIED
    again = Session(gwssim_url, "dpatel")
    assert again.op("/api/v2/me/channels/voice", "Ready").code == 2  # logged out
