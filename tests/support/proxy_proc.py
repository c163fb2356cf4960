"""Run the real recording proxy (`wsdoc record` or `mitmdump -s addons/recorder.py`)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
READY_RE = re.compile(r"(?:point curl at|listening at|curl -x) (?:http://)?([\d.]+:\d+)")


@dataclass
class Proxy:
    proc: subprocess.Popen[str]
    url: str
    log_path: Path

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        return self.output()


def _wait_ready(proc: subprocess.Popen[str], log_path: Path, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log_path.read_text(errors="replace")
        if match := READY_RE.search(text):
            return f"http://{match.group(1)}"
        if proc.poll() is not None:
            raise RuntimeError(f"proxy exited with {proc.returncode}:\n{text}")
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"proxy not ready after {timeout}s:\n{log_path.read_text()}")


def proxy_command(tool: str, upstream: str, store: Path, extra: tuple[str, ...]) -> list[str]:
    if tool == "wsdoc":
        target = ["--upstream", upstream] if upstream else ["--mode", "regular"]
        return [str(BIN / "wsdoc"), "record", *target, "--listen-port", "0",
                "--store", str(store), *extra]
    if tool == "mitmdump":
        return [str(BIN / "mitmdump"), "-s", str(ROOT / "addons" / "recorder.py"),
                "--mode", f"reverse:{upstream}", "--listen-host", "127.0.0.1",
                "--listen-port", "0", "--set", f"wsdoc_store={store}", *extra]
    if tool == "bare":  # mitmdump with no addon: the baseline
        return [str(BIN / "mitmdump"), "--mode", f"reverse:{upstream}", "--listen-host",
                "127.0.0.1", "--listen-port", "0", *extra]
    raise ValueError(tool)


@contextmanager
def run_proxy(upstream: str, store: Path, *extra: str, tool: str = "wsdoc",
              timeout: float = 20, env: dict[str, str] | None = None) -> Iterator[Proxy]:
    """Start a real proxy process in front of `upstream`; stop it (SIGTERM) afterwards."""
    log_path = store.with_name(store.name + f".{tool}.log")
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            proxy_command(tool, upstream, store, extra), stdout=log, stderr=subprocess.STDOUT,
            text=True, cwd=store.parent,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        )
    proxy = Proxy(proc, _wait_ready(proc, log_path, timeout), log_path)
    try:
        yield proxy
    finally:
        proxy.stop()
