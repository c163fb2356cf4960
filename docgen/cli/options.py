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
base_url_option = click.option(
    "--base-url", default=None,
    help="Host used in example curl commands [default: config base_url, else the host each "
         "request was recorded with].")

# The recording proxy's options, shared by `wsdoc record` and `wsdoc session`.
upstream_option = click.option(
    "--upstream", help="Server to record, e.g. http://127.0.0.1:8090 (reverse mode).")
mode_option = click.option(
    "--mode", type=click.Choice(["reverse", "regular"]), default="reverse", show_default=True,
    help="reverse: clients talk to the proxy as if it were --upstream; regular: clients use "
         "it as an HTTP(S) proxy (curl -x) and trust mitmproxy's CA.")
listen_host_option = click.option(
    "--listen-host", default="127.0.0.1", show_default=True,
    help="Address the proxy listens on.")


def listen_port_option(default: int) -> Any:
    return click.option("--listen-port", default=default, show_default=True,
                        type=click.IntRange(0, 65535),
                        help="Port the proxy listens on (0 picks a free one).")


filter_option = click.option(
    "--filter", "flow_filter", default="",
    help="Record only flows matching this mitmproxy filter expression (e.g. '~d example.com').")
durability_option = click.option(
    "--durability", type=click.Choice(["sync", "fsync", "async"]), default="sync",
    show_default=True,
    help="sync: a response reaches the client once its record is committed; fsync: the same "
         "with fsync; async: don't wait (a crash may lose the last batch).")
upstream_cacert_option = click.option(
    "--upstream-cacert", default=None, type=click.Path(exists=True, dir_okay=False),
    help="CA (PEM) to trust for HTTPS servers, e.g. a self-signed test server.")
contract_option = click.option(
    "--contract", default="", type=click.Path(dir_okay=False),
    help="OpenAPI contract to check each flow against while recording.")

RECORDING_OPTIONS = (upstream_option, mode_option, filter_option, max_body_option,
                     durability_option, redact_option, upstream_cacert_option, contract_option,
                     store_option, recorder_option, recorder_host_option)


def recording_options(command: Any) -> Any:
    """Decorate a command with every recording option (listen address aside)."""
    for option in reversed(RECORDING_OPTIONS):
        command = option(command)
    return command
