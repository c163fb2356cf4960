"""Options that several `wsdoc` commands take, each declared once.

A command uses them as decorators (`@store_option`); the parameter names are the same
everywhere (`store`, `config_path`, `redact`, `out`, `max_body`) so the library calls that
follow read the same in every command module.
"""

from __future__ import annotations

from typing import Any

import click

from docgen.capture.postgres import check_location, is_postgres
from docgen.capture.provenance import check_label
from docgen.errors import WsdocError

DEFAULT_STORE = "wsdoc.sqlite"
DEFAULT_OUT = "site"
DEFAULT_MAX_BODY = 10 * 1024 * 1024



class StoreLocation(click.ParamType):
    """A SQLite file, or a `postgresql://USER@HOST[:PORT]/DB` shared store (no password)."""

    name = "STORE"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        text = str(value)
        if is_postgres(text):
            try:
                return check_location(text)
            except WsdocError as exc:
                self.fail(str(exc), param, ctx)
        return str(click.Path(dir_okay=False).convert(text, param, ctx))


class Label(click.ParamType):
    """A provenance label: letters, digits, '.', '_', '-' (never a secret)."""

    name = "NAME"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        try:
            return check_label(str(value), param.opts[0] if param else "label")
        except WsdocError as exc:
            self.fail(str(exc), param, ctx)


store_option = click.option(
    "--store", default=DEFAULT_STORE, show_default=True, type=StoreLocation(),
    help="Capture store: a SQLite file or postgresql://USER@HOST[:PORT]/DB "
         "(password from PGPASSWORD or ~/.pgpass).",
)
recorder_option = click.option(
    "--recorder", default=None, type=Label(),
    help="Name recorded in each record's provenance (default: your login name).",
)
recorder_host_option = click.option(
    "--recorder-host", default=None, type=Label(),
    help="Host recorded in each record's provenance (default: this machine's name).",
)
config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), default=None,
    help="wsdoc.toml or pyproject.toml to read (default: nearest one upwards).",
)
redact_option = click.option(
    "--redact", multiple=True, metavar="RULE",
    help="Extra redaction rule (a name, or re:REGEX); repeatable.",
)
out_option = click.option(
    "--out", default=DEFAULT_OUT, show_default=True, type=click.Path(file_okay=False),
    help="Site folder (mkdocs.yml, docs/, descriptions/, public/).",
)
max_body_option = click.option(
    "--max-body", default=DEFAULT_MAX_BODY, show_default=True, type=click.IntRange(0),
    help="Largest decoded body kept, in bytes; larger ones keep only type and size.",
)
