"""curl commands rebuilt from recorded requests: mitmproxy's export rules, placeholders for
secrets, exact shell quoting, and a real run against a local server."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from docgen.capture.record import Body, Exchange
from docgen.capture.redact import MASK
from docgen.publish.curl import CurlCommand, curl_command, variable_name
from tests.support.site_models import HOSTILE_STRINGS, basic

ARGV_DUMPER = ("curl() { " + sys.executable
               + " -c 'import json, sys; print(json.dumps(sys.argv[1:]))' \"$@\"; }\n")


def request(method: str = "GET", path: str = "/api/v2/me",
            headers: list[tuple[str, str]] | None = None, body: bytes | None = None,
            query: list[tuple[str, str]] | None = None) -> Exchange:
    return Exchange(method=method, scheme="http", host="10.0.0.7", port=8090, path=path,
                    query=query or [], request_headers=headers or [],
                    request_body=Body(body, "application/json" if body else "",
                                      size=len(body or b"")))


def argv(command: CurlCommand, env: dict[str, str] | None = None,
         multiline: bool = True) -> list[str]:
    """The arguments bash really passes to curl for the rendered command."""
    done = subprocess.run(["bash", "-c", ARGV_DUMPER + command.render(multiline)],
                          capture_output=True, text=True, check=True, timeout=20,
                          env={"PATH": os.environ["PATH"], **(env or {})})
    return list(json.loads(done.stdout))


def test_plain_get_is_just_curl_and_the_url() -> None:
    ex = request(headers=[("Host", "10.0.0.7:8090"), ("User-Agent", "curl/8.5.0"),
                          ("Accept", "*/*")], path="/api/v2/diagnostics/version")
    # The recorded scheme and host (issue 11), or the base URL the reader chose.
    assert curl_command(ex).render() == "curl http://10.0.0.7:8090/api/v2/diagnostics/version"
    assert curl_command(ex, "https://gws.example/").render() == \
        "curl https://gws.example/api/v2/diagnostics/version"
    secure = Exchange(method="GET", scheme="https", host="api.example.com", port=443,
                      path="/v1/things")
    assert curl_command(secure).render() == "curl https://api.example.com/v1/things"


def test_empty_basic_password_stays_as_recorded() -> None:
    ex = request(headers=[("Authorization", basic("ksippo", ""))])
    command = curl_command(ex, "http://gws.example:8090/")
    assert command.render() == "curl http://gws.example:8090/api/v2/me -u ksippo:"
    assert command.variables == []


def test_masked_password_becomes_a_shell_variable() -> None:
    ex = request(headers=[("Authorization", basic("amiller", MASK))])
    command = curl_command(ex)
    assert '-u "amiller:$PASSWORD"' in command.render()
    assert command.variables == ["PASSWORD"]
    assert argv(command, {"PASSWORD": "s3cr et'\""})[-1] == "amiller:s3cr et'\""


def test_undecodable_basic_becomes_user_and_password_variables() -> None:
    command = curl_command(request(headers=[("Authorization", f"Basic {MASK}")]))
    assert '-u "$USERNAME:$PASSWORD"' in command.render()


def test_post_follows_mitmproxy_export_rules() -> None:
    body = b'{"operationName":"NotReady","note":"it\'s"}'
    ex = request("POST", "/api/v2/me/channels/voice", body=body, headers=[
        ("Host", "10.0.0.7:8090"), ("User-Agent", "curl/8.5.0"), ("Accept", "*/*"),
        ("Content-Type", "application/json"), ("Content-Length", str(len(body))),
        ("Connection", "keep-alive"), ("Accept-Encoding", "gzip, deflate"),
        ("Authorization", basic("ksippo", "")), ("X-CSRF-TOKEN", MASK),
        ("Cookie", f"JSESSIONID={MASK}; lang=en"),
    ])
    command = curl_command(ex)
    assert argv(command, {"CSRF_TOKEN": "t0k", "JSESSIONID": "s1d"}) == [
        "-X", "POST", "http://10.0.0.7:8090/api/v2/me/channels/voice", "-u", "ksippo:",
        "-H", "Content-Type: application/json", "-H", "X-CSRF-TOKEN: t0k",
        "-H", "Cookie: JSESSIONID=s1d; lang=en", "--compressed", "-d", body.decode(),
    ]
    text = command.render()
    assert '-H "X-CSRF-TOKEN: $CSRF_TOKEN"' in text
    assert '-H "Cookie: JSESSIONID=$JSESSIONID; lang=en"' in text
    assert command.variables == ["CSRF_TOKEN", "JSESSIONID"]
    assert text.count(" \\\n") == len(text.splitlines()) - 1  # one option per line


def test_meaningful_headers_are_kept() -> None:
    ex = request(headers=[("Accept", "application/json"), ("User-Agent", "Workspace/8.5"),
                          ("X-Api-Key", MASK), ("Authorization", f"Bearer {MASK}")])
    args = argv(curl_command(ex), {"API_KEY": "k", "TOKEN": "t"})
    assert args[1:] == ["-H", "Accept: application/json", "-H", "User-Agent: Workspace/8.5",
                        "-H", "X-Api-Key: k", "-H", "Authorization: Bearer t"]


def test_query_is_re_encoded_and_masked_values_are_variables() -> None:
    ex = request(query=[("fields", "id,userName"), ("subresources", "*"), ("q", "a b&c"),
                        ("access_token", MASK)])
    command = curl_command(ex)
    assert argv(command, {"ACCESS_TOKEN": "xyz"}) == [
        "http://10.0.0.7:8090/api/v2/me?fields=id,userName&subresources=*&q=a%20b%26c"
        "&access_token=xyz"]


def test_special_cases_beyond_export_py() -> None:
    get_with_body = curl_command(request("GET", body=b"{}"))
    assert argv(get_with_body)[:2] == ["-X", "GET"]  # curl -d alone would POST
    assert argv(curl_command(request("HEAD"))) == ["--head", "http://10.0.0.7:8090/api/v2/me"]
    at_body = curl_command(request("POST", body=b"@/etc/passwd"))
    assert argv(at_body)[-2:] == ["--data-raw", "@/etc/passwd"]  # -d @x would read a file
    globbed = curl_command(request(path="/api/v2/[1-3]/{a,b}"))
    assert argv(globbed)[0] == "--globoff"
    not_kept = request("POST")
    not_kept.request_body = Body(None, "application/json", size=20_000_000, truncated=True)
    assert argv(curl_command(not_kept))[-2:] == ["--data-binary", "@request-body"]
    huge = curl_command(request("POST", body=b'{"a":"' + b"x" * 70_000 + b'"}'))
    assert argv(huge)[-2:] == ["--data-binary", "@request-body"]


@pytest.mark.parametrize("value", HOSTILE_STRINGS + ["$(touch /tmp/x)", "`id`", "!!", "\\"])
def test_quoting_passes_hostile_values_through_exactly(value: str) -> None:
    body = value.encode()
    ex = request("POST", "/api/v2/" + value.replace("\n", ""), body=body,
                 headers=[("X-Evil", value.replace("\n", " ")), ("X-Secret", MASK),
                          ("Cookie", f"{value.replace(';', '')}={MASK}")],
                 query=[(value, value)])
    command = curl_command(ex)
    env = {name: f"<{name}>" for name in command.variables}
    for multiline in (True, False):
        args = argv(command, env, multiline)
        assert args[-1] == value
        assert args[args.index("-H") + 1] == "X-Evil: " + value.replace("\n", " ")
        assert "X-Secret: <SECRET>" in args


def test_variable_names_are_safe_identifiers() -> None:
    assert variable_name("X-Api-Key") == "X_API_KEY"
    assert variable_name("$(rm -rf)") == "RM_RF"
    assert variable_name("1abc") == "SECRET_1ABC"
    assert variable_name("") == "SECRET"


class Recorder(BaseHTTPRequestHandler):
    seen: list[dict[str, Any]] = []

    def handle_any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        Recorder.seen.append({"method": self.command, "path": self.path,
                              "headers": dict(self.headers.items()),
                              "body": self.rfile.read(length)})
        self.send_response(201)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    do_GET = do_POST = do_PUT = do_DELETE = handle_any

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Recorder.seen.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_rendered_command_really_repeats_the_request(local_server: str) -> None:
    body = b'{"operationName":"Dial","destination":{"phoneNumber":"5002"}}'
    ex = request("POST", "/api/v2/me/devices/4a23d596/calls", body=body,
                 query=[("fields", "id,state")],
                 headers=[("Content-Type", "application/json"), ("X-CSRF-TOKEN", MASK),
                          ("Authorization", basic("amiller", MASK))])
    ex.status = 201
    command = curl_command(ex, local_server).render()
    done = subprocess.run(["bash", "-c", command + " -s -o /dev/null -w '%{http_code}'"],
                          capture_output=True, text=True, timeout=30, check=False,
                          env={**os.environ, "PASSWORD": "pw", "CSRF_TOKEN": "tok"})
    assert done.stdout == str(ex.status)
    (seen,) = Recorder.seen
    assert (seen["method"], seen["path"]) == ("POST", "/api/v2/me/devices/4a23d596/calls"
                                                      "?fields=id,state")
    assert seen["body"] == body
    assert seen["headers"]["Content-Type"] == "application/json"
    assert seen["headers"]["X-CSRF-TOKEN"] == "tok"
    assert seen["headers"]["Authorization"] == "Basic " + base64.b64encode(
        b"amiller:pw").decode()
