"""Long runs (marked slow; `.ci/run` still runs them): kill -9 under load, 10,000
requests from 50 clients, a gzip bomb and a 50 MB body through the real recorder."""

from __future__ import annotations

import hashlib
import http.client
import random
import signal
import sqlite3
import subprocess
import threading
import time
import zlib
from pathlib import Path

import pytest

from docgen.capture.store import Store
from docgen.cli.processes import run_proxy
from tests.support.upstream import serve

pytestmark = pytest.mark.slow
BODY = b'{"statusCode":0,"user":{"id":"63630bbebf4840d7a0bffd6312bc29ff","userName":"ksippo"}}'
ROUTES = {"/api/v2/me": (200, [("Content-Type", "application/json")], BODY)}


def client(base: str, tag: str, count: int, received: list[str], stop: threading.Event) -> None:
    """Send up to `count` requests; note each one whose full response arrived."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    for index in range(count):
        if stop.is_set():
            break
        ident = f"{tag}-{index}"
        try:
            conn.request("GET", f"/api/v2/me?id={ident}")
            response = conn.getresponse()
            if response.read() == BODY and response.status == 200:
                received.append(ident)
        except (OSError, http.client.HTTPException):
            break  # the proxy died: this request's response never reached us
    conn.close()


def stored_ids(store: Path) -> set[str]:
    with Store(store) as reader:
        return {dict(ex.query).get("id", "") for ex in reader.exchanges()}


@pytest.mark.timeout(900)  # 50 proxy starts; slow when the machine is shared
def test_50_kill_9_at_random_points_under_load(tmp_path: Path) -> None:
    store = tmp_path / "crash.sqlite"
    rng = random.Random(50)
    received: list[str] = []
    with serve(ROUTES) as upstream:
        for round_ in range(50):
            with run_proxy(upstream, store) as proxy:
                stop = threading.Event()
                threads = [threading.Thread(target=client, args=(
                    proxy.url, f"r{round_}c{c}", 400, received, stop)) for c in range(4)]
                for thread in threads:
                    thread.start()
                time.sleep(rng.uniform(0.05, 0.6))
                proxy.proc.send_signal(signal.SIGKILL)
                proxy.proc.wait(10)
                stop.set()
                for thread in threads:
                    thread.join(20)
            conn = sqlite3.connect(store)
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", round_
            conn.close()
            missing = set(received) - stored_ids(store)
            assert not missing, f"round {round_}: {len(missing)} answered but not stored"
    assert len(received) > 500  # the load was real
    print(f"kill -9 x50: {len(received)} answered, 0 lost")


def test_load_50_clients_10000_requests(tmp_path: Path) -> None:
    store = tmp_path / "load.sqlite"
    received: list[str] = []
    with serve(ROUTES) as upstream, run_proxy(upstream, store) as proxy:
        stop = threading.Event()
        threads = [threading.Thread(target=client, args=(proxy.url, f"c{c}", 200, received, stop))
                   for c in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(300)
        log = proxy.stop()
    assert len(received) == 10_000
    assert len(stored_ids(store)) == 10_000
    assert "Addon error" not in log and "Traceback" not in log


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def gzip_bomb(decoded_mb: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b"\0" * (1 << 20)
    return b"".join(packer.compress(chunk) for _ in range(decoded_mb)) + packer.flush()


def test_gzip_bomb_and_50_mb_body_cost_little_memory(tmp_path: Path) -> None:
    bomb = gzip_bomb(1024)  # 1 GiB of zeros, about 1 MB on the wire
    big = random.Random(5).randbytes(50 * 1024 * 1024)
    routes = {
        **ROUTES,
        "/bomb": (200, [("Content-Type", "application/json"), ("Content-Encoding", "gzip")], bomb),
        "/big": (200, [("Content-Type", "application/octet-stream")], big),
    }
    store = tmp_path / "bomb.sqlite"
    with serve(routes) as upstream, run_proxy(upstream, store) as proxy:
        subprocess.run(["curl", "-sS", "-o", "/dev/null", proxy.url + "/api/v2/me"], check=True)
        before = peak_rss_mb(proxy.proc.pid)
        got = subprocess.run(["curl", "-sS", proxy.url + "/bomb"], capture_output=True,
                             check=True, timeout=120).stdout
        assert got == bomb
        bomb_growth = peak_rss_mb(proxy.proc.pid) - before
        got = subprocess.run(["curl", "-sS", proxy.url + "/big"], capture_output=True,
                             check=True, timeout=120).stdout
        assert hashlib.sha256(got).digest() == hashlib.sha256(big).digest()
        proxy.stop()
    assert bomb_growth < 100, f"gzip bomb grew the proxy by {bomb_growth:.0f} MB"
    with Store(store) as reader:
        records = {ex.path: ex for ex in reader.exchanges()}
    bomb_body, big_body = records["/bomb"].response_body, records["/big"].response_body
    assert bomb_body.truncated and bomb_body.content is None
    assert big_body.truncated and big_body.size == len(big)
    print(f"gzip bomb: +{bomb_growth:.1f} MB peak RSS")
