"""The README's session, pasted as one script, works: the simulator, `wsdoc session` over
the user's own curl calls and over the whole catalogue, `wsdoc endpoints`. Only the port is
changed (a free one instead of 8090), and the two lines that don't end (`make demo` sets up,
`wsdoc serve` serves until Ctrl-C) are left out."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
VENV = Path(sys.executable).parents[1]


def session_block() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## A session", 1)[1]
    return section.split("```sh\n", 1)[1].split("\n```", 1)[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_readme_session_runs_as_one_script(tmp_path: Path) -> None:
    lines = [line for line in session_block().splitlines()
             if not line.startswith(("make demo", ".venv/bin/wsdoc serve"))]
    script = "\n".join(lines).replace("8090", str(free_port())) + "\n"
    (tmp_path / "session.sh").write_text(script)
    (tmp_path / ".venv").symlink_to(VENV)
    (tmp_path / "gwssim").symlink_to(ROOT / "gwssim")
    proc = subprocess.Popen(["bash", "session.sh"], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True,
                            env={**os.environ, "PYTHON": sys.executable})
    try:
        out, _ = proc.communicate(timeout=600)
    finally:
        os.killpg(proc.pid, signal.SIGKILL) if proc.poll() is None else None
    assert proc.returncode == 0, out
    assert "wsdoc: recorded 4 exchanges; 4 endpoints; site: site/public/index.html" in out
    catalogue = re.search(r"curl_session: done: 5 users, (\d+) requests", out)
    assert catalogue, out
    assert f"wsdoc: recorded {catalogue.group(1)} exchanges;" in out
    assert "Traceback" not in out and "Failed to connect" not in out
    assert re.search(r"\d+ endpoints from \d+ exchanges", out)
    assert (tmp_path / "site/public/index.html").is_file()


def test_readme_mentions_only_options_that_exist() -> None:
    import click

    from docgen.cli import main

    ctx = click.Context(main)
    known = {name: {opt for param in main.get_command(ctx, name).params  # type: ignore[union-attr]
                    for opt in param.opts if opt.startswith("--")} | {"--help"}
             for name in main.list_commands(ctx)}
    names = "|".join(sorted(known, key=len, reverse=True))
    mention = re.compile(rf"(?:wsdoc |`)({names})\b([^`#\n]*)")
    wrong = []
    # A table row's options belong to its command, up to the next command named in it.
    row = re.compile(rf"\| `wsdoc ({names})\b(.*?)(?=wsdoc |$)")
    for line in (ROOT / "README.md").read_text().splitlines():
        line = line.replace("mkdocs build --strict", "mkdocs")  # mkdocs' option, not ours
        for command, rest in row.findall(line) + mention.findall(line):
            wrong += [(command, option) for option in re.findall(r"(--[a-z][a-z-]*)", rest)
                      if option not in known[command]]
    assert wrong == []
