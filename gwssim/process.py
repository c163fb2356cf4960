"""Run the real simulator (`python -m gwssim`) as a subprocess on a free loopback port.

    with run_gwssim("--no-csrf", "--event-delay", "0") as base_url:
        ...  # base_url like "http://127.0.0.1:40123"
"""

from __future__ import annotations

import os
import re
import selectors
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT = 15.0
STOP_TIMEOUT = 5.0
READY_RE = re.compile(r"^gwssim listening on (\S+) \(")


@contextmanager
def run_gwssim(*args: str) -> Iterator[str]:
    """Start gwssim with args (after --port 0 --host 127.0.0.1), yield its base URL, stop it."""
    command = [sys.executable, "-m", "gwssim", "--port", "0", "--host", "127.0.0.1", *args]
    with run_simulator_command(command) as url:
        yield url


@contextmanager
def run_simulator_command(command: list[str]) -> Iterator[str]:
    """Run any command that starts the simulator (e.g. `wsdoc sim`); yield the ready URL."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    with tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=stderr, text=True)
        try:
            yield _wait_ready(proc, stderr)
        finally:
            _stop(proc)


def _wait_ready(proc: subprocess.Popen[str], stderr: IO[bytes]) -> str:
    assert proc.stdout is not None
    deadline = time.monotonic() + READY_TIMEOUT
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if selector.select(timeout=max(0.0, deadline - time.monotonic())):
                line = proc.stdout.readline()
                match = READY_RE.match(line)
                if match:
                    return match.group(1)
                if line == "":  # stdout closed: the process ended
                    break
    _stop(proc)
    raise RuntimeError(f"gwssim did not become ready (exit {proc.returncode}): "
                       f"{_read(stderr)}")


def _read(stderr: IO[bytes]) -> str:
    stderr.seek(0)
    return stderr.read().decode(errors="replace")


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(STOP_TIMEOUT)
    if proc.stdout is not None:
        proc.stdout.close()
