"""Notifications end to end: real gwssim, real recording proxy, real CometD clients and curl.

Two users work at the same time through `wsdoc record`, each with a CometD long-polling
client (gwssim/cometd_client.py) listening through the proxy and curl sending operations
in its own cookie session. The built site (mkdocs --strict) must name what followed each
operation, and never one user's notification after the other user's operation.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from docgen.capture.store import Store
from docgen.cli.processes import run_proxy
from docgen.infer.builder import ModelBuilder, schema_settings
from docgen.infer.config import Config
from docgen.infer.correlate import correlate
from docgen.infer.events import EventCollector
from docgen.infer.parallel import store_model
from docgen.publish.openapi import dumps, to_openapi
from docgen.publish.site.endpoint import operation_anchor
from docgen.publish.site.names import page_name
from gwssim.cometd_client import CometdClient, CometdError
from gwssim.process import run_gwssim
from tests.support.recorded_site import build, record_session

ROOT = Path(__file__).resolve().parents[1]
LONG_POLL_S = 2.0
SIM_ARGS = ("--event-delay", "0.05", "--long-poll-timeout", str(LONG_POLL_S))
PASSWORDS = {"ksippo": "", "amiller": "password"}
EXTERNAL = "14155550123"
ROUNDS = 3
DIALS = 2


class Listener:
    """One user's CometD client through the proxy, connecting again and again in a thread."""

    def __init__(self, url: str, user: str) -> None:
        self.client = CometdClient(url, user, PASSWORDS[user], timeout=LONG_POLL_S + 20).open()
        self.client.subscribe("/v2/me/*")
        self.messages: list[dict[str, Any]] = []
        self.error: Exception | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, daemon=True)
        self._thread.start()

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                self.messages.extend(self.client.connect())
            except (OSError, CometdError) as exc:
                self.error = exc
                return

    def wait_quiet(self, quiet: float = 0.4, limit: float = 4.0) -> None:
        """Until no message arrived for `quiet` seconds: the operation's events are in."""
        deadline = time.monotonic() + limit
        seen, since = len(self.messages), time.monotonic()
        while time.monotonic() < deadline and time.monotonic() - since < quiet:
            time.sleep(0.05)
            if len(self.messages) != seen:
                seen, since = len(self.messages), time.monotonic()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(LONG_POLL_S + 25)  # the held connect ends with the long poll
        self.client.disconnect()
        assert self.error is None, self.error


class Curl:
    """Real curl in one user's own cookie session (Basic credentials, CSRF token)."""

    def __init__(self, url: str, user: str, folder: Path) -> None:
        self.url, self.user = url, user
        self.jar, self.headers = folder / f"{user}.jar", folder / f"{user}.headers"
        self.token = ""

    def send(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        command = ["curl", "-sS", "-X", method, "-u", f"{self.user}:{PASSWORDS[self.user]}",
                   "-b", str(self.jar), "-c", str(self.jar), "-D", str(self.headers)]
        if body is not None:
            command += ["-H", "Content-Type: application/json", "-H",
                        f"X-CSRF-TOKEN: {self.token}", "-d", json.dumps(body)]
        done = subprocess.run([*command, self.url + path], capture_output=True, text=True,
                              timeout=30, check=True)
        for line in self.headers.read_text().splitlines():
            if line.lower().startswith("x-csrf-token:"):
                self.token = line.split(":", 1)[1].strip()
        reply: dict[str, Any] = json.loads(done.stdout)
        return reply

    def operation(self, path: str, name: str, **extra: Any) -> None:
        reply = self.send("POST", path, {"operationName": name, **extra})
        assert reply["statusCode"] == 0, (self.user, name, reply)


def agent_work(curl: Curl, listener: Listener | None, states: bool) -> None:
    """Log in, then agent states (or do-not-disturb), then outbound calls, paced like a
    person: each operation's notifications are in before the next one is sent."""
    def settle() -> None:
        if listener is not None:
            listener.wait_quiet()
        else:
            time.sleep(0.3)

    me = curl.send("GET", "/api/v2/me?subresources=devices")
    device = me["user"]["devices"][0]["id"]
    curl.operation("/api/v2/me", "StartContactCenterSession", channels=["voice"])
    settle()
    for _ in range(ROUNDS):
        for name in (("NotReady", "Ready") if states else ("DoNotDisturbOn", "DoNotDisturbOff")):
            path = "/api/v2/me/channels/voice" if states else f"/api/v2/me/devices/{device}"
            curl.operation(path, name)
            settle()
    for _ in range(DIALS):
        curl.operation(f"/api/v2/me/devices/{device}/calls", "Dial",
                       destination={"phoneNumber": EXTERNAL})
        settle()
        calls = curl.send("GET", "/api/v2/me/calls?fields=id,state")["calls"]
        curl.operation(f"/api/v2/me/calls/{calls[-1]['id']}", "Hangup")
        settle()


def run_together(*jobs: Callable[[], None]) -> None:
    errors: list[BaseException] = []

    def guarded(job: Callable[[], None]) -> None:
        try:
            job()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors


def record_two_agents(store: Path, folder: Path, listen: bool) -> None:
    """ksippo changes agent states while amiller toggles do-not-disturb; both dial."""
    with run_gwssim(*SIM_ARGS) as upstream, run_proxy(upstream, store) as proxy:
        listeners = {user: Listener(proxy.url, user) for user in PASSWORDS} if listen else {}
        try:
            run_together(*(lambda user=user: agent_work(Curl(proxy.url, user, folder),
                                                        listeners.get(user), user == "ksippo")
                           for user in PASSWORDS))
        finally:
            for listener in listeners.values():
                listener.close()


@dataclass
class Site:
    store: Path
    out: Path

    def page(self, method: str, template: str) -> str:
        return (self.out / "docs" / "me" / f"{page_name(method, template)}.md").read_text()

    def html(self, method: str, template: str) -> str:
        return (self.out / "public" / "me" / f"{page_name(method, template)}.html").read_text()

    def docs(self, relative: str) -> str:
        return (self.out / "docs" / relative).read_text()

    def openapi(self) -> dict[str, Any]:
        spec: dict[str, Any] = json.loads(self.docs("openapi.json"))
        return spec


def built(store: Path, out: Path) -> Site:
    done = build(store, out)
    assert done.returncode == 0, done.stderr + done.stdout
    return Site(store, out)


def operation_section(page: str, name: str) -> str:
    """The Markdown of one operation, from its anchor to the next operation's."""
    start = page.index(f'<a id="{operation_anchor(name)}">')
    end = page.find('<a id="op-', start + 1)
    return page[start:end if end != -1 else None]


VOICE = "/api/v2/me/channels/voice"
DIAL = "/api/v2/me/devices/{deviceId}/calls"
DEVICE = "/api/v2/me/devices/{deviceId}"


@pytest.fixture(scope="module")
def listened(tmp_path_factory: pytest.TempPathFactory) -> Site:
    folder = tmp_path_factory.mktemp("listened")
    record_two_agents(folder / "capture.sqlite", folder, listen=True)
    return built(folder / "capture.sqlite", folder / "site")


def test_not_ready_is_followed_by_a_device_state_change(listened: Site) -> None:
    section = operation_section(listened.page("POST", VOICE), "NotReady")
    assert '??? tip "Notifications"' in section  # folded under the operation
    assert "Followed by [DeviceStateChangeMessage]" in section
    assert "<code>/v2/me/devices</code> in **3/3** samples" in section
    assert "<code>userState.state</code> = <code>NotReady</code> &#215;3;" in section
    ready = operation_section(listened.page("POST", VOICE), "Ready")
    assert "<code>userState.state</code> = <code>Ready</code> &#215;3;" in ready
    assert "Followed by" in listened.html("POST", VOICE)  # mkdocs rendered it


def test_dial_is_followed_by_dialing_then_established(listened: Site) -> None:
    section = operation_section(listened.page("POST", DIAL), "Dial")
    assert "Followed by [CallStateChangeMessage (StatusChange)]" in section
    assert "in **4/4** samples" in section
    assert ("**Usual order:** CallStateChangeMessage (StatusChange): Dialing &#8594; "
            "Established (4 of 4 samples)") in section
    hangup = operation_section(listened.page("POST", "/api/v2/me/calls/{callId}"), "Hangup")
    assert "<code>call.state</code> = <code>Released</code> &#215;4" in hangup


def test_the_two_users_events_never_mix(listened: Site) -> None:
    config = Config()
    builder = ModelBuilder(config)  # files each exchange: its template and operation
    collector = EventCollector(config, schema_settings(config))
    with Store(listened.store, readonly=True) as store:
        for exchange in store.exchanges():
            collector.add(exchange, *builder.add(exchange))
    observations = list(correlate(collector.samples, collector.notices, collector.listening,
                                  config.event_window, collector.users))
    assert len(observations) == 2 * (1 + 2 * ROUNDS + 2 * DIALS)
    assert all(o.observed for o in observations)
    for observation in observations:
        sample_user = observation.sample.user or collector.users[observation.sample.session]
        assert {n.user for n in observation.notices} <= {sample_user}, observation
    # amiller stays NotReady while toggling do-not-disturb: none of it reaches ksippo's Ready.
    dnd = operation_section(listened.page("POST", DEVICE), "DoNotDisturbOn")
    assert "<code>userState.state</code> = <code>NotReady</code> &#215;3;" in dnd


def test_notifications_pages_document_channels_and_protocol(listened: Site) -> None:
    index = listened.docs("notification-channels/index.md")
    assert "[/v2/me/devices](v2-me-devices.md)" in index
    assert "[/v2/me/calls](v2-me-calls.md)" in index
    for meta in ("/meta/handshake", "/meta/subscribe", "/meta/connect", "/meta/disconnect"):
        assert f"### {meta}" in index
    assert "<code>/api/v2/notifications/connect</code>" in index
    devices = listened.docs("notification-channels/v2-me-devices.md")
    assert "## DeviceStateChangeMessage" in devices
    state_row = next(line for line in devices.splitlines()
                     if line.startswith("| <code>/devices&#91;&#93;/userState/state</code>"))
    for state in ("LoggedIn", "NotReady", "Ready"):
        assert f"<code>&#34;{state}&#34;</code>" in state_row
    assert f"](../me/{page_name('POST', VOICE)}.md#{operation_anchor('NotReady')})" in devices
    calls = listened.docs("notification-channels/v2-me-calls.md")
    assert "## CallStateChangeMessage (StatusChange)" in calls
    call_row = next(line for line in calls.splitlines()
                    if line.startswith("| <code>/call/state</code>"))
    for state in ("Dialing", "Established", "Released"):
        assert f"<code>&#34;{state}&#34;</code>" in call_row
    assert (listened.out / "public" / "notification-channels" / "v2-me-calls.html").is_file()


def test_openapi_carries_the_events(listened: Site) -> None:
    spec = listened.openapi()
    validate(spec)
    events = spec["paths"][VOICE]["post"]["x-wsdoc-events"]
    not_ready = next(entry for entry in events if entry["operation"] == "NotReady")
    assert not_ready["observed"] == 3
    (event,) = not_ready["events"]
    assert event["messageType"] == "DeviceStateChangeMessage" and event["samples"] == 3
    assert event["states"] == {"userState.state": {"NotReady": 3}}
    channels = spec["x-wsdoc-notifications"]["channels"]
    assert {"/v2/me/devices", "/v2/me/calls"} <= set(channels)


def test_a_split_build_follows_operations_to_their_events_as_one_process_does(
        listened: Site) -> None:
    # Part 0 runs the notification pass over every exchange, so it files the other
    # parts' exchanges under the operation names their owners give them.
    alone = store_model(listened.store, Config(), parts=1)
    assert any(operation.events for endpoint in alone.endpoints
               for operation in endpoint.operations)
    for parts, warmup in ((2, 0), (2, 9), (3, 4)):
        split = store_model(listened.store, Config(), parts=parts, warmup=warmup)
        assert split == alone
        assert dumps(to_openapi(split), False) == dumps(to_openapi(alone), False)


def test_without_a_notifications_client_the_site_says_so(tmp_path: Path) -> None:
    store = tmp_path / "capture.sqlite"
    with run_gwssim(*SIM_ARGS) as upstream:
        record_session(upstream, store, users=2)
    site = built(store, tmp_path / "site")
    section = operation_section(site.page("POST", VOICE), "NotReady")
    assert '!!! note "No notifications were recorded for this operation"' in section
    assert "No notifications were recorded in this capture" in section
    assert "Followed by" not in section and "Recorded " in section  # still documented
    assert "No notifications were recorded" in site.html("POST", VOICE)
    assert '??? tip "Notifications"' not in site.page("GET", "/api/v2/me")  # reads cause no events
    index = site.docs("notification-channels/index.md")
    assert '!!! note "No notifications were recorded"' in index


def test_a_fast_curl_session_beside_two_listeners_never_mixes_users(tmp_path: Path) -> None:
    """The full curl session (calls between the two users, transfers, errors) at curl's
    own pace, with both users listening: attribution may lag, but never crosses users."""
    store = tmp_path / "capture.sqlite"
    with run_gwssim(*SIM_ARGS) as upstream, run_proxy(upstream, store) as proxy:
        listeners = [Listener(proxy.url, user) for user in PASSWORDS]
        try:
            done = subprocess.run(
                ["bash", str(ROOT / "gwssim" / "curl_session.sh"), proxy.url, "--users", "2"],
                capture_output=True, text=True, timeout=240, check=False,
                env={**os.environ, "PYTHON": sys.executable})
            assert done.returncode == 0, done.stderr[-2000:]
            for listener in listeners:
                listener.wait_quiet(quiet=1.0, limit=10)
        finally:
            for listener in listeners:
                listener.close()
    config = Config()
    builder = ModelBuilder(config)
    collector = EventCollector(config, schema_settings(config))
    with Store(store, readonly=True) as opened:
        for exchange in opened.exchanges():
            collector.add(exchange, *builder.add(exchange))
    observations = list(correlate(collector.samples, collector.notices, collector.listening,
                                  config.event_window, collector.users))
    delivered = [n for o in observations for n in o.notices]
    assert len(delivered) > 20 and {n.user for n in delivered} == set(PASSWORDS)
    for observation in observations:
        sample_user = observation.sample.user or collector.users.get(observation.sample.session)
        assert {n.user for n in observation.notices} <= {sample_user}
    # The session asks ksippo's unregistered device for DoNotDisturbOn: the server refuses it
    # and sends an ErrorMessage, which the site documents under its channel.
    devices = built(store, tmp_path / "site").docs("notification-channels/v2-me-devices.md")
    assert "## ErrorMessage" in devices and "<code>/devicePath</code>" in devices
