"""`wsdoc session` as a real process: gwssim on loopback, the real recorder, real curl, a real
mkdocs build; Ctrl-C sent as the terminal sends it (to the whole process group)."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from docgen.capture.store import Store
from docgen.cli.processes import BIN

WSDOC = str(BIN / "wsdoc")
SESSION_SCRIPT = Path(__file__).parents[3] / "gwssim" / "curl_session.sh"


def session(cwd: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([WSDOC, "session", "--store", "s.sqlite", "--out", "site", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False,
                          env={**os.environ, "PYTHON": sys.executable})


def test_records_the_whole_curl_session_and_builds_the_site(
        tmp_path: Path, gwssim_factory: Callable[..., str]) -> None:
    upstream = gwssim_factory()
    done = session(tmp_path, "--upstream", upstream, "--", "bash", str(SESSION_SCRIPT),
                   "--users", "2")
    assert done.returncode == 0, done.stderr
    requests = int(re.search(r"curl_session: done: \d+ users, (\d+) requests",
                             done.stdout).group(1))  # type: ignore[union-attr]
    with Store(tmp_path / "s.sqlite") as store:
        assert store.count() == requests  # every request the script sent
    last = done.stdout.strip().splitlines()[-1]
    assert re.fullmatch(rf"wsdoc: recorded {requests} exchanges; \d+ endpoints; "
                        r"site: site/public/index.html", last), last
    assert (tmp_path / "site" / "public" / "index.html").is_file()
    assert "Traceback" not in done.stderr


def test_passes_the_command_exit_status_through(
        tmp_path: Path, gwssim_factory: Callable[..., str]) -> None:
    upstream = gwssim_factory()
    done = session(tmp_path, "--upstream", upstream, "--", "bash", "-c",
                   'curl -sS "$WSDOC_URL/api/v2/diagnostics/version" && exit 7')
    assert done.returncode == 7, done.stderr
    assert "wsdoc: recorded 1 exchanges; 1 endpoints" in done.stdout
    missing = session(tmp_path, "--upstream", upstream, "--", "no-such-command-here")
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines()[-1].startswith(
        "wsdoc: error: cannot run no-such-command-here")


def test_regular_mode_records_an_unchanged_https_script(
        tmp_path: Path, gwssim_factory: Callable[..., str]) -> None:
    cert = tmp_path / "gws.pem"
    upstream = gwssim_factory("--tls", "--cert-out", str(cert))
    assert upstream.startswith("https://")
    script = tmp_path / "script.sh"  # knows nothing of wsdoc: no -x, no --cacert
    script.write_text(
        f'set -e\ncurl -sS -u ksippo: {upstream}/api/v2/diagnostics/version\n'
        f'"{sys.executable}" -c "import requests; '
        f"print(requests.get('{upstream}/api/v2/me', auth=('ksippo', '')).status_code)\"\n")
    done = session(tmp_path, "--mode", "regular", "--upstream-cacert", str(cert), "--",
                   "bash", str(script))
    assert done.returncode == 0, done.stderr
    with Store(tmp_path / "s.sqlite") as store:
        paths = sorted(ex.path for ex in store.exchanges())
    assert paths == ["/api/v2/diagnostics/version", "/api/v2/me"]
    assert "}200\nwsdoc: recorded 2 exchanges" in done.stdout


def start_in_own_group(cwd: Path, *args: str) -> subprocess.Popen[str]:
    """As a shell starts a foreground job: its own process group, which Ctrl-C signals."""
    return subprocess.Popen([WSDOC, "session", "--store", "s.sqlite", "--out", "site", *args],
                            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def no_recorder_left(store: Path) -> bool:
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True)
    return not any("record" in line and str(store.name) in line and "--store" in line
                   and "session" not in line for line in ps.stdout.splitlines())


def test_ctrl_c_during_start_up(tmp_path: Path, gwssim_factory: Callable[..., str]) -> None:
    upstream = gwssim_factory()
    proc = start_in_own_group(tmp_path, "--upstream", upstream, "--", "true")
    time.sleep(0.5)  # the recorder is still importing mitmproxy
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert err.strip().startswith("wsdoc: error: interrupted")
    assert no_recorder_left(tmp_path / "s.sqlite")
    store = tmp_path / "s.sqlite"
    if store.exists():  # the recorder had just opened it: it must be whole
        conn = sqlite3.connect(store)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()


def test_ctrl_c_during_the_command(tmp_path: Path, gwssim_factory: Callable[..., str]) -> None:
    upstream = gwssim_factory()
    proc = start_in_own_group(
        tmp_path, "--upstream", upstream, "--", "bash", "-c",
        'curl -sS "$WSDOC_URL/api/v2/diagnostics/version" && echo sent >&2 && sleep 120')
    deadline = time.monotonic() + 60
    assert proc.stderr is not None
    for line in proc.stderr:  # bounded: the process ends at the latest when sleep does
        if line.strip() == "sent" or time.monotonic() > deadline:
            break
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "wsdoc: recorded 1 exchanges; 1 endpoints" in out
    assert no_recorder_left(tmp_path / "s.sqlite")
    conn = sqlite3.connect(tmp_path / "s.sqlite")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM exchanges").fetchone()[0] == 1
    conn.close()
