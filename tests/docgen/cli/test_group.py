"""The `wsdoc` group: its command list and every command's options explain themselves."""

from __future__ import annotations

import click
from click.testing import CliRunner

from docgen.cli import COMMANDS, main


def test_top_level_help_shows_whole_descriptions_in_workflow_order() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    commands = result.output.split("Commands:\n", 1)[1]
    assert "..." not in commands  # click would cut descriptions at ~45 characters
    listed = [line.split()[0] for line in commands.splitlines() if line[:3].strip()]
    assert listed == list(COMMANDS)
    assert "the union of their records, each record once" in " ".join(commands.split())


def test_every_option_of_every_command_has_help() -> None:
    ctx = click.Context(main)
    missing = [(name, param.opts[0]) for name in main.list_commands(ctx)
               for param in main.get_command(ctx, name).params  # type: ignore[union-attr]
               if isinstance(param, click.Option) and not param.help]
    assert missing == []
