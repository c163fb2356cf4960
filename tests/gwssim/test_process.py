"""The simulator as a process: CLI, determinism, TLS, `wsdoc sim`, curl_session.sh."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gwssim.cometd_client import CometdClient
from gwssim.process import ROOT, run_simulator_command
from tests.gwssim.client import Session

SCRIPT = ROOT / "gwssim" / "curl_session.sh"


def _ids_of_a_scripted_run(url: str) -> dict[str, Any]:
    agent = Session(url)
    first = agent.get("/api/v2/me")
    users = agent.get("/api/v2/users?fields=*&subresources=skills,devices").body["users"]
    agent.dial("5002")
    agent.dial("14155550123")
    calls = Session(url, "amiller").calls() + agent.calls()
    cometd = CometdClient(url, "bchen", "password").open()
    return {"cookie": first.headers["Set-Cookie"], "csrf": first.headers["X-CSRF-TOKEN"],
            "users": users, "calls": [(c["id"], c["connId"], c["callUuid"]) for c in calls],
            "client": cometd.client_id}


def test_same_seed_same_ids_across_runs(gwssim_factory: Callable[..., str]) -> None:
    first = _ids_of_a_scripted_run(gwssim_factory("--event-delay", "0"))
    second = _ids_of_a_scripted_run(gwssim_factory("--event-delay", "0"))
    other = _ids_of_a_scripted_run(gwssim_factory("--event-delay", "0", "--seed", "8"))
    strip = re.compile(r"http://127\.0\.0\.1:\d+")
    assert strip.sub("", repr(first)) == strip.sub("", repr(second))
    assert first["calls"][0][0].endswith("000002")  # counter-based call ids
    assert other["users"][0]["id"] == first["users"][0]["id"]  # ksippo's documented id
    assert other["users"][1]["id"] != first["users"][1]["id"]
    assert other["calls"] != first["calls"] and other["cookie"] != first["cookie"]


def test_bad_arguments_are_one_line_and_non_zero() -> None:
    for args in (["--port", "99999"], ["--host", "0.0.0.0"], ["--api-version", "9.0"],
                 ["--long-poll-timeout", "0"], ["--notifications-path", "x"], ["--nope"]):
        done = subprocess.run([sys.executable, "-m", "gwssim", *args], capture_output=True,
                              text=True, cwd=ROOT, timeout=15)
        assert done.returncode != 0, args
        assert done.stdout == ""
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert done.stderr.startswith("gwssim: error: ")


def test_busy_port_is_one_line_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "gwssim", "--port", str(port)],
                              capture_output=True, text=True, cwd=ROOT, timeout=15)
    assert done.returncode == 1
    assert done.stderr.startswith("gwssim: error: cannot listen on 127.0.0.1:")


def test_tls_with_generated_certificate(gwssim_factory: Callable[..., str],
                                        tmp_path: Path) -> None:
    cert = tmp_path / "cert.pem"
    url = gwssim_factory("--tls", "--cert-out", str(cert), "--event-delay", "0")
    assert url.startswith("https://127.0.0.1:")
    assert "BEGIN CERTIFICATE" in cert.read_text()
    session = Session(url, cafile=str(cert))
    body = session.get("/api/v2/me").body
    assert body["user"]["uri"].startswith(url + "/api/v2/users/")
    listener = CometdClient(url, "ksippo", cafile=str(cert)).open()
    listener.subscribe("/v2/me/devices")
    listener.connect()
    session.login()
    assert len(listener.collect(5, until=lambda got: len(got) >= 2)) == 2
    done = subprocess.run(["curl", "-sS", "--noproxy", "*", "--cacert", str(cert),
                           url + "/api/v2/diagnostics/version"],
                          capture_output=True, text=True, timeout=15)
    assert done.returncode == 0 and '"statusCode":0' in done.stdout


def test_wsdoc_sim_command() -> None:
    command = [sys.executable, "-c", "from docgen.cli import main; main()", "sim",
               "--port", "0", "--api-version", "8.5.201"]
    with run_simulator_command(command) as url:
        version = Session(url).get("/api/v2/diagnostics/version").body["version"]
        assert version.startswith("8.5.201.")
    done = subprocess.run([*command[:4], "--port", "x"], capture_output=True, text=True,
                          cwd=ROOT, timeout=15)
    assert done.returncode != 0
    assert done.stderr.strip().startswith("wsdoc: error:")
    assert len(done.stderr.strip().splitlines()) == 1


def _run_script(url: str, *args: str, curl_opts: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHON": sys.executable, "CURL_OPTS": f"--noproxy * {curl_opts}"}
    return subprocess.run(["bash", str(SCRIPT), url, *args], capture_output=True, text=True,
                          env=env, timeout=60)


def test_curl_session_runs_to_completion(gwssim_factory: Callable[..., str]) -> None:
    done = _run_script(gwssim_factory("--event-delay", "0"))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    summary = re.search(r"done: (\d+) users, (\d+) requests, (\d+) calls dialled", out)
    assert summary, out[-2000:]
    assert summary.group(1) == "5" and int(summary.group(3)) >= 5
    commands = [line for line in out.splitlines() if line.startswith("+ curl")]
    assert len(commands) == int(summary.group(2))
    assert re.search(r"^\+ curl -sS --noproxy '\*' http://\S+/api/v2/diagnostics/version$",
                     out, re.M)
    assert "-d '{\"operationName\":\"NotReady\"}' -u ksippo:" in out
    for needle in ("StartContactCenterSession", "InitiateTransfer", "CompleteTransfer",
                   "SingleStepTransfer", "CompleteConference", "SwapCalls", "AttachUserData",
                   "UpdateUserData", "DeleteUserDataPair", "EndContactCenterSession",
                   "fields=id,userName", "subresources=*"):
        assert needle in out, needle
    for code in (1, 2, 3, 6, 10, 20):
        assert f'"statusCode":{code},' in out, code


def test_curl_session_over_tls_with_curl_opts(gwssim_factory: Callable[..., str],
                                              tmp_path: Path) -> None:
    cert = tmp_path / "cert.pem"
    url = gwssim_factory("--tls", "--cert-out", str(cert), "--event-delay", "0")
    done = _run_script(url, "--users", "2", curl_opts=f"--cacert {cert}")
    assert done.returncode == 0, done.stderr
    assert "done: 2 users" in done.stdout


def test_curl_session_fails_when_curl_fails() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    done = _run_script(f"http://127.0.0.1:{port}")
    assert done.returncode == 7  # curl: failed to connect
    assert "curl failed" in done.stderr


def test_curl_session_reads_non_json_answers_without_a_traceback(tmp_path: Path) -> None:
    from docgen.cli.processes import run_proxy

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    # A recording proxy in front of a server that is down answers every request with a 502
    # HTML page: the script reads no users from it and says so, in its own words.
    with run_proxy(f"http://127.0.0.1:{port}", tmp_path / "down.sqlite") as proxy:
        done = _run_script(proxy.url)
    assert "Traceback" not in done.stderr, done.stderr
    assert "no users listed" in done.stderr
