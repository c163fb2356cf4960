"""Four `wsdoc record` processes, one PostgreSQL store, real gwssim, real load; one
recorder is killed with SIGKILL mid-run. Every response a client received is in the store
with its recorder's provenance, and the other recorders never stop serving."""

from __future__ import annotations

import http.client
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from docgen.capture.store import Store
from docgen.cli.processes import Proxy, run_proxy
from gwssim.process import run_gwssim

pytestmark = pytest.mark.slow
RECORDERS = 4
CLIENTS_PER_RECORDER = 3
REQUESTS_PER_CLIENT = 150  # bounded: 1,800 requests in all
KILL_AFTER = 60  # responses through the victim before it is killed
AUTH = {"Authorization": "Basic a3NpcHBvOg=="}  # ksippo, empty password
PATHS = ["/api/v2/me", "/api/v2/me/devices?fields=*", "/api/v2/diagnostics/version"]


@dataclass
class Tally:
    received: list[str] = field(default_factory=list)  # probe ids whose response arrived
    failures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    enough: threading.Event = field(default_factory=threading.Event)

    def note(self, ident: str) -> None:
        with self.lock:
            self.received.append(ident)
            if len(self.received) >= KILL_AFTER:
                self.enough.set()


def client(url: str, tag: str, tally: Tally) -> None:
    """Up to REQUESTS_PER_CLIENT requests, each tagged with a probe id; stop at the first
    failure (after a kill, no response can arrive through that proxy)."""
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    for index in range(REQUESTS_PER_CLIENT):
        path = PATHS[index % len(PATHS)]
        ident = f"{tag}-{index}"
        try:
            conn.request("GET", f"{path}{'&' if '?' in path else '?'}probe={ident}",
                         headers=AUTH)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise http.client.HTTPException(f"status {response.status}")
            tally.note(ident)
        except (OSError, http.client.HTTPException):
            tally.failures += 1
            break
    conn.close()


def run_clients(proxies: list[Proxy], tallies: list[Tally]) -> list[threading.Thread]:
    threads = [threading.Thread(target=client, args=(proxy.url, f"r{n}c{c}", tallies[n]))
               for n, proxy in enumerate(proxies) for c in range(CLIENTS_PER_RECORDER)]
    for thread in threads:
        thread.start()
    return threads


def stored_probes(store: str) -> dict[str, str]:
    """probe id -> the recorder that stored it."""
    with Store(store, readonly=True) as reader:
        return {dict(ex.query).get("probe", ""): ex.recorder for ex in reader.exchanges()}


def test_four_recorders_share_a_store_and_survive_a_kill_9(pg_url: str, tmp_path: Path) -> None:
    tallies = [Tally() for _ in range(RECORDERS)]
    with run_gwssim("--no-csrf") as upstream:
        with run_proxy(upstream, pg_url, "--recorder", "r0", log_path=tmp_path / "r0.log") as p0, \
             run_proxy(upstream, pg_url, "--recorder", "r1", log_path=tmp_path / "r1.log") as p1, \
             run_proxy(upstream, pg_url, "--recorder", "r2", log_path=tmp_path / "r2.log") as p2, \
             run_proxy(upstream, pg_url, "--recorder", "r3", log_path=tmp_path / "r3.log") as p3:
            proxies = [p0, p1, p2, p3]
            threads = run_clients(proxies, tallies)
            assert tallies[0].enough.wait(120), "no load reached the victim"
            p0.proc.send_signal(signal.SIGKILL)
            p0.proc.wait(10)
            for thread in threads:
                thread.join(300)
            assert not any(thread.is_alive() for thread in threads)
            logs = [proxy.output() for proxy in proxies[1:]]
            assert all(proxy.proc.poll() is None for proxy in proxies[1:])
    stored = stored_probes(pg_url)
    for number, tally in enumerate(tallies):
        missing = [ident for ident in tally.received if ident not in stored]
        assert not missing, f"r{number}: {len(missing)} answered but not stored"
        assert all(stored[ident] == f"r{number}" for ident in tally.received)
    survivors = [len(tally.received) for tally in tallies[1:]]
    assert survivors == [CLIENTS_PER_RECORDER * REQUESTS_PER_CLIENT] * (RECORDERS - 1)
    assert sum(tally.failures for tally in tallies[1:]) == 0
    assert KILL_AFTER <= len(tallies[0].received) < CLIENTS_PER_RECORDER * REQUESTS_PER_CLIENT
    assert not any("Traceback" in log or "could not write" in log for log in logs)
    print(f"4 recorders, 1 killed: {sum(len(t.received) for t in tallies)} answered, 0 lost "
          f"(victim answered {len(tallies[0].received)} before SIGKILL)")
