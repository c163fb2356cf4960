"""Command line of the simulator, shared by `python -m gwssim` and `wsdoc sim`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from gwssim import config as defaults
from gwssim.config import ConfigError, SimConfig
from gwssim.server import serve
from gwssim.versions import VERSIONS

F = TypeVar("F", bound=Callable[..., Any])

OPTIONS: tuple[Callable[[F], F], ...] = (
    click.option("--port", type=int, default=8090, show_default=True,
                 help="TCP port; 0 picks a free one (the ready line tells which)."),
    click.option("--host", default="127.0.0.1", show_default=True,
                 help="Loopback address to listen on."),
    click.option("--no-csrf", "no_csrf", is_flag=True, help="Turn CSRF protection off."),
    click.option("--tls", is_flag=True, help="Serve HTTPS with a self-signed certificate."),
    click.option("--cert-out", type=click.Path(dir_okay=False), default=None,
                 help="With --tls: also write the certificate (PEM) here."),
    click.option("--api-version", type=click.Choice(list(VERSIONS)),
                 default=defaults.DEFAULT_API_VERSION, show_default=True,
                 help="Web Services release to behave as (bodies and fields differ)."),
    click.option("--notifications-path", default=defaults.DEFAULT_NOTIFICATIONS_PATH,
                 show_default=True, help="CometD endpoint path."),
    click.option("--seed", type=int, default=defaults.DEFAULT_SEED, show_default=True,
                 help="Seed of the generated ids and data."),
    click.option("--long-poll-timeout", type=float, default=defaults.DEFAULT_LONG_POLL_TIMEOUT,
                 show_default=True, help="Seconds a /meta/connect is held."),
    click.option("--event-delay", type=float, default=defaults.DEFAULT_EVENT_DELAY,
                 show_default=True, help="Seconds between two notifications."),
)


def sim_options(func: F) -> F:
    """Decorate a click command with every simulator option."""
    for option in reversed(OPTIONS):
        func = option(func)
    return func


def build_config(**options: Any) -> SimConfig:
    """A validated SimConfig from the options' values (raises ConfigError)."""
    return SimConfig(
        host=options["host"], port=options["port"], csrf=not options["no_csrf"],
        tls=options["tls"], cert_out=options["cert_out"], api_version=options["api_version"],
        notifications_path=options["notifications_path"], seed=options["seed"],
        long_poll_timeout=options["long_poll_timeout"], event_delay=options["event_delay"],
    ).validate()


def run(**options: Any) -> None:
    """Serve with these options; a bad setting or busy port is one line and exit 2 / 1."""
    try:
        config = build_config(**options)
    except ConfigError as exc:
        _fail(str(exc), 2)
    try:
        serve(config)
    except OSError as exc:
        _fail(f"cannot listen on {options['host']}:{options['port']}: {exc.strerror or exc}", 1)


def _fail(message: str, code: int) -> None:
    click.echo(f"gwssim: error: {message}", err=True)
    sys.exit(code)


@click.command(name="gwssim", context_settings={"help_option_names": ["-h", "--help"]})
@sim_options
def command(**options: Any) -> None:
    """Simulate Genesys Web Services (GWS 8.5, /api/v2) on a loopback address."""
    run(**options)


def main(argv: list[str] | None = None) -> None:
    """Entry point of `python -m gwssim`: usage errors are one line, exit 2."""
    try:
        command.main(args=argv, prog_name="gwssim", standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(1)
    except click.ClickException as exc:
        _fail(exc.format_message(), exc.exit_code)
