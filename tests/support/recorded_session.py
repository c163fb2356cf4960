"""Record one real Web Services session once, through real processes, for inference tests.

    curl (gwssim/curl_session.sh + an agent-state tour) -> `wsdoc record` (the store)
        -> `mitmdump -w` (the tap: a mitmproxy flow file) -> gwssim

Both proxies see exactly the same requests, so the store written by the recorder and the
flow file written by plain mitmdump (and the HAR that mitmproxy exports from it) describe
the same traffic. gwssim plays API 8.5.201, the version in which users may lack both
`emailAddress` and `employeeId`.

The catalogue session never reads a device while the agent is Ready, in a work mode or
forwarding calls, so `tour_agent_states` adds those reads with real curl: every user logs
in, goes Ready, Ready with a work mode (some users), AfterCallWork, forwards calls (some
users) and logs out, reading their devices after each step. Finally two GETs of channels
that do not exist (`chat`, `email`) give one position two distinct non-id values: the
ambiguous case the tests explain.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.cli.processes import BIN, run_proxy
from gwssim.data import OTHER_USERS_PASSWORD, USER_SEEDS
from gwssim.process import run_gwssim

ROOT = Path(__file__).resolve().parents[2]
SESSION_USERS = 5
API_VERSION = "8.5.201"
SESSION_TIMEOUT = 120
CURL_TIMEOUT = 20
EXPORT_TIMEOUT = 60
AMBIGUOUS_CHANNELS = ("chat", "email")  # no such channels: two non-id values after /channels
_DONE = re.compile(r"curl_session: done: (\d+) users, (\d+) requests, (\d+) calls dialled")


@dataclass(frozen=True)
class RecordedSession:
    """What one recording produced."""

    store: Path  # written by `wsdoc record`
    flows: Path  # the same traffic, written by `mitmdump -w`
    har: Path  # the flow file exported by mitmproxy's own HAR export
    users: int  # as reported by the curl session's last line
    requests: int
    calls_dialled: int
    tour_requests: int  # extra real curl requests of the agent-state tour


class CurlUser:
    """One user's session driven by real curl: Basic credentials, cookie jar, CSRF token."""

    def __init__(self, base: str, workdir: Path, user_name: str) -> None:
        self.base = base
        self.user_name = user_name
        password = "" if user_name == "ksippo" else OTHER_USERS_PASSWORD
        self.credentials = f"{user_name}:{password}"
        self.jar = workdir / f"tour-{user_name}.jar"
        self.headers = workdir / f"tour-{user_name}.headers"
        self.body = workdir / f"tour-{user_name}.body"
        self.token = ""
        self.requests = 0

    def get(self, path: str) -> Any:
        return self._run(path, [])

    def post(self, path: str, payload: dict[str, Any]) -> Any:
        return self._run(path, ["-X", "POST", "-H", "Content-Type: application/json",
                                "-H", f"X-CSRF-TOKEN: {self.token}", "-d", json.dumps(payload)])

    def _run(self, path: str, extra: list[str]) -> Any:
        command = ["curl", "-sS", "--max-time", str(CURL_TIMEOUT), "-u", self.credentials,
                   "-b", str(self.jar), "-c", str(self.jar), "-D", str(self.headers),
                   "-o", str(self.body), *extra, self.base + path]
        subprocess.run(command, check=True, timeout=CURL_TIMEOUT + 5, capture_output=True)
        self.requests += 1
        for line in self.headers.read_text(errors="replace").splitlines():
            name, _, value = line.partition(":")
            if name.strip().lower() == "x-csrf-token" and value.strip():
                self.token = value.strip()
        return json.loads(self.body.read_bytes() or b"null")


def tour_user(client: CurlUser, index: int) -> None:
    """Log in, walk the agent states reading the device after each step, log out."""
    me = client.get("/api/v2/me?subresources=devices")
    device = me["user"]["devices"][0]["id"]
    voice, device_path = "/api/v2/me/channels/voice", f"/api/v2/me/devices/{device}"
    client.post("/api/v2/me", {"operationName": "StartContactCenterSession",
                               "channels": ["voice"]})
    client.post(voice, {"operationName": "Ready"})
    client.get("/api/v2/me/devices")
    if index % 2 == 0:
        client.post(voice, {"operationName": "Ready", "workmode": "ManualIn"})
        client.get(device_path)
    client.post(voice, {"operationName": "AfterCallWork"})
    client.get("/api/v2/me?subresources=devices")
    if index % 2 == 1:
        client.post(device_path, {"operationName": "ForwardCallsOn",
                                  "destination": {"phoneNumber": "5999"}})
        client.get(device_path)
        client.post(device_path, {"operationName": "ForwardCallsOff"})
    client.post(voice, {"operationName": "AuxWork"})
    client.get(device_path)
    client.post("/api/v2/me", {"operationName": "EndContactCenterSession"})


def tour_agent_states(base: str, workdir: Path, users: int) -> int:
    """The agent-state tour for the first `users` users; returns the requests made."""
    clients = [CurlUser(base, workdir, seed.user_name) for seed in USER_SEEDS[:users]]
    for index, client in enumerate(clients):
        tour_user(client, index)
    for channel in AMBIGUOUS_CHANNELS:
        clients[0].get(f"/api/v2/me/channels/{channel}")
    return sum(client.requests for client in clients)


def run_curl_session(base: str, users: int) -> tuple[int, int, int]:
    """gwssim/curl_session.sh through `base`; (users, requests, calls dialled)."""
    done = subprocess.run(
        ["bash", str(ROOT / "gwssim" / "curl_session.sh"), base, "--users", str(users)],
        capture_output=True, text=True, timeout=SESSION_TIMEOUT, check=False,
        env={**os.environ, "PYTHON": sys.executable},
    )
    match = _DONE.search(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "")
    if done.returncode != 0 or match is None:
        raise RuntimeError(f"curl session failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return int(match.group(1)), int(match.group(2)), int(match.group(3))


def export_har(flows: Path, har: Path) -> None:
    """mitmproxy's own HAR export of a flow file."""
    subprocess.run([str(BIN / "mitmdump"), "-q", "-n", "-r", str(flows),
                    "--set", f"hardump={har}"],
                   check=True, timeout=EXPORT_TIMEOUT, capture_output=True, cwd=flows.parent)


def record_session(workdir: Path, users: int = SESSION_USERS) -> RecordedSession:
    """Run the whole recording in `workdir` (real gwssim, mitmdump, wsdoc record, curl)."""
    store, flows, har = workdir / "ws.sqlite", workdir / "flows.mitm", workdir / "flows.har"
    with run_gwssim("--api-version", API_VERSION) as upstream:
        with run_proxy(upstream, workdir / "tap.sqlite", "-w", str(flows), tool="bare") as tap:
            with run_proxy(tap.url, store) as recorder:
                counts = run_curl_session(recorder.url, users)
                tour = tour_agent_states(recorder.url, workdir, users)
                recorder.stop(signal.SIGINT)
            tap.stop(signal.SIGINT)
    export_har(flows, har)
    return RecordedSession(store, flows, har, *counts, tour_requests=tour)
