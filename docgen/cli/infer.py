"""Inference commands: `explain-path`, `endpoints` and `openapi`."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import click

from docgen.capture.store import Store
from docgen.cli import table
from docgen.cli.options import (
    DEFAULT_STORE,
    config_option,
    store_option,
)
from docgen.errors import WsdocError
from docgen.infer.builder import ModelBuilder
from docgen.infer.config import load_config
from docgen.infer.model import ApiModel, Endpoint
from docgen.pipeline import read_model
from docgen.publish.openapi import dumps, load_emitter, to_openapi


@click.command("explain-path")
@click.argument("path")
@store_option
@config_option
@click.pass_context
def explain_path(ctx: click.Context, path: str, store: str, config_path: str | None) -> None:
    """Show, segment by segment, how PATH (or a full URL, to name its host) is templated
    and why: the rule or the evidence that decided each segment."""
    config = load_config(config_path)
    parts = urlsplit(path) if "://" in path else None
    target = parts.path if parts else path.split("?", 1)[0]
    origin = f"{parts.scheme}://{parts.netloc}" if parts else ""
    if not target.startswith("/"):
        raise WsdocError(f"path must start with '/': {path!r}")
    builder = ModelBuilder(config)
    explicit = ctx.get_parameter_source("store") != click.core.ParameterSource.DEFAULT
    if explicit or Path(store).is_file():
        with Store(store, readonly=True) as opened:
            for exchange in opened.exchanges():
                builder.add(exchange)
        builder.finish()  # structural evidence needs all traffic
        evidence = f"evidence: {builder.templater.observed} recorded paths from {store}"
    else:
        evidence = f"evidence: none (no store at {DEFAULT_STORE})"
    result = builder.explain(target, origin)
    click.echo(f"{target}\n  -> {result.template}")
    click.echo(f"  {evidence}; config: {config.source or 'defaults'} "
               f"(profile {config.profile_name}, param_threshold {config.param_threshold})")
    rows = result.explain()
    width = max((len(segment) for segment, _, _ in rows), default=0)
    outcome_width = max((len(outcome) for _, outcome, _ in rows), default=0)
    for segment, outcome, reason in rows:
        click.echo(f"  {segment:<{width}}  {outcome:<{outcome_width}}  {reason}")


def endpoint_rows(model: ApiModel) -> list[table.Row]:
    def statuses(endpoint: Endpoint) -> str:
        return ",".join(str(s) for s in endpoint.status_codes) or "-"

    # Several hosts: the host is part of the endpoint, so it is part of the row.
    return [(e.method, e.host + e.template, str(e.sample_count), statuses(e),
             tuple(e.operation_names)) for e in model.endpoints]


@click.command("endpoints")
@store_option
@config_option
def endpoints(store: str, config_path: str | None) -> None:
    """List the endpoints inferred from a store."""
    model = read_model(store, load_config(config_path))
    for line in table.render(endpoint_rows(model)):
        click.echo(line)
    click.echo(f"{len(model.endpoints)} endpoints from {model.exchange_count} exchanges")


@click.command("openapi")
@store_option
@config_option
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="File to write: .json, .yaml or .yml.")
def openapi(store: str, config_path: str | None, output: str) -> None:
    """Write an OpenAPI 3.1 description of the recorded API."""
    suffix = Path(output).suffix.lower()
    if suffix not in (".json", ".yaml", ".yml"):
        raise WsdocError(f"--output must end in .json, .yaml or .yml: {output}")
    yaml_output = suffix != ".json"
    model = read_model(store, load_config(config_path), lambda: load_emitter(yaml_output))
    text = dumps(to_openapi(model), yaml_output)
    Path(output).write_text(text, encoding="utf-8")
    click.echo(f"wrote {output}: {len(model.endpoints)} endpoints "
               f"from {model.exchange_count} exchanges")
