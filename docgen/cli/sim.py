"""`wsdoc sim`: run the Genesys Web Services simulator (gwssim) in the foreground.

Same options as `python -m gwssim`; it is the upstream of the demo and of the tests.
"""

from __future__ import annotations

from typing import Any

import click

from docgen.errors import WsdocError
from gwssim.cli import build_config, sim_options
from gwssim.config import ConfigError
from gwssim.server import serve


class _OneLineUsage(click.Command):
    """Bad options become a one-line `wsdoc: error: ...` (via WsdocError), not a usage dump."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise WsdocError(exc.format_message()) from None


@click.command("sim", cls=_OneLineUsage)
@sim_options
def sim(**options: Any) -> None:
    """Simulate Genesys Web Services (GWS 8.5, /api/v2) on a loopback address."""
    try:
        config = build_config(**options)
    except ConfigError as exc:
        raise WsdocError(str(exc)) from None
    serve(config)  # an OSError (port in use) becomes one line in docgen.cli

