"""`wsdoc record`: run the recording proxy in the foreground."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from typing import Any
from urllib.parse import urlsplit

import click

from docgen.cli.options import listen_host_option, listen_port_option, recording_options
from docgen.errors import WsdocError


def check_upstream(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WsdocError(f"--upstream must be an http:// or https:// URL, not {url!r}")
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise WsdocError(f"--upstream has a bad port: {url!r}") from exc
    return url.rstrip("/")


class ReadyLine:
    """Prints where to point curl once the proxy is really listening."""

    def __init__(self, mode: str, upstream: str | None, store: str) -> None:
        self.mode, self.upstream, self.store = mode, upstream, store

    def running(self) -> None:
        from mitmproxy import ctx

        recorder = ctx.master.addons.get("recorder")
        if recorder is not None and recorder.writer is None:
            return  # its store did not open: run_proxy reports that, nobody should connect
        server = ctx.master.addons.get("proxyserver")
        host, port = server.listen_addrs()[0][:2]
        url = f"http://{host}:{port}"
        if self.mode == "regular":
            confdir = os.path.expanduser(ctx.options.confdir)
            click.echo(f"wsdoc: recording into {self.store}; use it as a proxy: curl -x {url} "
                       f"--cacert {confdir}/mitmproxy-ca-cert.pem URL")
        else:
            click.echo(f"wsdoc: recording {self.upstream} into {self.store}; "
                       f"point curl at {url}")
        sys.stdout.flush()
        # Start-up errors were kept quiet for run_proxy to report in one line; now the
        # proxy runs, its warnings (upstream failures, bad flows) go to the terminal.
        ctx.options.update(termlog_verbosity="warn")
        # Its work is done, and mitmproxy offers every event of every flow to each addon
        # in its chain (a few microseconds a flow each). The chain is replaced, not
        # edited, so the start-up event that runs this goes on undisturbed.
        ctx.master.addons.remove(self)


def startup_error(records: list[logging.LogRecord], listen_port: int) -> str:
    """One line for what stopped the proxy from starting (mitmproxy's errorcheck)."""
    if not records:
        return "the proxy did not start"
    text = records[0].getMessage()
    if "address already in use" in text.lower():
        return (f"port {listen_port} is in use; choose another with --listen-port "
                "(0 picks a free one)")
    return " ".join(text.split("\nTry specifying")[0].split())


class StartupFailed(Exception):
    """The proxy logged an error while starting (e.g. its port is taken)."""


def quiet_errorcheck(master: Any) -> Any:
    """Replace mitmproxy's errorcheck, which prints its own banner and calls sys.exit, by
    one that raises, so `wsdoc record` reports the error in its one line."""
    from mitmproxy.addons import errorcheck

    class ErrorCheck(errorcheck.ErrorCheck):  # the same addon name, so master.run finds it
        async def shutdown_if_errored(self) -> None:
            await asyncio.sleep(0)  # let pending log records arrive, as the original does
            if self.logger.has_errored:
                raise StartupFailed()

    old = master.addons.get("errorcheck")
    old.finish()
    master.addons.remove(old)
    check = ErrorCheck()
    master.addons.add(check)
    return check


async def run_proxy(settings: dict[str, object], ready: ReadyLine) -> str:
    """Run mitmproxy with the recorder until SIGINT/SIGTERM; return the summary."""
    from mitmproxy import exceptions, options
    from mitmproxy.tools.dump import DumpMaster

    from addons.recorder import Recorder

    opts = options.Options()
    master = DumpMaster(opts, with_termlog=True, with_dumper=False)
    recorder = Recorder()
    master.addons.add(recorder, ready)
    check = quiet_errorcheck(master)
    try:
        opts.update(**settings)
    except exceptions.OptionsError as exc:
        raise WsdocError(str(exc).splitlines()[0]) from exc
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, master.shutdown)
    try:
        await master.run()
    except StartupFailed as exc:
        port = int(str(settings["listen_port"]))
        raise WsdocError(startup_error(check.logger.has_errored, port)) from exc
    return recorder.summary()


@click.command()
@listen_host_option
@listen_port_option(8080)
@recording_options
def record(upstream: str | None, listen_host: str, listen_port: int, mode: str,
           flow_filter: str, max_body: int, durability: str, redact: tuple[str, ...],
           upstream_cacert: str | None, contract: str, store: str, recorder: str | None,
           recorder_host: str | None) -> None:
    """Run the recording proxy in the foreground until Ctrl-C."""
    if mode == "reverse":
        if not upstream:
            raise WsdocError("--upstream is required in reverse mode")
        proxy_mode = f"reverse:{check_upstream(upstream)}"
    else:
        proxy_mode = "regular"
    settings: dict[str, object] = {
        "mode": [proxy_mode], "listen_host": listen_host, "listen_port": listen_port,
        # Quiet until running (ReadyLine): a start-up error is reported once, in one line.
        "termlog_verbosity": "critical",
        # Connect upstream per request, so a server that is down gets the client a 502
        # saying why (eager connections would just drop the client).
        "connection_strategy": "lazy",
        "wsdoc_store": store, "wsdoc_filter": flow_filter, "wsdoc_max_body": max_body,
        "wsdoc_durability": durability, "wsdoc_redact": list(redact),
        "wsdoc_contract": contract, "wsdoc_recorder": recorder or "",
        "wsdoc_recorder_host": recorder_host or "",
    }
    if upstream_cacert:
        settings["ssl_verify_upstream_trusted_ca"] = upstream_cacert
    summary = asyncio.run(run_proxy(settings, ReadyLine(mode, upstream, store)))
    click.echo(f"wsdoc: stopped; {summary}")

