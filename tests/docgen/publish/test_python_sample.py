"""The Python sample sends what the curl example sends, with the same placeholders."""

from __future__ import annotations

import ast

from docgen.capture.record import Body, Exchange
from docgen.publish.curl import curl_command
from docgen.publish.python_sample import python_sample
from tests.support.site_models import basic

MASK = "[REDACTED]"


def recorded(user: str, password: str) -> Exchange:
    body = b'{"operationName":"Ready"}'
    return Exchange(
        method="POST", scheme="http", host="gws", port=80, path="/api/v2/me/channels/voice",
        query=[("x", "it's")],
        request_headers=[("Accept", "*/*"), ("User-Agent", "curl/8"),
                         ("Authorization", basic(user, password)),
                         ("Content-Type", "application/json"), ("X-CSRF-TOKEN", MASK),
                         ("Cookie", f"JSESSIONID={MASK}")],
        request_body=Body(body, "application/json", size=len(body)))


def test_same_request_same_placeholders() -> None:
    ex = recorded("amiller", MASK)
    sample = python_sample(ex, "http://localhost:8090")
    ast.parse(sample)  # valid Python
    assert "requests.request('POST'," in sample
    assert "auth=('amiller', os.environ['PASSWORD'])" in sample
    assert "'X-CSRF-TOKEN': os.environ['CSRF_TOKEN']" in sample
    assert "'Cookie': 'JSESSIONID=' + os.environ['JSESSIONID']" in sample
    assert "data='{\"operationName\":\"Ready\"}'" in sample
    assert "User-Agent" not in sample and "*/*" not in sample  # dropped, as in curl
    variables = set(curl_command(ex, "http://localhost:8090").variables)
    assert variables == {"PASSWORD", "CSRF_TOKEN", "JSESSIONID"}
    assert all(f"os.environ['{name}']" in sample for name in variables)


def test_empty_password_and_quotes_stay_literal() -> None:
    sample = python_sample(recorded("ksippo", ""), "http://localhost:8090")
    assert "auth=('ksippo', '')" in sample
    assert "?x=it's" in ast.literal_eval(sample.split("request('POST',\n    ", 1)[1]
                                         .split(",\n", 1)[0])
