"""Drift commands: `wsdoc check` (a store against a contract) and `wsdoc diff OLD NEW`."""

from __future__ import annotations

import click

from docgen.cli.options import StoreLocation, store_option
from docgen.drift.check import DEFAULT_FAIL_ON, KINDS, check_store, live_report, parse_fail_on
from docgen.errors import WsdocError

DRIFT_EXIT = 1  # breaking drift; user errors exit 2 (WsdocError)


@click.command("check")
@click.option("--against", "contract", default=None, type=click.Path(dir_okay=False),
              help="OpenAPI contract (JSON or YAML), e.g. written by wsdoc openapi.")
@click.option("--live", is_flag=True,
              help="Report the violations `wsdoc record --contract` found while recording "
                   "(stored beside each record) instead of checking against a contract.")
@store_option
@click.option("--format", "output_format", type=click.Choice(["text", "json", "junit"]),
              default="text", show_default=True, help="Report format (on stdout).")
@click.option("--fail-on", default="default", show_default=True, metavar="KINDS",
              help="Comma-separated drift kinds that are breaking (exit status 1); also "
                   f"'default' ({', '.join(k for k in KINDS if k in DEFAULT_FAIL_ON)}), "
                   f"'all' or 'none'. Kinds: {', '.join(KINDS)}.")
def check(contract: str | None, live: bool, store: str, output_format: str,
          fail_on: str) -> int:
    """Check every recorded exchange in the store against an OpenAPI contract."""
    from docgen.drift.report import render

    if bool(contract) == live:
        raise WsdocError("give either --against CONTRACT or --live")
    kinds = parse_fail_on(fail_on)
    report = live_report(store, kinds) if live else check_store(contract or "", store, kinds)
    click.echo(render(report, output_format), nl=False)
    return DRIFT_EXIT if report.breaking else 0


@click.command("diff")
@click.argument("old", type=StoreLocation())
@click.argument("new", type=StoreLocation())
@click.option("--format", "output_format", type=click.Choice(["text", "markdown"]),
              default="text", show_default=True, help="Changelog format (on stdout).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="wsdoc.toml or pyproject.toml for inferring stores (default: nearest).")
def diff(old: str, new: str, output_format: str, config_path: str | None) -> None:
    """Changelog from OLD to NEW; each a capture store or an OpenAPI file."""
    from docgen.drift.diff import diff_sides, to_markdown, to_text
    from docgen.drift.sides import load_side
    from docgen.infer.config import load_config

    config = load_config(config_path)
    old_side, new_side = load_side(old, config), load_side(new, config)
    changes = diff_sides(old_side, new_side)
    render = to_markdown if output_format == "markdown" else to_text
    click.echo(render(old_side, new_side, changes), nl=False)

