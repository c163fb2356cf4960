"""`wsdoc session -- COMMAND…`: record what a command does through the proxy, build the site.

    wsdoc session --upstream http://127.0.0.1:8090 -- bash gwssim/curl_session.sh
    wsdoc session --mode regular -- python my_script.py      # unchanged scripts, via the CA

One command instead of five steps by hand (start the recorder, wait for it, run the clients,
stop it, build): the recorder starts on a free port, the command runs with `WSDOC_URL` (and in
regular mode the proxy and CA variables) in its environment, the recorder stops when the
command ends or on Ctrl-C, the site is built, and the command's exit status is ours.
"""

from __future__ import annotations

import shlex
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from docgen.capture.store import Store
from docgen.cli.options import (
    base_url_option,
    config_option,
    listen_host_option,
    listen_port_option,
    out_option,
    recording_options,
)
from docgen.cli.record import check_upstream, record
from docgen.cli.recording import Recording, recording, run_command
from docgen.errors import WsdocError
from docgen.pipeline import build_site


def record_arguments(params: dict[str, Any]) -> list[str]:
    """`wsdoc record`'s arguments for the recording options this command was given; the
    options are `record`'s own (declared once, in docgen.cli.options)."""
    args: list[str] = []
    for option in record.params:
        value = params.get(option.name or "")
        if value is None or value == "" or value == ():
            continue
        for item in value if isinstance(value, tuple) else (value,):
            args += [option.opts[0], str(item)]
    return args


class Progress:
    """One line on a terminal's stderr, rewritten as exchanges are recorded."""

    def __init__(self, rec: Recording, store: str, start: int) -> None:
        self.rec, self.store, self.start, self.shown = rec, store, start, -1
        self.tty = sys.stderr.isatty()
        self.reader: Store | None = None

    def __call__(self) -> None:
        if not self.tty:
            return
        try:
            if self.reader is None:
                self.reader = Store(self.store, readonly=True, allow_empty=True)
            count = self.reader.count() - self.start
        except Exception:  # progress is a nicety: a store busy or not there yet is no error
            return
        if count != self.shown:
            self.shown = count
            click.echo(f"\r\x1b[Kwsdoc: recording through {self.rec.url}: {count} exchanges",
                       err=True, nl=False)

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()
        if self.tty and self.shown >= 0:
            click.echo("\r\x1b[K", err=True, nl=False)


def stored_count(store: str) -> int:
    """Exchanges already in the store (0 when there is none yet): progress counts from it."""
    try:
        with Store(store, readonly=True, allow_empty=True) as opened:
            return opened.count()
    except Exception:  # no store yet, or not readable: the recorder will say what is wrong
        return 0


def record_command(command: list[str], params: dict[str, Any],
                   logs: Path) -> tuple[int, Recording]:
    """Run the command through a recorder; its exit status and the stopped recording."""
    start = stored_count(params["store"])
    with recording(record_arguments(params), logs / "record.log") as rec:
        click.echo(f"wsdoc: recording through {rec.url} (WSDOC_URL); running: "
                   f"{shlex.join(command)}", err=True)
        progress = Progress(rec, params["store"], start)
        try:
            status = run_command(command, rec.environment(), progress)
        finally:
            progress.close()
        rec.stop()
    for line in rec.warnings:
        click.echo(line, err=True)
    return status, rec


@click.command(context_settings={"allow_interspersed_args": False})
@listen_host_option
@listen_port_option(0)
@recording_options
@out_option
@base_url_option
@config_option
@click.argument("command", nargs=-1, required=True, metavar="-- COMMAND [ARGS]...")
def session(command: tuple[str, ...], out: str, base_url: str | None,
            config_path: str | None, **params: Any) -> None:
    """Record what a command sends through the proxy, then build the site."""
    if params["mode"] == "reverse":
        if not params["upstream"]:
            raise WsdocError("--upstream is required in reverse mode (or use --mode regular)")
        check_upstream(params["upstream"])
    with tempfile.TemporaryDirectory(prefix="wsdoc-session-") as logs:
        status, rec = record_command(list(command), params, Path(logs))
    if rec.recorded == 0:
        click.echo("wsdoc: nothing was recorded (does the command send its requests to "
                   "$WSDOC_URL?); no site built", err=True)
        sys.exit(status or 1)
    result = build_site(params["store"], out, base_url, config_path)
    click.echo(f"wsdoc: recorded {rec.recorded} exchanges; {result.endpoints} endpoints; "
               f"site: {result.index}")
    sys.exit(status)
