"""The `wsdoc` click group: every error becomes one line on stderr and a non-zero exit.

`WsdocError` carries its own exit status; an OS error on a user-given file and a damaged
store exit 2; click's usage errors keep their status but lose the usage banner.
"""

from __future__ import annotations

import atexit
import importlib
import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

import click

from docgen.errors import WsdocError


class WsdocGroup(click.Group):
    """A click group whose every error is one line on stderr and a non-zero exit, and
    whose commands (given as {name: "module:attribute"}) are imported on first use."""

    def __init__(self, *args: Any, commands: Mapping[str, str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        # The order of the map (the order of a user's work), then any others.
        return [*self.lazy, *sorted(set(super().list_commands(ctx)) - set(self.lazy))]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Each command with its whole first sentence, wrapped (click cuts it at ~45
        characters with '...', which hides what half the commands do)."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1000)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, _, attribute = self.lazy[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.ClickException as exc:  # usage errors included: no usage banner
            fail(exc.format_message().replace("\n", " "), exc.exit_code)
        except click.Abort as exc:  # click turns Ctrl-C into Abort
            if isinstance(exc.__cause__, KeyboardInterrupt):
                fail("interrupted", 130)
            fail("aborted", 1)
        except KeyboardInterrupt:  # Ctrl-C anywhere else: no traceback either
            fail("interrupted", 130)
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


def run_then_exit(main: Callable[[], object]) -> NoReturn:
    """The console script: run `main`, then leave without the interpreter's teardown when
    nothing else runs (one thread). Exit handlers still run and output is flushed; what is
    skipped is freeing every object and module one by one, 25-40 ms after an OpenAPI of
    10,000 exchanges, about a twentieth of the command."""
    try:
        main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if not isinstance(code, int | None) or threading.active_count() > 1:
        raise SystemExit(code)  # a message to print, or threads Python would wait for
    atexit._run_exitfuncs()  # type: ignore[attr-defined]  # logging, multiprocessing
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: Python's own exit status for it
        os._exit(120)
    os._exit(code or 0)
