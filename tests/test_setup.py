"""setup.py's compiled modules are in use and current.

The install compiles them with mypyc; a source edited since would still be shadowed by its
old extension (Python prefers it), so each extension must not be older than its source
(`make` compiles again when one changes). Everything else the suite runs checks that the
compiled code behaves as its Python source did.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def setup_module_list() -> list[str]:
    spec = importlib.util.spec_from_file_location("wsdoc_setup", ROOT / "setup.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # not __main__: reads the list, builds nothing
    return list(module.COMPILED_MODULES)


COMPILED = setup_module_list()


def test_the_list_names_the_capture_wings_hot_modules() -> None:
    assert {"docgen/capture/tnetstring.py", "docgen/capture/redact.py",
            "docgen/capture/rows.py"} <= set(COMPILED)
    assert all((ROOT / source).is_file() for source in COMPILED)


def imported(source: str) -> ModuleType:
    return importlib.import_module(source.removesuffix(".py").replace("/", "."))


@pytest.mark.parametrize("source", COMPILED)
def test_each_module_is_compiled_and_not_older_than_its_source(source: str) -> None:
    # The extension beside the source, by name: mypyc misnames a grouped module's
    # __file__ when another module of its group imported it first.
    assert Path(imported(source).__file__ or "").suffix == ".so", (
        f"{source} is not compiled: run make")
    path = ROOT / source
    extension = path.with_suffix(importlib.machinery.EXTENSION_SUFFIXES[0])
    assert extension.stat().st_mtime >= path.stat().st_mtime, (
        f"{source} changed since it was compiled: run make")
