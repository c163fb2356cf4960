"""The recorder between real curl and gwssim: the seed page's requests, and HTTPS in both
reverse mode and regular (`curl -x`) mode through mitmproxy's CA."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from docgen.capture.store import Store
from docgen.cli.processes import run_proxy
from gwssim.process import run_gwssim


def curl(*args: str) -> str:
    return subprocess.run(["curl", "-sS", "--max-time", "20", *args], capture_output=True,
                          text=True, check=True, timeout=30).stdout


def seed_session(base: str, folder: Path) -> None:
    """The documentation page's three requests (plus the login NotReady needs)."""
    jar, headers = str(folder / "jar"), folder / "headers"
    curl(f"{base}/api/v2/diagnostics/version")
    curl("-u", "ksippo:", "-c", jar, "-D", str(headers), f"{base}/api/v2/me")
    token = next(line.split(":", 1)[1].strip() for line in headers.read_text().splitlines()
                 if line.lower().startswith("x-csrf-token:"))
    post = ["-X", "POST", "-H", "Content-Type: application/json", "-H", f"X-CSRF-TOKEN: {token}",
            "-b", jar, "-u", "ksippo:"]
    curl(*post, "-d", '{"operationName":"StartContactCenterSession","channels":["voice"]}',
         f"{base}/api/v2/me")
    curl(*post, "-d", '{"operationName":"NotReady"}', f"{base}/api/v2/me/channels/voice")


@pytest.mark.parametrize("tool", ["wsdoc", "mitmdump"])
def test_records_the_seed_pages_requests(tmp_path: Path, tool: str) -> None:
    store = tmp_path / "seed.sqlite"
    with run_gwssim() as upstream, run_proxy(upstream, store, tool=tool) as proxy:
        seed_session(proxy.url, tmp_path)
    with Store(store) as reader:
        records = list(reader.exchanges())
    version, me, _, not_ready = records
    assert (version.method, version.path, version.status) == ("GET", "/api/v2/diagnostics/version",
                                                              200)
    assert json.loads(version.response_body.content or b"")["version"].startswith("8.5.202")
    assert me.header("Authorization") == "Basic a3NpcHBvOg=="  # `-u ksippo:` kept as is
    user = json.loads(me.response_body.content or b"")["user"]
    assert (me.status, user["userName"], user["id"]) == (200, "ksippo",
                                                        "63630bbebf4840d7a0bffd6312bc29ff")
    assert (not_ready.method, not_ready.path) == ("POST", "/api/v2/me/channels/voice")
    assert json.loads(not_ready.request_body.content or b"") == {"operationName": "NotReady"}
    assert (not_ready.status, json.loads(not_ready.response_body.content or b"")) == (
        200, {"statusCode": 0})
    assert not_ready.header("X-CSRF-TOKEN") == "[REDACTED]"


def test_https_upstream_in_reverse_and_regular_mode(tmp_path: Path) -> None:
    cert = tmp_path / "gwssim.pem"
    with run_gwssim("--tls", "--cert-out", str(cert)) as upstream:
        assert upstream.startswith("https://")
        reverse = tmp_path / "reverse.sqlite"
        with run_proxy(upstream, reverse, "--upstream-cacert", str(cert)) as proxy:
            assert '"statusCode":0' in curl(f"{proxy.url}/api/v2/diagnostics/version")
        regular = tmp_path / "regular.sqlite"
        home = {"HOME": str(tmp_path)}  # mitmproxy makes its CA in ~/.mitmproxy
        with run_proxy("", regular, "--upstream-cacert", str(cert), env=home) as proxy:
            ca = tmp_path / ".mitmproxy" / "mitmproxy-ca-cert.pem"
            assert "curl -x" in proxy.output() and str(ca) in proxy.output()
            body = curl("-x", proxy.url, "--cacert", str(ca), "-u", "ksippo:",
                        f"{upstream}/api/v2/me")
            assert '"userName":"ksippo"' in body
    for store in (reverse, regular):
        with Store(store) as reader:
            [record] = list(reader.exchanges())
        assert record.scheme == "https" and record.status == 200
