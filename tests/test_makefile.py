"""The Makefile as a new user meets it: `make demo`'s set-up says one line, not pip's and
setuptools' chatter, and `make test` installs chromium without its recommended packages."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_setup_prints_one_line_and_keeps_the_chatter_in_a_log(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    done = subprocess.run(["make", "-s", f"VENV={venv}", f"{venv}/.wsdoc-installed"], cwd=ROOT,
                          capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (done.stdout + done.stderr).splitlines() == [
        f"wsdoc: setting up {venv} (log: {venv}/install.log)"]
    assert (venv / "install.log").is_file()  # kept for when it fails, not shown
    assert (venv / "bin" / "wsdoc").is_file()


def test_chromium_is_installed_without_recommends() -> None:
    recipe = subprocess.run(["make", "-n", "-B", "chromium"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, check=True).stdout
    assert "apt-get install -y -q --no-install-recommends chromium" in recipe
