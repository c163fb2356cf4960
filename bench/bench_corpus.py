"""The real-capture corpus (tests/corpus/) through wsdoc and through mitmproxy2swagger.

    .venv/bin/python bench/bench_corpus.py [--json OUT]

Per capture, both tools' endpoint templates are scored against the hand-written truth
(bench/corpus_score.py: modulo parameter names): truth, found, right, wrong, missing and
literal ids left in templates, side by side.

* wsdoc: the capture is read by `wsdoc import`'s HAR reader, redacted, and inferred with
  the generic profile (as `wsdoc import x.har && wsdoc openapi` would).
* mitmproxy2swagger (PyPI, its own venv bench/.m2s-venv, created on demand): per host of
  the capture, pass 1 `-i HAR -o spec.yaml -p PREFIX -r ID_REGEX -s -f har`, every
  `ignore:` template enabled, pass 2 the same. Its `-r` gets the id shapes wsdoc's generic
  profile knows, so both tools start from the same knowledge of ids; its API prefix is
  the host and the base path every request and truth template of that host share
  (`https://…/1.1`, `…/rest/api/3`), as its README asks for.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_m2s import enable_templates, ensure_m2s  # noqa: E402
from bench.corpus_score import (  # noqa: E402
    Endpoint,
    Score,
    captures,
    host_of,
    normalise,
    read_truth,
    score,
)
from docgen.capture.importer import read_har  # noqa: E402
from docgen.capture.redact import Redactor  # noqa: E402
from docgen.infer.builder import build_model  # noqa: E402
from docgen.infer.config import Config  # noqa: E402
from docgen.infer.profile import GENERIC_SHAPES  # noqa: E402

# Anchored: mitmproxy2swagger searches the regex in a segment (`\d+` would match `1.1`).
ID_REGEX = "^(?:" + "|".join(shape.pattern.pattern for shape in GENERIC_SHAPES) + ")$"
M2S_TIMEOUT_S = 300


def wsdoc_endpoints(har: Path) -> set[Endpoint]:
    redactor = Redactor()
    model = build_model([redactor.redact(ex) for ex in read_har(har)],
                        Config(profile_name="generic"))
    return {(e.method, host_of(e.host), normalise(e.template)) for e in model.endpoints}


def _origins(har: Path) -> dict[str, list[list[str]]]:
    """origin -> the segments of every request path sent there."""
    document = json.loads(har.read_text(encoding="utf-8"))
    found: dict[str, list[list[str]]] = {}
    for entry in document["log"]["entries"]:
        url = urlsplit(entry["request"]["url"])
        segments = [s for s in url.path.split("/") if s]
        found.setdefault(f"{url.scheme}://{url.netloc}", []).append(segments)
    return dict(sorted(found.items()))


def base_path(paths: list[list[str]], templates: list[str]) -> str:
    """The leading segments all requests share and every truth template keeps literal,
    short of the shortest path (an endpoint at the prefix itself would be lost)."""
    common: list[str] = []
    shortest = min(len(path) for path in paths) - 1  # a prefix, never a whole path
    for parts in zip(*paths, *(t.split("/")[1:] for t in templates), strict=False):
        if len(common) >= shortest:
            break
        if len(set(parts)) != 1 or parts[0] == "{}":
            break
        common.append(parts[0])
    return "".join(f"/{segment}" for segment in common)


def m2s_endpoints(har: Path, truth: set[Endpoint], workdir: Path) -> set[Endpoint]:
    """Both passes of mitmproxy2swagger, once per host (it takes one API prefix)."""
    import yaml

    executable = ensure_m2s()
    origins = _origins(har)
    found: set[Endpoint] = set()
    for index, (origin, paths) in enumerate(origins.items()):
        hostname = urlsplit(origin).hostname or ""
        base = base_path(paths, [t for _, h, t in truth if h in ("", hostname)])
        spec = workdir / f"{har.stem}-{index}.yaml"
        command = [str(executable), "-i", str(har), "-o", str(spec), "-p", origin + base,
                   "-r", ID_REGEX, "-s", "-f", "har"]
        for number in (1, 2):
            subprocess.run(command, check=True, capture_output=True, timeout=M2S_TIMEOUT_S)
            if number == 1:
                enable_templates(spec)
        document = yaml.safe_load(spec.read_text()) or {}
        host = hostname if len(origins) > 1 else ""
        for path, item in (document.get("paths") or {}).items():
            found |= {(method.upper(), host, normalise(base + path)) for method in item}
    return found


def row(har: Path, tool: str, result: Score) -> dict[str, Any]:
    return {"capture": har.stem, "tool": tool, "truth": result.truth, "found": result.found,
            "right": result.right, "wrong": len(result.wrong), "missing": len(result.missing),
            "literal_ids": len(result.literal_ids),
            "wrong_endpoints": [" ".join(filter(None, e)) for e in result.wrong],
            "missing_endpoints": [" ".join(filter(None, e)) for e in result.missing]}


def measure() -> list[dict[str, Any]]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="wsdoc-corpus-") as directory:
        for har in captures():
            truth = read_truth(har)
            rows.append(row(har, "wsdoc", score(truth, wsdoc_endpoints(har))))
            found = m2s_endpoints(har, truth, Path(directory))
            rows.append(row(har, "m2s", score(truth, found)))
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    columns = ("truth", "found", "right", "wrong", "missing", "literal_ids")
    lines = ["capture | " + " | ".join(f"wsdoc {c}" for c in columns) + " | "
             + " | ".join(f"m2s {c}" for c in columns)]
    by_capture: dict[str, dict[str, dict[str, Any]]] = {}
    for found in rows:
        by_capture.setdefault(found["capture"], {})[found["tool"]] = found
    totals = {tool: dict.fromkeys(columns, 0) for tool in ("wsdoc", "m2s")}
    for capture, tools in by_capture.items():
        cells = [str(tools[tool][c]) for tool in ("wsdoc", "m2s") for c in columns]
        lines.append(f"{capture} | " + " | ".join(cells))
        for tool in ("wsdoc", "m2s"):
            for column in columns:
                totals[tool][column] += tools[tool][column]
    lines.append("TOTAL | " + " | ".join(str(totals[t][c]) for t in ("wsdoc", "m2s")
                                          for c in columns))
    for tool in ("wsdoc", "m2s"):
        total = totals[tool]
        precision = total["right"] / total["found"] if total["found"] else 0.0
        recall = total["right"] / total["truth"] if total["truth"] else 0.0
        lines.append(f"{tool}: precision {precision:.2f}, recall {recall:.2f}, "
                     f"literal ids {total['literal_ids']}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    args = parser.parse_args()
    rows = measure()
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
