"""`wsdoc import` loads only what an import needs; `wsdoc openapi` no site modules, and
neither loads at start-up the standard modules only some runs need (a few ms each)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

# Runs a command in a fresh interpreter, then names the heavy modules it loaded.
PROBE = """
import sys
from docgen.cli import main
try:
    main(sys.argv[2:], standalone_mode=False)
finally:
    loaded = [name for name in sys.modules if name.startswith(tuple(sys.argv[1].split()))]
    print("LOADED", sorted(loaded))
"""
HEAVY = "docgen.infer.builder docgen.publish mkdocs aiohttp gwssim"
# statistics (with random, fractions, decimal) for notification delays, tomllib for a
# config file, http.cookies for Cookie headers, textwrap for the endpoints table, OpenSSL's
# hashlib (rows hash with _blake2), PyYAML for YAML output
ON_DEMAND = "statistics tomllib http.cookies textwrap _hashlib yaml"


def loaded_by(*args: str, modules: str = HEAVY, cwd: Path | None = None) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE, modules, *args], capture_output=True,
                          text=True, timeout=120, check=True, cwd=cwd)
    return done.stdout.rsplit("LOADED ", 1)[1].strip()


def test_import_loads_no_inference_site_or_simulator(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    assert loaded_by("import", str(CORPUS / "jsonplaceholder-pollyjs.har"),
                     "--store", str(store)) == "[]"
    assert store.is_file()


def test_openapi_loads_no_site_modules(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    loaded_by("import", str(CORPUS / "jsonplaceholder-pollyjs.har"), "--store", str(store))
    loaded = loaded_by("openapi", "--store", str(store), "-o", str(tmp_path / "o.yaml"))
    assert "docgen.publish.openapi" in loaded
    assert "docgen.publish.site" not in loaded
    assert (tmp_path / "o.yaml").read_text().startswith("openapi: 3.1")


def test_openapi_loads_standard_modules_only_on_demand(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    loaded_by("import", str(CORPUS / "jsonplaceholder-pollyjs.har"), "--store", str(store))
    as_json = tmp_path / "o.json"  # run where no config file is found (this checkout's
    # pyproject.toml would be read for a [tool.wsdoc] table)
    assert loaded_by("openapi", "--store", str(store), "-o", str(as_json),
                     modules=ON_DEMAND, cwd=tmp_path) == "[]"
    assert "'yaml'" in loaded_by("openapi", "--store", str(store), "-o",
                                 str(tmp_path / "o.yaml"), modules=ON_DEMAND, cwd=tmp_path)
    assert as_json.read_text().startswith('{\n  "openapi": "3.1')
