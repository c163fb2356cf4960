"""Child processes on loopback: start one with its output in a log, wait for its ready
line, stop it (bounded), and run the recording proxy as a real process.

Used by `wsdoc demo`, the benchmarks and the tests, so all of them start, wait for and stop
the simulator and the recorder the same way.
"""

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

from docgen.errors import WsdocError

READY_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 30.0
BIN = Path(sys.executable).parent
RECORDER_READY = re.compile(r"(?:point curl at|listening at|curl -x) (?:http://)?([\d.]+:\d+)")


def recorder_addon() -> Path:
    """The recorder addon's file, for `mitmdump -s`."""
    import addons

    return Path(addons.__file__).parent / "recorder.py"


def wait_for(pattern: re.Pattern[str], log: Path, proc: subprocess.Popen[bytes],
             what: str, timeout: float = READY_TIMEOUT_S) -> str:
    """The first match of `pattern` in a process's log; WsdocError if it exits or times out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if match := pattern.search(text):
            return match.group(1) if pattern.groups else match.group(0)
        if proc.poll() is not None:
            last = text.strip().splitlines()[-1:] or ["no output"]
            raise WsdocError(f"{what} exited with status {proc.returncode}: {last[0]}")
        time.sleep(0.05)
    stop(proc, signal.SIGKILL)
    raise WsdocError(f"{what} not ready after {timeout:.0f}s")


def spawn(command: list[str], log: Path, cwd: Path | None = None,
          env: dict[str, str] | None = None, own_group: bool = False) -> subprocess.Popen[bytes]:
    """Start a process with stdout and stderr in `log` and no stdin; `own_group` keeps a
    Ctrl-C at the terminal from reaching it (its parent decides when it stops)."""
    with log.open("wb") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, cwd=cwd, start_new_session=own_group,
                                env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})


@contextmanager
def started(command: list[str], log: Path, what: str) -> Iterator[subprocess.Popen[bytes]]:
    """Run a process with output to `log`; on leaving, make sure it is gone."""
    proc = spawn(command, log)
    try:
        yield proc
    finally:
        stop(proc, signal.SIGTERM)


def stop(proc: subprocess.Popen[bytes], sig: int, timeout: float = STOP_TIMEOUT_S) -> None:
    """Signal a process and wait for it (bounded); kill it when it does not stop."""
    if proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(STOP_TIMEOUT_S)


@dataclass
class Proxy:
    """A running recorder (or bare mitmdump) process and where clients reach it."""

    proc: subprocess.Popen[bytes]
    url: str
    log_path: Path

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> str:
        stop(self.proc, sig, timeout)
        return self.output()


def proxy_command(tool: str, upstream: str, store: Path | str,
                  extra: tuple[str, ...]) -> list[str]:
    """`wsdoc record`, `mitmdump -s` with the recorder, or bare mitmdump (the baseline)."""
    if tool == "wsdoc":
        target = ["--upstream", upstream] if upstream else ["--mode", "regular"]
        return [str(BIN / "wsdoc"), "record", *target, "--listen-port", "0",
                "--store", str(store), *extra]
    if tool == "mitmdump":
        return [str(BIN / "mitmdump"), "-s", str(recorder_addon()),
                "--mode", f"reverse:{upstream}", "--listen-host", "127.0.0.1",
                "--listen-port", "0", "--set", f"wsdoc_store={store}", *extra]
    if tool == "bare":
        return [str(BIN / "mitmdump"), "--mode", f"reverse:{upstream}", "--listen-host",
                "127.0.0.1", "--listen-port", "0", *extra]
    raise ValueError(tool)


@contextmanager
def run_proxy(upstream: str, store: Path | str, *extra: str, tool: str = "wsdoc",
              timeout: float = 20, env: dict[str, str] | None = None,
              log_path: Path | None = None) -> Iterator[Proxy]:
    """Start a real proxy process in front of `upstream` on a free loopback port; stop it
    (SIGTERM) afterwards. Its log is beside a store file unless `log_path` says where
    (needed for a postgresql:// store)."""
    if log_path is None:
        assert isinstance(store, Path), "a postgresql:// store needs a log_path"
        log_path = store.with_name(store.name + f".{tool}.log")
    proc = spawn(proxy_command(tool, upstream, store, extra), log_path, log_path.parent, env)
    url = wait_for(RECORDER_READY, log_path, proc, f"proxy ({tool})", timeout)
    proxy = Proxy(proc, f"http://{url}", log_path)
    try:
        yield proxy
    finally:
        proxy.stop()
