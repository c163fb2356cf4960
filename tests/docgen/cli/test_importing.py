"""`wsdoc import` loads only what an import needs; `wsdoc openapi` no site modules."""

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
    main(sys.argv[1:], standalone_mode=False)
finally:
    loaded = [name for name in sys.modules if name.startswith(("docgen.infer.builder",
              "docgen.publish", "mkdocs", "aiohttp", "gwssim"))]
    print("LOADED", sorted(loaded))
"""


def loaded_by(*args: str) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True,
                          text=True, timeout=120, check=True)
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
