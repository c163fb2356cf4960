"""The live contract check (`wsdoc_contract`): each flow is validated off the event loop
while recording; violations are logged once and stored beside the record."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from docgen.cli.processes import run_proxy
from tests.support.upstream import serve

WSDOC = str(Path(sys.executable).parent / "wsdoc")


def route(body: bytes) -> dict[str, tuple[int, list[tuple[str, str]], bytes]]:
    return {"/api/v2/me": (200, [("Content-Type", "application/json")], body)}


def record(store: Path, body: bytes, *extra: str) -> str:
    with serve(route(body)) as upstream, run_proxy(upstream, store, *extra) as proxy:
        for _ in range(6):
            subprocess.run(["curl", "-sS", "-o", "/dev/null", proxy.url + "/api/v2/me"],
                           check=True, timeout=30)
        return proxy.stop()


def test_violations_are_logged_and_stored(tmp_path: Path) -> None:
    record(tmp_path / "old.sqlite", b'{"statusCode":0,"user":{"level":1,"name":"a"}}')
    contract = tmp_path / "contract.json"
    subprocess.run([WSDOC, "openapi", "--store", str(tmp_path / "old.sqlite"), "-o",
                    str(contract)], check=True, timeout=60)
    log = record(tmp_path / "new.sqlite", b'{"statusCode":0,"user":{"level":"1","name":"a"}}',
                 "--contract", str(contract))
    lines = [line for line in log.splitlines() if "wsdoc: contract:" in line]
    assert len(lines) == 1 and "type-changed" in lines[0] and "/user/level" in lines[0]
    conn = sqlite3.connect(tmp_path / "new.sqlite")
    rows = conn.execute("SELECT exchange_id, kind, endpoint FROM violations").fetchall()
    ids = [row[0] for row in conn.execute("SELECT id FROM exchanges ORDER BY id")]
    assert sorted(row[0] for row in rows) == ids  # one per exchange, tied to its record
    assert {(row[1], row[2]) for row in rows} == {("type-changed", "GET /api/v2/me")}
    # `wsdoc check --live` reads them back: breaking drift, exit 1, naming the field.
    live = subprocess.run([WSDOC, "check", "--live", "--store", str(tmp_path / "new.sqlite")],
                          capture_output=True, text=True, timeout=60)
    assert live.returncode == 1, live.stderr
    assert "type-changed" in live.stdout and "/user/level: integer -> string" in live.stdout
    assert "6x" in live.stdout and "checked live while recording" in live.stdout


def test_unchanged_traffic_has_no_violations_and_a_bad_contract_is_one_line(
        tmp_path: Path) -> None:
    body = b'{"statusCode":0,"user":{"level":1,"name":"a"}}'
    record(tmp_path / "a.sqlite", body)
    contract = tmp_path / "c.json"
    subprocess.run([WSDOC, "openapi", "--store", str(tmp_path / "a.sqlite"), "-o",
                    str(contract)], check=True, timeout=60)
    log = record(tmp_path / "b.sqlite", body, "--contract", str(contract))
    assert "wsdoc: contract:" not in log
    assert sqlite3.connect(tmp_path / "b.sqlite").execute(
        "SELECT count(*) FROM violations").fetchone()[0] == 0
    live = subprocess.run([WSDOC, "check", "--live", "--store", str(tmp_path / "b.sqlite")],
                          capture_output=True, text=True, timeout=60)
    assert live.returncode == 0, live.stdout
    assert "no drift: 6 exchanges, no violations checked live while recording" in live.stdout
    both = subprocess.run([WSDOC, "check", "--live", "--against", str(contract), "--store",
                           str(tmp_path / "b.sqlite")], capture_output=True, text=True,
                          timeout=60)
    assert both.returncode == 2
    assert both.stderr == "wsdoc: error: give either --against CONTRACT or --live\n"
    (tmp_path / "bad.json").write_text("{not json")
    done = subprocess.run([WSDOC, "record", "--upstream", "http://127.0.0.1:9", "--listen-port",
                           "0", "--store", str(tmp_path / "x.sqlite"), "--contract",
                           str(tmp_path / "bad.json")], capture_output=True, text=True,
                          timeout=30)
    assert done.returncode != 0 and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
