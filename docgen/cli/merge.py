"""`wsdoc merge A.sqlite B.sqlite ... -o TEAM`: one store from many, duplicates once."""

from __future__ import annotations

import click

from docgen.capture.merge import merge_stores
from docgen.cli.options import StoreLocation


@click.command("merge")
@click.argument("sources", nargs=-1, required=True, type=StoreLocation())
@click.option("-o", "--output", "target", required=True, type=StoreLocation(),
              help="Store to merge into (created when missing): a SQLite file or "
                   "postgresql://USER@HOST[:PORT]/DB.")
def merge(sources: tuple[str, ...], target: str) -> None:
    """Merge capture stores into one: the union of their records, each record once (same
    content hash), with its provenance and live contract violations."""
    result = merge_stores(sources, target)
    for count in result.sources:
        click.echo(f"{count.source}: {count.read} read, {count.added} added, "
                   f"{count.duplicates} duplicates skipped, {count.violations} violations")
    click.echo(f"wrote {target}: {result.already + result.added} exchanges "
               f"({result.already} already there, {result.added} added)")
