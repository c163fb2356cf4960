"""`wsdoc import`: a HAR or flow file into the store, redacted.

Its own module so that an import loads only the capture wing: the inference, OpenAPI and
site modules cost about a quarter of a second to import, more than a small file's import.
"""

from __future__ import annotations

from pathlib import Path

import click

from docgen.capture.importer import ImportResult, detect_format, import_file
from docgen.capture.postgres import is_postgres
from docgen.capture.provenance import default_host, default_recorder
from docgen.capture.redact import Redactor
from docgen.capture.store import Store, discard_if_empty
from docgen.cli.options import (
    config_option,
    recorder_host_option,
    recorder_option,
    redact_option,
    store_option,
)
from docgen.errors import WsdocError
from docgen.infer.config import load_config


def import_notes(result: ImportResult) -> str:
    """What the import summary adds after the count: what was not stored, and why."""
    notes = ""
    if result.duplicates:
        plural = "s" if result.duplicates != 1 else ""
        notes += f"; skipped {result.duplicates} duplicate{plural} already in the store"
    if result.skipped:
        notes += f"; skipped {result.skipped} that could not be redacted"
    return notes


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@store_option
@config_option
@redact_option
@recorder_option
@recorder_host_option
def import_command(file: str, store: str, config_path: str | None,
                   redact: tuple[str, ...], recorder: str | None,
                   recorder_host: str | None) -> None:
    """Import a HAR 1.2 file or a mitmproxy flow file into the store (redacted)."""
    if not Path(file).is_file():
        raise WsdocError(f"no such file: {file}")
    config = load_config(config_path)
    redactor = Redactor([*config.redact, *redact])
    detect_format(Path(file))  # a file of neither kind never creates a store
    existed = is_postgres(store) or Path(store).exists()
    try:
        with Store(store) as opened:
            result = import_file(file, opened, redactor, provenance=(
                recorder or default_recorder(), recorder_host or default_host()))
    except BaseException:
        if not existed:  # a failed import leaves no empty store behind
            discard_if_empty(store)
        raise
    for warning in result.warnings:
        click.echo(f"wsdoc: warning: {file}: {warning}", err=True)
    click.echo(f"imported {result.imported} exchanges from {file} ({result.format}) "
               f"into {store}{import_notes(result)}")
    if redactor.kept:
        kept = ", ".join(f"{name} ({why})" for name, why in sorted(redactor.kept.items()))
        click.echo(f"kept values under secret-like names: {kept}")

