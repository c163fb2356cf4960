"""The `wsdoc` command line: thin click commands over the docgen library.

Each command lives in its own module (`docgen/cli_*.py`) and is registered here. Every
`WsdocError` (and any OS error on a user-given file) becomes one line on stderr and a
non-zero exit, never a traceback.
"""

from __future__ import annotations

import sqlite3
import sys
from typing import Any, NoReturn

import click

from docgen.errors import WsdocError

DEFAULT_STORE = "wsdoc.sqlite"


class WsdocGroup(click.Group):
    """A click group whose every error is one line on stderr and a non-zero exit."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.ClickException as exc:  # usage errors included: no usage banner
            fail(exc.format_message().replace("\n", " "), exc.exit_code)
        except click.Abort:
            fail("aborted", 1)
        except WsdocError as exc:
            fail(str(exc), exc.exit_code)
        except OSError as exc:
            fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), 2)
        except sqlite3.Error as exc:  # a store damaged or changed under us
            fail(f"store error: {exc}", 2)
        sys.exit(result if isinstance(result, int) else 0)


def fail(message: str, code: int) -> NoReturn:
    click.echo(f"wsdoc: error: {message}", err=True)
    sys.exit(code)


@click.group(cls=WsdocGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wsdoc")
def main() -> None:
    """Record JSON API traffic through a proxy and publish it as API documentation."""


def store_option(func):  # type: ignore[no-untyped-def]
    """The --store option every command takes."""
    return click.option(
        "--store",
        default=DEFAULT_STORE,
        show_default=True,
        type=click.Path(dir_okay=False),
        help="SQLite capture store.",
    )(func)


def _register() -> None:
    # Imported late so each command module can import store_option from here.
    import importlib
    import pkgutil

    import docgen

    for info in pkgutil.iter_modules(docgen.__path__):
        if info.name.startswith("cli_"):
            module = importlib.import_module(f"docgen.{info.name}")
            for command in getattr(module, "commands", []):
                main.add_command(command)


_register()
