"""`wsdoc record` as a real process: start-up errors and a server that is down."""

from __future__ import annotations

import signal
import socket
import subprocess
from pathlib import Path

import pytest

from docgen.capture.store import Store
from docgen.cli.processes import BIN, run_proxy


def test_port_in_use_names_listen_port_and_creates_no_store(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [str(BIN / "wsdoc"), "record", "--upstream", "http://127.0.0.1:9",
             "--listen-port", str(port), "--store", "s.sqlite"],
            cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"wsdoc: error: port {port} is in use; choose another with --listen-port "
        "(0 picks a free one)"]
    assert list(tmp_path.iterdir()) == []  # no store, no -wal / -shm


def closed_port() -> int:
    with socket.socket() as probe:  # bound, then closed: nothing listens there
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_unreachable_upstream_answers_502_logs_once_and_records(tmp_path: Path) -> None:
    store = tmp_path / "down.sqlite"
    with run_proxy(f"http://127.0.0.1:{closed_port()}", store) as proxy:
        answers = [subprocess.run(
            ["curl", "-sS", "--max-time", "20", "-w", "\n%{http_code}", f"{proxy.url}/api/v2/{n}"],
            capture_output=True, text=True, timeout=30, check=False) for n in ("me", "x", "me")]
        log = proxy.stop(signal.SIGINT)
    for answer in answers:
        assert answer.returncode == 0, answer.stderr  # not "Empty reply from server"
        assert answer.stdout.endswith("\n502")
        assert "Connect call failed" in answer.stdout  # says why
    failures = [line for line in log.splitlines() if "refused the connection" in line]
    assert len(failures) == 1, log
    assert "GET /api/v2/me" in failures[0] and "Traceback" not in log
    with Store(store) as recorded:
        exchanges = list(recorded.exchanges())
    assert [ex.path for ex in exchanges] == ["/api/v2/me", "/api/v2/x", "/api/v2/me"]
    assert all(ex.error and "Connect call failed" in ex.error for ex in exchanges)


def test_the_ready_line_leaves_the_addon_chain_once_printed(
        capsys: pytest.CaptureFixture[str]) -> None:
    from mitmproxy.addons.termlog import TermLog
    from mitmproxy.test import taddons

    from docgen.cli.record import ReadyLine

    class Server:  # what ReadyLine asks of mitmproxy's proxyserver addon
        name = "proxyserver"

        def listen_addrs(self) -> list[tuple[str, int]]:
            return [("127.0.0.1", 8080)]

    ready = ReadyLine("reverse", "http://127.0.0.1:8090", "s.sqlite")
    with taddons.context(TermLog()) as tctx:  # termlog_verbosity, which ReadyLine sets
        tctx.master.addons.add(Server(), ready)
        ready.running()
        assert ready not in tctx.master.addons.chain
    assert "point curl at http://127.0.0.1:8080" in capsys.readouterr().out
