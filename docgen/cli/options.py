"""Options that several `wsdoc` commands take, each declared once.

A command uses them as decorators (`@store_option`); the parameter names are the same
everywhere (`store`, `config_path`, `redact`, `out`, `max_body`) so the library calls that
follow read the same in every command module.
"""

from __future__ import annotations

import click

DEFAULT_STORE = "wsdoc.sqlite"
DEFAULT_OUT = "site"
DEFAULT_MAX_BODY = 10 * 1024 * 1024

store_option = click.option(
    "--store", default=DEFAULT_STORE, show_default=True, type=click.Path(dir_okay=False),
    help="SQLite capture store.",
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
