"""The Makefile as a new user meets it: `make demo`'s set-up says one line, not pip's and
setuptools' chatter, compiles the flow-file decoder and the sources' bytecode, and `make
test` installs chromium without its recommended packages."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).parents[1]
# What an install reads. The set-up runs on a copy: an editable install compiles the
# decoder into the source tree, and this test's own process has the tree's copy loaded.
INSTALLED = ("Makefile", "pyproject.toml", "setup.py", "README.md", "addons", "docgen",
             "gwssim")


def source_copy(into: Path) -> Path:
    into.mkdir()
    for name in INSTALLED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, into / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.so"))
        else:
            shutil.copy2(source, into / name)
    return into


def test_setup_prints_one_line_keeps_the_chatter_in_a_log_and_compiles(tmp_path: Path) -> None:
    source, venv = source_copy(tmp_path / "wsdoc"), tmp_path / "venv"
    done = subprocess.run(["make", "-s", f"VENV={venv}", f"{venv}/.wsdoc-installed"],
                          cwd=source, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (done.stdout + done.stderr).splitlines() == [
        f"wsdoc: setting up {venv} (log: {venv}/install.log)"]
    assert (venv / "install.log").is_file()  # kept for when it fails, not shown
    assert (venv / "bin" / "wsdoc").is_file()
    compiled = subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         "from docgen.capture import tnetstring as t, redact as r; "
         "print(t.COMPILED, t.__file__, r.__file__)"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=True).stdout.split()
    assert compiled[0] == "True"
    assert Path(compiled[1]).parent == source / "docgen" / "capture"
    assert Path(compiled[2]).suffix == ".so"  # and the rest of setup.py's list with it
    assert_bytecode_made(source, venv)


def assert_bytecode_made(source: Path, venv: Path) -> None:
    """`make bytecode` (a step of demo, test and bench) leaves every source a current .pyc,
    even where PYTHONDONTWRITEBYTECODE keeps Python from writing one itself."""
    done = subprocess.run(["make", "-s", f"VENV={venv}", "bytecode"], cwd=source,
                          capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert done.returncode == 0 and done.stdout + done.stderr == "", done.stdout + done.stderr
    sources = [path for folder in ("addons", "docgen", "gwssim")
               for path in (source / folder).rglob("*.py")]
    assert len(sources) > 50
    for path in sources:
        cached = Path(importlib.util.cache_from_source(str(path)))
        header = cached.read_bytes()[:16]
        assert header[:4] == importlib.util.MAGIC_NUMBER, path
        assert int.from_bytes(header[8:12], "little") == int(path.stat().st_mtime), path


def test_chromium_is_installed_without_recommends() -> None:
    recipe = subprocess.run(["make", "-n", "-B", "chromium"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, check=True).stdout
    assert "apt-get install -y -q --no-install-recommends chromium" in recipe


def test_gnu_time_is_installed_for_the_tests_and_the_benchmarks() -> None:
    recipe = subprocess.run(["make", "-n", "-B", "gnutime"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, check=True).stdout
    assert "apt-get install -y -q --no-install-recommends time" in recipe
    for target in ("test", "bench"):
        rule = next(line for line in (ROOT / "Makefile").read_text().splitlines()
                    if line.startswith(f"{target}:"))
        assert "gnutime" in rule.split()
