"""≥ 40 canary secrets where secrets really occur, through the real recorder and a full
`wsdoc build`: none may survive anywhere in the store, markdown, HTML, search index or
OpenAPI, in any encoding; and detect-secrets finds nothing (but does find a planted one)."""

from __future__ import annotations

import base64
import json
import random
import string
import subprocess
import sys
from pathlib import Path

import pytest

from docgen.cli.processes import run_proxy
from tests.reliability.canaries import find_leaks
from tests.support.upstream import serve

pytestmark = pytest.mark.slow
RNG = random.Random(40)
CANARIES = [f"Cnry{i:02d}" + "".join(RNG.choices(string.ascii_letters + string.digits, k=10))
            for i in range(48)]
WSDOC = str(Path(sys.executable).parent / "wsdoc")


def nest(depth: int, key: str, value: object) -> dict[str, object]:
    document: dict[str, object] = {key: value, "statusCode": 0}
    for level in range(depth - 1):
        document = {f"level{level}": document, "name": "ok"}
    return document


def jwt(secret: str) -> str:
    def part(obj: dict[str, str]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part({'sub': secret})}.{secret}"


Route = tuple[int, list[tuple[str, str]], bytes]


def build_requests() -> tuple[list[list[str]], dict[str, Route], list[str]]:
    """The session's curl arguments, the upstream's answers, and the canaries placed."""
    C = iter(CANARIES)  # noqa: N806 - reads better than a long name in every line below
    json_h = ["-H", "Content-Type: application/json"]
    requests = [
        ["-u", f"ksippo:{next(C)}", "/api/v2/me"],
        ["-H", "Authorization: Basic " + base64.b64encode(f"agent2:{next(C)}".encode()).decode(),
         "/api/v2/me"],
        ["-H", f"Authorization: Bearer {next(C)}", "/api/v2/me"],
        ["-H", f"Authorization: Bearer {jwt(next(C))}", "/api/v2/me"],
        ["-b", f"JSESSIONID={next(C)}", "/api/v2/me"],
        ["-b", f"SESSION_ID={next(C)}; theme=dark", "/api/v2/me"],
        ["-H", f"X-CSRF-TOKEN: {next(C)}", "/api/v2/me"],
        ["-H", f"X-Auth-Token: {next(C)}", "/api/v2/me"],
        ["-H", f"X-API-Key: {next(C)}", "/api/v2/me"],
        ["-H", f"Client-Secret: {next(C)}", "/api/v2/me"],
        [f"/api/v2/me?access_token={next(C)}&fields=*"],
        [f"/api/v2/me?api_key={next(C)}"],
        [f"/api/v2/me?password={next(C)}&subresources=*"],
        [f"/api/v2/me?refresh_token={next(C)}"],
    ]
    keys = ["password", "newPassword", "oldPassword", "client_secret", "refresh_token"]
    for depth in range(1, 11):
        body = nest(depth, keys[depth % len(keys)], next(C))
        requests.append([*json_h, "-d", json.dumps(body), "/api/v2/me"])
    requests.append([*json_h, "-d", json.dumps({"users": [{"password": next(C)},
                                                          {"token": [next(C)]}]}), "/api/v2/users"])
    requests.append([*json_h, "-d", json.dumps(nest(10, "items", [{"apiKey": next(C)}])),
                     "/api/v2/me"])
    requests.append([*json_h, "-d", json.dumps({"link": f"http://bob:{next(C)}@gws.local/x"}),
                     "/api/v2/me"])
    requests.append([*json_h, "-d", json.dumps({"note": jwt(next(C))}), "/api/v2/me"])
    requests.append(["-d", f"username=ksippo&password={next(C)}", "/api/v2/login"])
    requests.append([*json_h, "-d", '{"password": "' + next(C) + '", ', "/api/v2/me"])
    responses = {
        "/api/v2/me": (200, [("Content-Type", "application/json"),
                             ("Set-Cookie", f"JSESSIONID={next(C)}; Path=/; HttpOnly"),
                             ("Set-Cookie", f"remember_token={next(C)}; Path=/"),
                             ("X-CSRF-HEADER", "X-CSRF-TOKEN"), ("X-CSRF-TOKEN", next(C))],
                       json.dumps({"statusCode": 0, "user": {"userName": "ksippo",
                                   "sessionId": next(C), "credentials": {"secret": next(C)}},
                                   "refresh_token": next(C)}).encode()),
        "/api/v2/users": (500, [("Content-Type", "application/json")],
                          json.dumps({"statusCode": 4, "statusMessage": "failed",
                                      "debug": {"password": next(C)}}).encode()),
        "/api/v2/login": (403, [("Content-Type", "text/plain"),
                                ("Location", f"http://admin:{next(C)}@gws.local/")],
                          f"denied: password={next(C)}".encode()),
    }
    return requests, responses, CANARIES[: CANARIES.index(next(C))]


def test_no_canary_survives_recording_and_build(tmp_path: Path) -> None:
    requests, responses, used = build_requests()
    assert len(used) >= 40
    store, out = tmp_path / "secrets.sqlite", tmp_path / "site"
    with serve(responses) as upstream, run_proxy(upstream, store) as proxy:
        for request in requests:
            subprocess.run(["curl", "-sS", "-o", "/dev/null", *request[:-1],
                            proxy.url + request[-1]], check=True, timeout=30)
        summary = proxy.stop()
    assert f"recorded {len(requests)}" in summary
    subprocess.run([WSDOC, "build", "--store", str(store), "--out", str(out)], check=True,
                   timeout=300, capture_output=True)
    subprocess.run([WSDOC, "openapi", "--store", str(store), "-o", str(tmp_path / "api.json")],
                   check=True, timeout=120, capture_output=True)
    files = [p for p in tmp_path.rglob("*") if p.is_file() and not p.name.endswith(".log")]
    kinds = {p.suffix for p in files}
    assert {".md", ".html", ".json", ".sqlite"} <= kinds
    assert any(p.name == "search_index.json" for p in files)
    assert find_leaks(used, files) == []
    # The checker works: the same search finds the canaries in the proxy's own log input.
    control = tmp_path / "control.txt"
    control.write_text(base64.b64encode(f"ksippo:{used[0]}".encode()).decode() + "\n"
                       + json.dumps({"k": used[1]}))
    assert len(find_leaks(used[:2], [control])) >= 2


def detect_secrets(folder: Path) -> dict[str, list[object]]:
    # Run inside the folder: detect-secrets silently skips paths outside its cwd.
    done = subprocess.run([str(Path(sys.executable).parent / "detect-secrets"), "scan",
                           "--all-files", "."], capture_output=True, text=True,
                          check=True, timeout=300, cwd=folder)
    return json.loads(done.stdout)["results"]


def test_detect_secrets_reports_nothing_on_the_output(tmp_path: Path) -> None:
    requests, responses, _ = build_requests()
    store, out = tmp_path / "ds.sqlite", tmp_path / "site"
    with serve(responses) as upstream, run_proxy(upstream, store) as proxy:
        for request in requests:
            subprocess.run(["curl", "-sS", "-o", "/dev/null", *request[:-1],
                            proxy.url + request[-1]], check=True, timeout=30)
    subprocess.run([WSDOC, "build", "--store", str(store), "--out", str(out)], check=True,
                   timeout=300, capture_output=True)
    subprocess.run([WSDOC, "openapi", "--store", str(store), "-o", str(out / "api.json")],
                   check=True, timeout=120, capture_output=True)
    scanned = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in scanned) and any(p.suffix == ".md" for p in scanned)
    assert detect_secrets(out) == {}
    planted = out / "public" / "planted.html"  # positive control: a real-looking secret
    planted.write_text('<p>password = "hunter2Canary!"</p>\n<p>AKIAIOSFODNN7EXAMPLE</p>\n')
    assert list(detect_secrets(out)) == ["public/planted.html"]
