"""The import-linter contracts of `make lint` hold on the tree, and really fail on an
upward import or a cycle (checked on a copy of the packages, so the tree is untouched)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = str(Path(sys.executable).parent / "lint-imports")


def lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([LINT, "--config", str(tree / "pyproject.toml")], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    for package in ("docgen", "addons", "gwssim"):
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def append(path: Path, line: str) -> None:
    path.write_text(path.read_text() + f"\n{line}  # noqa\n")


def test_the_tree_keeps_every_contract(tree: Path) -> None:
    done = lint(tree)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 kept, 0 broken" in done.stdout


def test_an_upward_import_breaks_the_layers(tree: Path) -> None:
    append(tree / "docgen/capture/store.py", "import docgen.publish.openapi")
    done = lint(tree)
    assert done.returncode == 1
    assert "docgen.capture.store -> docgen.publish.openapi" in done.stdout


def test_a_cycle_breaks_the_acyclic_contract(tree: Path) -> None:
    # paths imports distinct; distinct importing paths back is a cycle inside one layer.
    append(tree / "docgen/infer/distinct.py", "import docgen.infer.paths")
    done = lint(tree)
    assert done.returncode == 1
    assert "no import cycles between sibling modules, at any depth BROKEN" in done.stdout


def test_the_addon_may_not_load_genson(tree: Path) -> None:
    append(tree / "docgen/drift/live.py", "import docgen.infer.builder")
    done = lint(tree)
    assert done.returncode == 1
    assert "addons is not allowed to import docgen.infer.builder" in done.stdout
