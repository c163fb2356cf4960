from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import urlencode

import pytest

from docgen.capture.record import Body, Exchange
from docgen.capture.redact import MASK, Redactor, redact_authorization


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_basic_keeps_user_and_masks_password() -> None:
    redacted = redact_authorization(basic("ksippo", "hunter2"))
    assert base64.b64decode(redacted.split()[1]).decode() == f"ksippo:{MASK}"


def test_basic_with_empty_password_stays_true() -> None:
    assert redact_authorization(basic("ksippo", "")) == basic("ksippo", "")


@pytest.mark.parametrize("value", ["Bearer abc.def.ghi", "Digest username=x, response=y"])
def test_other_schemes_keep_only_the_scheme(value: str) -> None:
    assert redact_authorization(value) == value.split()[0] + " " + MASK


def exchange(**kwargs: object) -> Exchange:
    base: dict[str, object] = dict(method="POST", scheme="http", host="h", port=80, path="/x")
    base.update(kwargs)
    return Exchange(**base)  # type: ignore[arg-type]


def test_headers_cookies_and_query() -> None:
    ex = Redactor().redact(exchange(
        query=[("access_token", "s3cr3t"), ("fields", "*"), ("API-Key", "k")],
        request_headers=[("Cookie", "JSESSIONID=abc; theme=dark"), ("X-CSRF-TOKEN", "t"),
                         ("Accept", "application/json")],
        response_headers=[("Set-Cookie", "JSESSIONID=abc; Path=/; HttpOnly"),
                          ("X-CSRF-HEADER", "X-CSRF-TOKEN"), ("X-CSRF-TOKEN", "uuid")],
    ))
    assert ex.query == [("access_token", MASK), ("fields", "*"), ("API-Key", MASK)]
    assert ex.request_headers == [("Cookie", f"JSESSIONID={MASK}; theme={MASK}"),
                                  ("X-CSRF-TOKEN", MASK), ("Accept", "application/json")]
    assert ex.response_headers == [("Set-Cookie", f"JSESSIONID={MASK}; Path=/; HttpOnly"),
                                   ("X-CSRF-HEADER", "X-CSRF-TOKEN"), ("X-CSRF-TOKEN", MASK)]


def test_json_secrets_at_any_depth_and_in_arrays() -> None:
    document = {"operationName": "Login", "changePasswordOnFirstLogin": False,
                "a": [{"b": {"new_password": "p1", "Client-Secret": "p2"}}],
                "refreshToken": ["t1", "t2"], "pin": 1234, "name": "ok"}
    for _ in range(9):
        document = {"level": document, "oldPassword": "p3"}
    body = Body(json.dumps(document).encode(), "application/json")
    out = json.loads(Redactor().redact(exchange(request_body=body)).request_body.content or b"")
    text = json.dumps(out)
    for secret in ("p1", "p2", "p3", "t1", "t2", "1234"):
        assert f'"{secret}"' not in text and f" {secret}," not in text
    inner = out
    while "level" in inner:
        inner = inner["level"]
    assert inner["changePasswordOnFirstLogin"] is False  # booleans are not secrets
    assert inner["name"] == "ok" and inner["operationName"] == "Login"


def test_unchanged_json_keeps_its_exact_bytes() -> None:
    raw = b'{ "statusCode" : 0,\n  "v": 1.50 }'
    body = Body(raw, "application/json")
    assert Redactor().redact(exchange(response_body=body)).response_body.content == raw


@pytest.mark.parametrize("raw", [
    b'{"password": "hunter2", ',  # invalid JSON
    b"user=a&password=hunter2",  # text
    b"\x00\x01password: hunter2\xff",  # binary-ish
    b"[" * 100_000 + b'{"password":"hunter2"}' + b"]" * 100_000,  # too deep to parse
])
def test_non_json_bodies_still_lose_named_secrets(raw: bytes) -> None:
    body = Body(raw, "application/octet-stream")
    redacted = Redactor().redact(exchange(request_body=body)).request_body.content
    assert b"hunter2" not in (redacted or b"")


def test_shapes_jwt_and_userinfo_in_any_text() -> None:
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl"
    body = Body(json.dumps({"note": f"see {jwt}", "link": "http://bob:pw123@h/x"}).encode(),
                "application/json")
    out = Redactor().redact(exchange(response_body=body)).response_body.content or b""
    assert jwt.encode() not in out and b"pw123" not in out and b"bob:" in out


def test_form_bodies_and_extra_rules() -> None:
    body = Body(b"username=ksippo&pass_code=9911&memo=ref-1234",
                "application/x-www-form-urlencoded")
    redactor = Redactor(["pass_code", r"re:ref-\d+"])
    out = redactor.redact(exchange(request_body=body)).request_body.content or b""
    from urllib.parse import parse_qsl

    assert parse_qsl(out.decode()) == [("username", "ksippo"), ("pass_code", MASK), ("memo", MASK)]


def test_session_tag_correlates_without_keeping_the_cookie() -> None:
    redactor = Redactor()
    first = redactor.redact(exchange(response_headers=[("Set-Cookie", "JSESSIONID=s1; Path=/")]))
    later = redactor.redact(exchange(request_headers=[("Cookie", "theme=x; JSESSIONID=s1")]))
    other = redactor.redact(exchange(request_headers=[("Cookie", "JSESSIONID=s2")]))
    by_user = redactor.redact(exchange(request_headers=[("Authorization", basic("ksippo", ""))]))
    assert first.session == later.session != other.session
    assert by_user.session and by_user.session != first.session
    assert "s1" not in first.session and len(first.session) == 16
    assert Redactor().redact(exchange()).session == ""


def test_session_tags_are_keyed_per_run() -> None:
    # The key lives only in one Redactor: another run tags the same cookie differently,
    # so a stored tag cannot be checked against a guessed cookie value.
    cookie = [("Cookie", "JSESSIONID=s1")]
    tags = {Redactor().redact(exchange(request_headers=cookie)).session for _ in range(3)}
    assert len(tags) == 3 and all(len(tag) == 16 and int(tag, 16) >= 0 for tag in tags)


def test_a_repeated_body_is_redacted_the_same_and_the_answer_is_bounded() -> None:
    redactor = Redactor()
    content = b'{"user": "kate", "password": "hunter2", "pin_state": "set", "secrets": 3}'
    first = redactor.body(Body(content, "application/json", "", len(content)))
    again = redactor.body(Body(bytes(content), "application/json", "", len(content)))
    assert again == first and b"hunter2" not in first.content
    assert json.loads(first.content)["password"] == MASK
    # The same bytes under another type are another body: text first, then a form.
    form = b"user=kate&password=hunter2"
    assert redactor.body(Body(form, "text/plain")).content == b"user=kate&password=" + (
        MASK.encode())
    assert redactor.body(Body(form, "application/x-www-form-urlencoded")).content == (
        urlencode([("user", "kate"), ("password", MASK)]).encode())
    for index in range(1000):
        redactor.body(Body(b'{"n": %d}' % index, "application/json"))
    assert 256 <= len(redactor._bodies) <= 256 + 256 // 4  # docgen.capture.recent


def test_kept_names_are_recorded_for_repeated_bodies_too() -> None:
    redactor = Redactor()
    content = b'{"token_expires_at": "2026-01-01", "access_token": "2026-12-03T10:00:00Z"}'
    for _ in range(3):
        redactor.body(Body(content, "application/json"))
    assert redactor.kept == {"access_token": "timestamp"}


def test_headers_are_redacted_the_same_when_they_repeat_in_any_form() -> None:
    redactor = Redactor()
    sent = [("Authorization", basic("ksippo", "hunter2")), ("Cookie", "JSESSIONID=abc; x=1"),
            ("Accept", "application/json")]
    first = redactor.headers(sent)
    again = redactor.headers([list(pair) for pair in sent])  # type: ignore[misc]
    assert first == again
    assert [name for name, _ in first] == ["Authorization", "Cookie", "Accept"]
    assert "hunter2" not in str(first) and "abc" not in str(first)
    assert first[2] == ("Accept", "application/json")


# -- the walk skips plain scalars outside secrets: the same answers as visiting all ------


def _visit_all(redactor: Redactor, document: Any) -> tuple[Any, bool]:
    """json_value as it was before it skipped plain scalars: every node visited."""
    root: list[Any] = [document]
    changed = False
    stack: list[tuple[Any, Any, str, str | None]] = [(root, 0, "", None)]
    while stack:
        parent, key, name, head = stack.pop()
        value = parent[key]
        if isinstance(value, dict):
            for child in value:
                stack.append((value, child, str(child),
                              redactor._child_head(str(child), head)))
        elif isinstance(value, list):
            stack.extend((value, index, name, head) for index in range(len(value)))
        elif isinstance(value, str):
            secret = head is not None and value and not redactor.keep(name, head, value)
            new = MASK if secret else redactor.text(value)
            changed |= new != value
            parent[key] = new
        elif head is not None and isinstance(value, int | float) and not isinstance(
                value, bool) and not redactor.keep(name, head, value):
            parent[key], changed = MASK, True
    return root[0], changed


def _documents() -> list[Any]:
    import random

    from bench.corpus_score import captures
    from docgen.capture.importer import read_har

    documents = []
    for har in captures():
        for exchange in read_har(har):
            for body in (exchange.request_body, exchange.response_body):
                try:
                    documents.append(json.loads(body.content or b""))
                except ValueError:
                    pass
    leaves = ["x", "read", "2024-01-02T03:04:05Z", "http://h/p", "http://u:pw@h/p", 7, 2.5,
              True, None, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", "", "s3cr3t-V4lue"]
    names = ["id", "name", "password", "secrets", "apiKey", "tokens", "uri", "session_id",
             "changePasswordOnFirstLogin", "value", "organization_secrets", "pin"]
    pick = random.Random(15)

    def grow(depth: int) -> Any:
        roll = pick.random()
        if depth > 3 or roll < 0.4:
            return pick.choice(leaves)
        if roll < 0.7:
            return [grow(depth + 1) for _ in range(pick.randrange(4))]
        return {pick.choice(names): grow(depth + 1) for _ in range(pick.randrange(5))}

    return documents + [grow(0) for _ in range(3000)]


@pytest.mark.parametrize("rules", [(), ("re:s3cr3t",), ("value",)])
def test_skipping_plain_scalars_changes_no_answer(rules: tuple[str, ...]) -> None:
    import copy

    documents = _documents()
    fast, slow = Redactor(rules), Redactor(rules)
    for document in documents:
        assert fast.json_value(copy.deepcopy(document)) == _visit_all(
            slow, copy.deepcopy(document)), document
    assert list(fast.kept.items()) == list(slow.kept.items())
