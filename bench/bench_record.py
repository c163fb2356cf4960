"""Requests/s through `wsdoc record` vs bare `mitmdump` (no addon), same upstream, same run.

    python bench/bench_record.py [--requests 3000] [--clients 8] [--rounds 3]
                                 [--mixes light,json-list]

Two mixes of keep-alive GETs: `light` (small answers, 39 B - 0.6 KB) and `json-list`
(half the answers the 2.7 KB JSON list of users, the other half the light mix). Rounds
alternate bare / wsdoc (sync) / wsdoc (async) so machine drift hits all alike; each figure
is the median of the rounds with the spread (min-max); the ratio uses the medians, and
"p95 added" is the median p95 latency minus bare mitmdump's. The upstream is gwssim on
loopback; each store is a fresh temp file.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import run_load  # noqa: E402
from docgen.cli.processes import run_proxy  # noqa: E402
from gwssim.process import run_gwssim  # noqa: E402

PATHS = ["/api/v2/diagnostics/version", "/api/v2/me", "/api/v2/me/devices?fields=*",
         "/api/v2/users?fields=id,userName"]
JSON_LIST = "/api/v2/users?fields=*"  # 2.7 KB: every user with every field
MIXES = {"light": PATHS,
         "json-list": [path for light in PATHS for path in (JSON_LIST, light)]}
TOOLS = {"bare": ("bare", ()), "wsdoc": ("wsdoc", ()),
         "wsdoc-async": ("wsdoc", ("--durability", "async"))}
AUTH = {"Authorization": "Basic a3NpcHBvOg=="}  # ksippo with the empty password


def measure(tool: str, upstream: str, paths: list[str], requests: int, clients: int,
            extra: tuple[str, ...], folder: Path) -> dict[str, float]:
    store = folder / f"{tool}-{len(list(folder.iterdir()))}.sqlite"
    with run_proxy(upstream, store, *extra, tool=tool) as proxy:
        run_load(proxy.url, paths * 10, clients, AUTH)  # warm-up
        result = run_load(proxy.url, [paths[i % len(paths)] for i in range(requests)],
                          clients, AUTH)
    return result.summary()


def run_mix(upstream: str, paths: list[str], args: argparse.Namespace, folder: Path
            ) -> dict[str, list[dict[str, float]]]:
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in TOOLS}
    for _ in range(args.rounds):
        for name, (tool, extra) in TOOLS.items():
            runs[name].append(measure(tool, upstream, paths, args.requests, args.clients,
                                      extra, folder))
    return runs


def summarise(runs: dict[str, list[dict[str, float]]]) -> dict[str, Any]:
    rps = {name: [r["rps"] for r in results] for name, results in runs.items()}
    p95 = {name: statistics.median(r["p95_ms"] for r in results)
           for name, results in runs.items()}
    medians = {name: statistics.median(values) for name, values in rps.items()}
    return {
        "median_rps": medians, "rps_spread": {n: [min(v), max(v)] for n, v in rps.items()},
        "median_p95_ms": p95,
        "p95_added_ms": {name: p95[name] - p95["bare"] for name in p95 if name != "bare"},
        "ratio_sync_vs_bare": medians["wsdoc"] / medians["bare"],
        "ratio_async_vs_bare": medians["wsdoc-async"] / medians["bare"],
        "errors": {name: sum(r["errors"] for r in results) for name, results in runs.items()},
    }


def table(report: dict[str, Any]) -> str:
    lines = ["| mix | bare rps (min-max) | wsdoc sync rps (min-max) | ratio | p95 added ms | "
             "wsdoc async rps (min-max) | ratio | p95 added ms | errors |",
             "|---|---|---|---|---|---|---|---|---|"]
    for mix, figures in report["mixes"].items():
        cells = [mix, _rps(figures, "bare")]
        for name, ratio in (("wsdoc", "ratio_sync_vs_bare"),
                            ("wsdoc-async", "ratio_async_vs_bare")):
            cells += [_rps(figures, name), f"{figures[ratio]:.3f}",
                      f"{figures['p95_added_ms'][name]:+.1f}"]
        cells.append(str(sum(figures["errors"].values())))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _rps(figures: dict[str, Any], name: str) -> str:
    low, high = figures["rps_spread"][name]
    return f"{figures['median_rps'][name]:.0f} ({low:.0f}-{high:.0f})"


def main() -> dict[str, Any]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mixes", default=",".join(MIXES))
    parser.add_argument("--json", help="also write the report here")
    args = parser.parse_args()
    report: dict[str, Any] = {"requests_per_round": args.requests, "clients": args.clients,
                              "rounds": args.rounds, "mixes": {}}
    with tempfile.TemporaryDirectory() as tmp, run_gwssim("--no-csrf") as upstream:
        for mix in args.mixes.split(","):
            runs = run_mix(upstream, MIXES[mix], args, Path(tmp))
            report["mixes"][mix] = summarise(runs)
            print(json.dumps({mix: report["mixes"][mix]}), flush=True)
    print("\nproxy throughput, wsdoc record vs bare mitmdump (medians of alternating rounds)")
    print(table(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    return report


if __name__ == "__main__":
    main()
