"""Requests/s through `wsdoc record` vs bare `mitmdump` (no addon), same upstream, same run.

    python bench/bench_record.py [--requests 1500] [--clients 8] [--rounds 15]
                                 [--mixes light,json-list]

Bare mitmdump runs with `flow_detail=0` (no line per flow, like `wsdoc record`). Two
mixes of keep-alive GETs: `light` (small answers, 39 B - 0.6 KB) and `json-list`
(half the answers the 2.7 KB JSON list of users, the other half the light mix). The three
proxies (bare, wsdoc sync, wsdoc async) start once per mix and stay up; each round sends
one burst of `--requests` to each, in a rotating order, so machine drift hits all alike.
Each rps figure is the median of the rounds with the spread (min-max); each ratio is the
median of the rounds' own ratios (bursts seconds apart), with their spread (single bursts
on a shared two-core machine range from 0.7 to 1.2 of bare, hence 15 rounds); "p95 added"
is the median p95 latency minus bare mitmdump's. The upstream is gwssim on loopback; each
store is a fresh temp file.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import run_load  # noqa: E402
from bench.proc_cpu import cpu_split  # noqa: E402
from docgen.cli.processes import run_proxy  # noqa: E402
from gwssim.process import run_gwssim  # noqa: E402

PATHS = ["/api/v2/diagnostics/version", "/api/v2/me", "/api/v2/me/devices?fields=*",
         "/api/v2/users?fields=id,userName"]
JSON_LIST = "/api/v2/users?fields=*"  # 2.7 KB: every user with every field
MIXES = {"light": PATHS,
         "json-list": [path for light in PATHS for path in (JSON_LIST, light)]}
# The baseline prints no line per flow, as `wsdoc record` does not: mitmdump's default
# flow log costs it about 5 % on the light mix, which would flatter wsdoc.
TOOLS = {"bare": ("bare", ("--set", "flow_detail=0")), "wsdoc": ("wsdoc", ()),
         "wsdoc-async": ("wsdoc", ("--durability", "async"))}
AUTH = {"Authorization": "Basic a3NpcHBvOg=="}  # ksippo with the empty password


def run_mix(upstream: str, paths: list[str], args: argparse.Namespace, folder: Path
            ) -> dict[str, list[dict[str, float]]]:
    """Short alternating bursts against proxies that all stay up: a round is one burst
    per tool, in a rotating order, so the two sides of each round's ratio ran seconds
    apart. (A shared two-core machine drifts by 10-20 % over a minute; whole runs per
    tool, each with its own proxy start, left that drift in the ratios.)"""
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in TOOLS}
    with ExitStack() as stack:
        proxies = {}
        for name, (tool, extra) in TOOLS.items():
            proxy = stack.enter_context(run_proxy(upstream, folder / f"{name}.sqlite", *extra,
                                                  tool=tool))
            run_load(proxy.url, paths * 20, args.clients, AUTH)  # warm-up
            proxies[name] = proxy
        burst = [paths[i % len(paths)] for i in range(args.requests)]
        names = list(TOOLS)
        for index in range(args.rounds):
            for name in names[index % len(names):] + names[:index % len(names)]:
                runs[name].append(measured_burst(proxies[name].url, proxies[name].proc.pid,
                                                 burst, args.clients))
    return runs


def measured_burst(url: str, pid: int, burst: list[str], clients: int) -> dict[str, Any]:
    """One burst's figures, with the CPU milliseconds a request cost the proxy process
    (`proxy_cpu_ms`) and its children, the store's writer (`child_cpu_ms`), while the
    process is there."""
    before = cpu_split(pid)
    figures: dict[str, Any] = run_load(url, burst, clients, AUTH).summary()
    after = cpu_split(pid)
    if before is not None and after is not None:
        figures["proxy_cpu_ms"] = (after[0] - before[0]) * 1000 / len(burst)
        figures["child_cpu_ms"] = (after[1] - before[1]) * 1000 / len(burst)
    return figures


def summarise(runs: dict[str, list[dict[str, float]]]) -> dict[str, Any]:
    rps = {name: [r["rps"] for r in results] for name, results in runs.items()}
    p95 = {name: statistics.median(r["p95_ms"] for r in results)
           for name, results in runs.items()}
    medians = {name: statistics.median(values) for name, values in rps.items()}
    return {
        "median_rps": medians, "rps_spread": {n: [min(v), max(v)] for n, v in rps.items()},
        "median_p95_ms": p95,
        "p95_added_ms": {name: p95[name] - p95["bare"] for name in p95 if name != "bare"},
        "ratio_sync_vs_bare": paired_ratio(rps["wsdoc"], rps["bare"]),
        "ratio_async_vs_bare": paired_ratio(rps["wsdoc-async"], rps["bare"]),
        "errors": {name: sum(r["errors"] for r in results) for name, results in runs.items()},
        "cpu_ms_per_request": {name: _cpu(results) for name, results in runs.items()},
    }


def _cpu(results: list[dict[str, Any]]) -> dict[str, float] | None:
    """Median CPU milliseconds a request, of the proxy process and of its children."""
    if not all("proxy_cpu_ms" in r for r in results):
        return None
    return {part: statistics.median(r[f"{part}_cpu_ms"] for r in results)
            for part in ("proxy", "child")}


def paired_ratio(tool: list[float], bare: list[float]) -> dict[str, float]:
    """The median of the rounds' ratios, and their spread."""
    ratios = [mine / theirs for mine, theirs in zip(tool, bare, strict=True)]
    return {"median": statistics.median(ratios), "min": min(ratios), "max": max(ratios)}


def table(report: dict[str, Any]) -> str:
    lines = ["| mix | bare rps (min-max) | wsdoc sync rps (min-max) | ratio (min-max) | "
             "p95 added ms | wsdoc async rps (min-max) | ratio (min-max) | p95 added ms | "
             "errors |",
             "|---|---|---|---|---|---|---|---|---|"]
    for mix, figures in report["mixes"].items():
        cells = [mix, _rps(figures, "bare")]
        for name, ratio in (("wsdoc", "ratio_sync_vs_bare"),
                            ("wsdoc-async", "ratio_async_vs_bare")):
            paired = figures[ratio]
            cells += [_rps(figures, name),
                      f"{paired['median']:.3f} ({paired['min']:.2f}-{paired['max']:.2f})",
                      f"{figures['p95_added_ms'][name]:+.1f}"]
        cells.append(str(sum(figures["errors"].values())))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def cpu_table(report: dict[str, Any]) -> str:
    """CPU ms a request: the proxy process + its writer child (medians of the rounds)."""
    lines = ["| mix | bare mitmdump | wsdoc sync: proxy + writer | wsdoc async: proxy + writer |",
             "|---|---|---|---|"]
    for mix, figures in report["mixes"].items():
        cells = [mix]
        for name in TOOLS:
            cpu = figures.get("cpu_ms_per_request", {}).get(name)  # older reports lack it
            cells.append("n/a" if cpu is None else f"{cpu['proxy']:.3f}" if name == "bare"
                         else f"{cpu['proxy']:.3f} + {cpu['child']:.3f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _rps(figures: dict[str, Any], name: str) -> str:
    low, high = figures["rps_spread"][name]
    return f"{figures['median_rps'][name]:.0f} ({low:.0f}-{high:.0f})"


def main() -> dict[str, Any]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1500, help="per burst")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=15)
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
    print("\nproxy throughput, wsdoc record vs bare mitmdump (medians of rounds of "
          "alternating bursts; ratio: the median of the rounds' own ratios)")
    print(table(report))
    print("\nCPU ms a request (medians of the rounds; steadier than requests a second on a "
          "shared machine)")
    print(cpu_table(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    return report


if __name__ == "__main__":
    main()
