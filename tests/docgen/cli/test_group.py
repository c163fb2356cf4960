"""The `wsdoc` group: its command list, every command's options explain themselves, and
the console script's exit."""

from __future__ import annotations

import subprocess
import sys
import textwrap

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


def run_script(body: str) -> subprocess.CompletedProcess[str]:
    script = textwrap.dedent("""
        import atexit, sys, threading, time
        from docgen.cli.group import run_then_exit

        class Noisy:
            def __del__(self):
                print("torn down")

        kept = Noisy()  # freed only by the interpreter's teardown
        atexit.register(lambda: print("exit handler ran"))
    """) + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, check=False)


def test_the_console_script_skips_teardown_keeping_status_output_and_exit_handlers() -> None:
    done = run_script("""
        def main():
            sys.stdout.write("x" * 100000)  # still in the buffer: stdout is a pipe
            raise SystemExit(3)
        run_then_exit(main)
    """)
    assert done.returncode == 3
    assert done.stdout == "x" * 100000 + "exit handler ran\n"  # no "torn down"


def test_the_usual_exit_when_a_thread_still_runs_or_the_exit_is_a_message() -> None:
    waited = run_script("""
        def late():
            time.sleep(0.3)
            print("thread done", flush=True)
        run_then_exit(lambda: threading.Thread(target=late).start())
    """)
    assert waited.returncode == 0
    assert waited.stdout.startswith("thread done\nexit handler ran\n")
    message = run_script("run_then_exit(lambda: sys.exit('bad'))")
    assert message.returncode == 1 and message.stderr == "bad\n"
