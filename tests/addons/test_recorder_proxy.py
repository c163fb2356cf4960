"""The recorder as a real process: real mitmdump / `wsdoc record`, real curl, loopback only."""

from __future__ import annotations

import gzip
import hashlib
import json
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest

from docgen.capture.store import Store
from docgen.cli.processes import run_proxy
from tests.support.upstream import serve

JSON = b'{"statusCode":0,"version":"8.5.200.50"}'
ROUTES = {
    "/json": (200, [("Content-Type", "application/json")], JSON),
    "/gzip": (200, [("Content-Type", "application/json"), ("Content-Encoding", "gzip")],
              gzip.compress(JSON * 50)),
    "/binary": (200, [("Content-Type", "application/octet-stream")], bytes(range(256)) * 8),
    "/invalid": (200, [("Content-Type", "application/json")], b'{"statusCode":0,'),
    "/latin1": (200, [("Content-Type", "text/plain; charset=latin-1")],
                "Sippola \xe9\xff".encode("latin-1")),
    "/empty": (204, [("Content-Type", "application/json")], b""),
}


def curl(url: str, *args: str) -> bytes:
    done = subprocess.run(["curl", "-sS", "--max-time", "20", *args, url],
                          capture_output=True, check=True, timeout=30)
    return done.stdout


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("tool", ["wsdoc", "mitmdump"])
def test_bytes_identical_with_and_without_proxy(tmp_path: Path, tool: str) -> None:
    with serve(ROUTES) as upstream, run_proxy(upstream, tmp_path / "s.sqlite", tool=tool) as proxy:
        for path in ROUTES:
            for extra in ((), ("--compressed",)):
                direct = curl(upstream + path, *extra)
                proxied = curl(proxy.url + path, *extra)
                assert digest(direct) == digest(proxied), (path, extra)
        out = proxy.stop()
    assert "Traceback" not in out and "Addon error" not in out
    with Store(tmp_path / "s.sqlite") as store:
        records = {ex.path: ex for ex in store.exchanges()}
    assert records["/gzip"].response_body.content == JSON * 50  # decoded before storing
    assert records["/gzip"].response_body.encoding == "gzip"
    assert records["/binary"].response_body.content == bytes(range(256)) * 8
    assert records["/latin1"].response_body.content == "Sippola \xe9\xff".encode("latin-1")
    assert records["/invalid"].response_body.content == b'{"statusCode":0,'
    assert records["/empty"].status == 204 and records["/empty"].response_body.size == 0


def test_kill_9_keeps_every_answered_request(tmp_path: Path) -> None:
    store = tmp_path / "k.sqlite"
    with serve(ROUTES) as upstream:
        with run_proxy(upstream, store) as proxy:
            for index in range(25):
                curl(f"{proxy.url}/json?n={index}")
            proxy.stop(signal.SIGKILL)
        conn = sqlite3.connect(store)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM exchanges").fetchone()[0] == 25
        conn.close()
        with run_proxy(upstream, store) as proxy:  # the next run continues the same store
            curl(f"{proxy.url}/json?n=next")
    with Store(store) as reopened:
        queries = [dict(ex.query)["n"] for ex in reopened.exchanges()]
    assert queries == [str(i) for i in range(25)] + ["next"]


CANARIES = {
    "password": "Canary-Pw-7f3a9",
    "cookie": "CanaryCookie9d8e7",
    "csrf": "canary-csrf-5b1c",
    "body": "CanaryBodyPw42x",
    "query": "CanaryQueryTok77",
}


def test_canaries_never_reach_the_store_file(tmp_path: Path) -> None:
    store = tmp_path / "c.sqlite"
    routes = {"/login": (200, [("Content-Type", "application/json"),
                               ("Set-Cookie", f"JSESSIONID={CANARIES['cookie']}; Path=/; HttpOnly"),
                               ("X-CSRF-TOKEN", CANARIES["csrf"])],
                         json.dumps({"statusCode": 0, "session": {"token": CANARIES["query"]}})
                         .encode())}
    body = json.dumps({"operationName": "Login", "credentials": [{"password": CANARIES["body"]}]})
    with serve(routes) as upstream, run_proxy(upstream, store) as proxy:
        curl(f"{proxy.url}/login?access_token={CANARIES['query']}&x=1",
             "-u", f"ksippo:{CANARIES['password']}", "-H", f"X-CSRF-TOKEN: {CANARIES['csrf']}",
             "-b", f"JSESSIONID={CANARIES['cookie']}", "-H", "Content-Type: application/json",
             "-d", body)
        proxy.stop()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("c.sqlite*"))
    assert b"/login" in raw
    for name, canary in CANARIES.items():
        assert canary.encode() not in raw, name
    with Store(store) as reader:
        [ex] = list(reader.exchanges())
    assert ex.header("Authorization", response=False) is not None
    assert json.loads(ex.request_body.content or b"")["credentials"][0]["password"] == "[REDACTED]"


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["wsdoc", *args], capture_output=True, text=True, timeout=30, cwd=cwd)


@pytest.mark.parametrize("args", [
    ("record", "--upstream", "notaurl"),
    ("record", "--upstream", "http://127.0.0.1:9", "--store", "/proc/nowhere/x.sqlite",
     "--listen-port", "0"),
    ("record", "--upstream", "http://127.0.0.1:9", "--filter", "~q ~~(", "--listen-port", "0"),
    ("record", "--upstream", "http://127.0.0.1:9", "--listen-port", "99999"),
])
def test_bad_options_give_one_line_and_nonzero_exit(tmp_path: Path, args: tuple[str, ...]) -> None:
    import os
    import shutil

    wsdoc = shutil.which("wsdoc", path=os.path.dirname(__import__("sys").executable))
    assert wsdoc
    done = subprocess.run([wsdoc, *args], capture_output=True, text=True, timeout=30,
                          cwd=tmp_path)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr + done.stdout
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
