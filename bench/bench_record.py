"""Requests/s through `wsdoc record` vs bare `mitmdump` (no addon), same upstream, same run.

    python bench/bench_record.py [--requests 3000] [--clients 8] [--rounds 3]

Rounds alternate bare / wsdoc so machine drift hits both alike; the ratio uses the
median of each. The upstream is gwssim on loopback; the store is a fresh temp file.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import run_load  # noqa: E402
from bench.report import emit  # noqa: E402
from docgen.cli.processes import run_proxy  # noqa: E402
from gwssim.process import run_gwssim  # noqa: E402

PATHS = ["/api/v2/diagnostics/version", "/api/v2/me", "/api/v2/me/devices?fields=*",
         "/api/v2/users?fields=id,userName"]
AUTH = {"Authorization": "Basic a3NpcHBvOg=="}  # ksippo with the empty password


def measure(tool: str, upstream: str, requests: int, clients: int, extra: tuple[str, ...],
            folder: Path) -> dict[str, float]:
    store = folder / f"{tool}-{len(list(folder.iterdir()))}.sqlite"
    with run_proxy(upstream, store, *extra, tool=tool) as proxy:
        run_load(proxy.url, PATHS * 10, clients, AUTH)  # warm-up
        result = run_load(proxy.url, [PATHS[i % len(PATHS)] for i in range(requests)],
                          clients, AUTH)
    return result.summary()


def main() -> dict[str, object]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", help="also write the report here")
    args = parser.parse_args()
    runs: dict[str, list[dict[str, float]]] = {"bare": [], "wsdoc": [], "wsdoc-async": []}
    with tempfile.TemporaryDirectory() as tmp, run_gwssim("--no-csrf") as upstream:
        for _ in range(args.rounds):
            runs["bare"].append(measure("bare", upstream, args.requests, args.clients, (),
                                        Path(tmp)))
            runs["wsdoc"].append(measure("wsdoc", upstream, args.requests, args.clients, (),
                                         Path(tmp)))
            runs["wsdoc-async"].append(measure("wsdoc", upstream, args.requests, args.clients,
                                               ("--durability", "async"), Path(tmp)))
    medians = {name: statistics.median(r["rps"] for r in results)
               for name, results in runs.items()}
    p95 = {name: statistics.median(r["p95_ms"] for r in results)
           for name, results in runs.items()}
    report = {
        "requests_per_round": args.requests, "clients": args.clients, "rounds": args.rounds,
        "median_rps": medians, "median_p95_ms": p95,
        "ratio_sync_vs_bare": medians["wsdoc"] / medians["bare"],
        "ratio_async_vs_bare": medians["wsdoc-async"] / medians["bare"],
        "errors": {name: sum(r["errors"] for r in results) for name, results in runs.items()},
    }
    return emit(report, args.json)


if __name__ == "__main__":
    main()
