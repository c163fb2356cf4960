"""Flow file -> OpenAPI: `wsdoc import` + `wsdoc openapi` vs mitmproxy2swagger's two passes.

    .venv/bin/python bench/bench_import.py [--sizes 10000,100000] [--rounds 3]
                                           [--budget 900] [--workdir DIR] [--json OUT]

The same mitmproxy flow file of synthetic gwssim traffic (bench_m2s.write_flows) goes
through both tools, each command in its own process under GNU time (wall, CPU of the
process and its workers, peak RSS): wsdoc imports into a fresh store, then writes the
OpenAPI document; mitmproxy2swagger runs pass 1, enables every template it proposed, and
runs pass 2 (bench_m2s.run_m2s). Rounds alternate wsdoc / mitmproxy2swagger so load from
elsewhere on the machine hits both; each figure is the median of the rounds, with the
spread (min-max). The real-capture corpus (tests/corpus/) gets one row when present: each
round runs each tool over every capture in it, and the row sums them.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import bench_infer, bench_m2s  # noqa: E402
from docgen.capture.importer import detect_format  # noqa: E402
from docgen.capture.store import Store  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"
WSDOC = str(Path(sys.executable).parent / "wsdoc")
ENDPOINTS_RE = re.compile(r": (\d+) endpoints")


def measured_or_failed(command: list[str], budget: float, cwd: Path) -> dict[str, Any]:
    """bench_m2s.run_measured, with a failing command as a status instead of an exception."""
    try:
        return bench_m2s.run_measured(command, budget, cwd)
    except RuntimeError as exc:
        return {"status": f"failed: {str(exc)[:200]}"}


def run_wsdoc(capture: Path, tag: str, budget: float) -> dict[str, Any]:
    """`wsdoc import` into a fresh store, then `wsdoc openapi`: summed time, max RSS."""
    store = capture.with_name(f"wsdoc-{tag}.sqlite")
    for stale in capture.parent.glob(store.name + "*"):
        stale.unlink()
    steps = [[WSDOC, "import", str(capture), "--store", str(store)],
             [WSDOC, "openapi", "--store", str(store), "-o", str(store.with_suffix(".yaml"))]]
    measured = [measured_or_failed(step, budget, capture.parent) for step in steps]
    failed = next((m["status"] for m in measured if m["status"] != "ok"), None)
    if failed:
        return {"status": failed}
    found = ENDPOINTS_RE.search(measured[1]["stdout"])
    return {"status": "ok", "seconds": sum(m["seconds"] for m in measured),
            "import_seconds": measured[0]["seconds"],
            "cpu_seconds": sum(m["cpu_seconds"] for m in measured),
            "peak_rss_mb": max(m["peak_rss_mb"] for m in measured),
            "endpoints": int(found.group(1)) if found else None}


def run_m2s(capture: Path, tag: str, prefix: str, budget: float) -> dict[str, Any]:
    try:
        result = bench_m2s.run_m2s(capture, tag, budget, prefix=prefix,
                                   file_format=_m2s_format(capture))
    except RuntimeError as exc:  # mitmproxy2swagger failed on this capture
        return {"status": f"failed: {str(exc)[:200]}"}
    if result["status"] == "ok":
        result["endpoints"] = len(result["endpoints"])
    return result


def _m2s_format(capture: Path) -> str:
    return "har" if detect_format(capture) == "har" else "flow"


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median and spread of the rounds that finished."""
    done = [run for run in runs if run["status"] == "ok"]
    if not done:
        return {"status": runs[-1]["status"] if runs else "not run"}
    seconds = [run["seconds"] for run in done]
    return {"status": "ok", "rounds": len(done), "median_s": round(statistics.median(seconds), 2),
            "min_s": min(seconds), "max_s": max(seconds),
            "median_cpu_s": round(statistics.median(r["cpu_seconds"] for r in done), 2),
            "peak_rss_mb": max(run["peak_rss_mb"] for run in done),
            "endpoints": done[-1].get("endpoints"), "runs": runs}


Capture = tuple[Path, str, str]  # file, tag, the API prefix mitmproxy2swagger is given


def total(results: list[dict[str, Any]]) -> dict[str, Any]:
    """One round over several captures: summed times and endpoints, the largest RSS."""
    failed = next((r["status"] for r in results if r["status"] != "ok"), None)
    if failed:
        return {"status": failed}
    return {"status": "ok", "seconds": round(sum(r["seconds"] for r in results), 2),
            "cpu_seconds": round(sum(r["cpu_seconds"] for r in results), 2),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in results),
            "endpoints": sum(r.get("endpoints") or 0 for r in results)}


def compare(captures: list[Capture], label: str, rounds: int, budget: float
            ) -> dict[str, Any]:
    """Alternating rounds: wsdoc over every capture, then mitmproxy2swagger over them."""
    wsdoc_runs, m2s_runs = [], []
    for _ in range(rounds):
        wsdoc_runs.append(total([run_wsdoc(path, tag, budget) for path, tag, _ in captures]))
        m2s_runs.append(total([run_m2s(path, tag, prefix, budget)
                               for path, tag, prefix in captures]))
    row: dict[str, Any] = {
        "capture": label, "mb": round(sum(path.stat().st_size for path, _, _ in captures)
                                      / 2**20, 1),
        "wsdoc": summary(wsdoc_runs), "mitmproxy2swagger": summary(m2s_runs)}
    if row["wsdoc"]["status"] == row["mitmproxy2swagger"]["status"] == "ok":
        row["ratio"] = round(row["mitmproxy2swagger"]["median_s"] / row["wsdoc"]["median_s"], 1)
        row["cpu_ratio"] = round(row["mitmproxy2swagger"]["median_cpu_s"]
                                 / max(row["wsdoc"]["median_cpu_s"], 0.01), 1)
    return row


CAPTURE_SUFFIXES = (".har", ".mitm", ".flows")


def corpus_captures() -> list[Path]:
    """The HAR and flow files under tests/corpus/."""
    if not CORPUS.is_dir():
        return []
    return sorted(path for path in CORPUS.rglob("*")
                  if path.is_file() and path.suffix.lower() in CAPTURE_SUFFIXES)


def main_origin(store_path: Path) -> str:
    with Store(store_path, readonly=True) as store:
        origins = Counter(ex.origin for ex in store.exchanges())
    return origins.most_common(1)[0][0] if origins else "http://localhost"


def corpus_row(rounds: int, budget: float, workdir: Path) -> dict[str, Any]:
    """One row for the whole corpus. An untimed first pass finds each capture's main
    origin (mitmproxy2swagger's prefix) and leaves out, by name, captures either tool
    fails on."""
    captures, left_out = [], []
    for index, capture in enumerate(corpus_captures()):
        tag = f"corpus-{index}"
        local = workdir / f"{tag}{capture.suffix}"
        local.write_bytes(capture.read_bytes())
        probe = run_wsdoc(local, tag, budget)
        prefix = (main_origin(local.with_name(f"wsdoc-{tag}.sqlite"))
                  if probe["status"] == "ok" else "")
        if probe["status"] != "ok" or run_m2s(local, tag, prefix, budget)["status"] != "ok":
            left_out.append(capture.name)
            continue
        captures.append((local, tag, prefix))
    row = compare(captures, f"tests/corpus ({len(captures)} captures)", rounds, budget)
    row["left_out"] = left_out
    return row


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| capture | MB | wsdoc import+openapi s (min-max) | mitmproxy2swagger 2 passes s "
             "(min-max) | ratio (wall) | ratio (CPU) | peak RSS MB wsdoc / m2s | endpoints "
             "wsdoc / m2s |", "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        if "wsdoc" not in row:
            lines.append(f"| {row['capture']} | | {row.get('status')} | | | | | |")
            continue
        w, m = row["wsdoc"], row["mitmproxy2swagger"]
        lines.append(
            f"| {row['capture']} | {row['mb']} | {_cell(w)} | {_cell(m)} | "
            f"{row.get('ratio', '-')}x | {row.get('cpu_ratio', '-')}x | "
            f"{w.get('peak_rss_mb', '-')} / {m.get('peak_rss_mb', '-')} | "
            f"{w.get('endpoints', '-')} / {m.get('endpoints', '-')} |")
    return "\n".join(lines)


def _cell(figures: dict[str, Any]) -> str:
    if figures["status"] != "ok":
        return str(figures["status"])
    return (f"{figures['median_s']} ({figures['min_s']}-{figures['max_s']}, "
            f"{figures['rounds']} rounds)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--budget", type=float, default=900.0,
                        help="seconds per measured process (each pass of each tool)")
    parser.add_argument("--workdir", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--json", help="also write the report here")
    args = parser.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    bench_m2s.ensure_m2s()
    rows = []
    for size in (int(text) for text in args.sizes.split(",") if text):
        store = workdir / f"bench-{size}.sqlite"
        bench_infer.make_store(store, size)
        flows = store.with_suffix(".mitm")
        bench_m2s.write_flows(store, flows)
        rows.append(compare([(flows, f"gwssim-{size}", bench_m2s.API_PREFIX)],
                            f"gwssim {size} flows", args.rounds, args.budget))
        print(json.dumps({k: v for k, v in rows[-1].items()}, default=str)[:2000], flush=True)
    if corpus_captures():
        rows.append(corpus_row(args.rounds, args.budget, workdir))
    else:
        print(f"corpus row skipped: no HAR or flow files under {CORPUS.relative_to(ROOT)}/ "
              "on this branch (the real-capture corpus is being added separately)")
    print("\nflow file -> OpenAPI, wsdoc vs mitmproxy2swagger (medians of alternating rounds)")
    print(table(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2, default=str))


if __name__ == "__main__":
    main()
