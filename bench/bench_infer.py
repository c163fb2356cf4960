"""Benchmark inference: build_model throughput and peak memory at 10k and 100k flows.

    .venv/bin/python bench/bench_infer.py [--sizes 10000,100000] [--workdir DIR] [--json OUT]

For each size a store of synthetic Web Services traffic is written with `Store.append` in
batches, then a fresh subprocess times `build_model` over `store.exchanges()` and reports
flows per second and peak memory: tracemalloc's peak for Python objects allocated during
inference, and the process's peak RSS. Memory is flat when the 100k peak is close to the
10k peak (inference keeps per-endpoint state only).

Comparisons with other tools plug into COMPARATORS (name -> function(store_path, size) ->
dict of metrics). mitmproxy2swagger is measured by bench/bench_m2s.py on these same stores
(each tool in its own process under GNU time, so peak RSS is the tool's own).
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docgen.capture.store import Store  # noqa: E402
from docgen.capture.synthetic import synthetic_traffic  # noqa: E402
from docgen.pipeline import read_model  # noqa: E402

BATCH = 2000
Comparator = Callable[[Path, int], dict[str, Any]]
# Hook: other inference tools measured on the same store, e.g. "mitmproxy2swagger".
COMPARATORS: dict[str, Comparator] = {}


def make_store(path: Path, size: int) -> None:
    """Write `size` synthetic exchanges (skipped when the store already has them)."""
    if path.exists():
        with Store(path, readonly=True) as existing:
            if existing.count() == size:
                return
        path.unlink()
    stream = synthetic_traffic(size)
    with Store(path) as store:
        while batch := list(itertools.islice(stream, BATCH)):
            store.append(batch)


def measure(path: Path, trace: bool) -> dict[str, Any]:
    """Run the pipeline's read_model once over the store (in this process)."""
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    model = read_model(path)
    elapsed = time.perf_counter() - started
    result: dict[str, Any] = {
        "flows": model.exchange_count, "seconds": round(elapsed, 2),
        "flows_per_s": round(model.exchange_count / elapsed),
        "endpoints": len(model.endpoints),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if trace:
        result["traced_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    return result


def in_subprocess(path: Path, trace: bool) -> dict[str, Any]:
    command = [sys.executable, __file__, "--measure", str(path)] + (["--trace"] if trace else [])
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(output))


def run(sizes: list[int], workdir: Path) -> list[dict[str, Any]]:
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for size in sizes:
        path = workdir / f"bench-{size}.sqlite"
        make_store(path, size)
        timed = in_subprocess(path, trace=False)
        traced = in_subprocess(path, trace=True)
        row = {**timed, "traced_peak_mb": traced["traced_peak_mb"]}
        for name, comparator in COMPARATORS.items():
            row[name] = comparator(path, size)
        results.append(row)
        print(json.dumps(row), flush=True)
    if len(results) > 1:
        ratio = results[-1]["traced_peak_mb"] / max(results[0]["traced_peak_mb"], 0.1)
        print(f"traced peak memory {results[-1]['flows']} vs {results[0]['flows']} flows: "
              f"x{ratio:.2f} (flat means close to 1)")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--workdir", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure), args.trace)))
        return
    results = run([int(s) for s in args.sizes.split(",")], Path(args.workdir))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
