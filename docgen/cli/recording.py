"""A recording session as a library: start `wsdoc record` as a child process, wait until it
listens, run a command with the proxy in its environment, stop the recorder cleanly.

Used by `wsdoc session` and `wsdoc demo`. The recorder runs in its own process group, so a
Ctrl-C at the terminal reaches the command (and us), never the recorder directly: we stop the
recorder ourselves, with SIGINT, so it commits and prints its summary whatever happened.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from docgen.cli.processes import RECORDER_READY, STOP_TIMEOUT_S, spawn, stop, wait_for
from docgen.errors import WsdocError

WSDOC = [sys.executable, "-c", "from docgen.cli import main; main()"]
CA_FILE = re.compile(r"--cacert (\S+)")
SUMMARY = re.compile(r"wsdoc: stopped; recorded (\d+)(.*)")
INTERRUPT_GRACE_S = 2.0  # a command that ignores Ctrl-C this long gets SIGINT from us...
KILL_AFTER_S = 10.0  # ...and SIGKILL this long after that
PROXY_VARIABLES = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")
CA_VARIABLES = ("CURL_CA_BUNDLE", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS")


class Interrupted(WsdocError):
    """Ctrl-C before the command ran: nothing to build."""

    exit_code = 130


@dataclass
class Recording:
    """A running recorder: where clients reach it and what its command needs."""

    proc: subprocess.Popen[bytes]
    url: str
    log_path: Path
    ca_file: str | None = None
    summary: str = ""
    recorded: int = 0
    warnings: list[str] = field(default_factory=list)

    def environment(self) -> dict[str, str]:
        """The command's environment: WSDOC_URL always; in regular mode also the proxy and
        CA variables that curl, Python's requests/httpx/ssl and Node read, so an unchanged
        script is recorded (no_proxy is dropped: the session records everything)."""
        env = {**os.environ, "WSDOC_URL": self.url}
        if self.ca_file is None:
            return env
        for name in ("no_proxy", "NO_PROXY"):
            env.pop(name, None)
        env.update({name: self.url for name in PROXY_VARIABLES})
        env.update({name: self.ca_file for name in CA_VARIABLES})
        return env

    def stop(self) -> str:
        """Stop the recorder (SIGINT: it commits and prints its summary); the summary."""
        with ignoring_sigint():
            stop(self.proc, signal.SIGINT, STOP_TIMEOUT_S)
        text = self.log_path.read_text(errors="replace")
        if match := SUMMARY.search(text):
            self.recorded = int(match.group(1))
            self.summary = match.group(0)
        self.warnings = [line for line in text.splitlines() if "wsdoc: upstream" in line]
        if self.proc.returncode not in (0, -signal.SIGINT) and not self.summary:
            last = text.strip().splitlines()[-1:] or ["no output"]
            raise WsdocError(f"the recorder failed ({self.proc.returncode}): {last[0]}")
        return self.summary


@contextmanager
def ignoring_sigint() -> Iterator[None]:
    """A second Ctrl-C while the recorder stops must not leave it running unsupervised."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def recording(record_args: list[str], log_path: Path) -> Iterator[Recording]:
    """`wsdoc record RECORD_ARGS` until the block ends; always stopped on the way out."""
    proc = spawn([*WSDOC, "record", *record_args], log_path, own_group=True)
    try:
        try:
            url = wait_for(RECORDER_READY, log_path, proc, "the recorder")
        except KeyboardInterrupt:
            raise Interrupted("interrupted while the recorder started; nothing recorded") \
                from None
        ca = CA_FILE.search(log_path.read_text(errors="replace"))
        yield Recording(proc, f"http://{url}", log_path, ca.group(1) if ca else None)
    finally:
        with ignoring_sigint():
            stop(proc, signal.SIGINT, STOP_TIMEOUT_S)


def exit_status(returncode: int) -> int:
    """A shell's view of a child's status: 128 + N when signal N ended it."""
    return 128 - returncode if returncode < 0 else returncode


def run_command(command: list[str], env: dict[str, str], tick: Callable[[], None],
                every: float = 0.5, output: IO[bytes] | None = None,
                timeout: float | None = None) -> int:
    """Run the command in the foreground (it shares our terminal and process group) until
    it ends; its exit status. `tick` runs every `every` seconds meanwhile (progress);
    `output` takes its stdout and stderr instead of the terminal.

    Ctrl-C at the terminal reaches the command by itself; we only note it, and pass it on
    ourselves if the command is still running after a grace period (e.g. we alone were
    signalled), then kill it: the wait is bounded either way."""
    try:
        proc = subprocess.Popen(command, env=env, stdout=output, stderr=output)
    except OSError as exc:
        raise WsdocError(f"cannot run {command[0]}: {exc.strerror or exc}") from None
    started, interrupted, forwarded = time.monotonic(), [], False
    previous = signal.signal(signal.SIGINT, lambda *_: interrupted.append(time.monotonic()))
    try:
        while True:
            try:
                return exit_status(proc.wait(every))
            except subprocess.TimeoutExpired:
                tick()
            if timeout is not None and time.monotonic() - started > timeout:
                proc.kill()
                proc.wait(STOP_TIMEOUT_S)
                raise WsdocError(f"{command[0]} took longer than {timeout:.0f}s")
            waited = time.monotonic() - interrupted[0] if interrupted else 0.0
            if waited > INTERRUPT_GRACE_S + KILL_AFTER_S:
                proc.kill()
            elif waited > INTERRUPT_GRACE_S and not forwarded:
                proc.send_signal(signal.SIGINT)
                forwarded = True
    finally:
        signal.signal(signal.SIGINT, previous)
