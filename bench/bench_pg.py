"""A team's store: 4 `wsdoc record` processes into one PostgreSQL database vs the baseline of
1 recorder into a SQLite file (and, to tell the engine's cost from the fan-out, 1 recorder
into PostgreSQL), same gwssim upstream, same total clients and requests, same run.

    python bench/bench_pg.py [--requests 2000] [--clients 8] [--rounds 3]

Rounds alternate the setups so machine drift hits all alike; the report gives the median
requests/s and p95 of each and the ratios to the SQLite baseline. Sync durability (the
default): every response waits for its record's commit. On a shared 2-core machine four
recorders compete with the server, the load generator and each other for CPU, so the
fan-out shows what one database costs, not what four machines would gain.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_record import AUTH, PATHS  # noqa: E402
from bench.load import run_load_many  # noqa: E402
from bench.report import emit  # noqa: E402
from docgen.capture.pgserver import PgServer, missing_reason, run_postgres  # noqa: E402
from docgen.capture.store import Store  # noqa: E402
from docgen.cli.processes import run_proxy  # noqa: E402
from gwssim.process import run_gwssim  # noqa: E402

SETUPS = {"sqlite-1": ("sqlite", 1), "postgresql-1": ("postgresql", 1),
          "postgresql-4": ("postgresql", 4)}


def measure(setup: str, upstream: str, server: PgServer, folder: Path, requests: int,
            clients: int) -> dict[str, float]:
    engine, recorders = SETUPS[setup]
    number = len(list(folder.iterdir()))
    store = (str(folder / f"s{number}.sqlite") if engine == "sqlite"
             else server.database(f"bench{number}"))
    with ExitStack() as stack:
        urls = [stack.enter_context(run_proxy(
            upstream, store, "--recorder", f"r{index}",
            log_path=folder / f"{number}-r{index}.log")).url for index in range(recorders)]
        run_load_many(urls, PATHS * 10, clients, AUTH)  # warm-up
        result = run_load_many(urls, [PATHS[i % len(PATHS)] for i in range(requests)],
                               clients, AUTH)
    with Store(store, readonly=True) as written:
        stored = written.count()
    summary = result.summary()
    summary["stored"] = stored
    return summary


def main() -> dict[str, object]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", help="also write the report here")
    args = parser.parse_args()
    if reason := missing_reason():
        raise SystemExit(f"bench_pg: {reason}")
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in SETUPS}
    with tempfile.TemporaryDirectory() as tmp, run_gwssim("--no-csrf") as upstream, \
            run_postgres() as server:
        for _ in range(args.rounds):
            for name in SETUPS:
                runs[name].append(measure(name, upstream, server, Path(tmp), args.requests,
                                          args.clients))
    rps = {name: statistics.median(r["rps"] for r in results) for name, results in runs.items()}
    p95 = {name: statistics.median(r["p95_ms"] for r in results)
           for name, results in runs.items()}
    report = {
        "requests_per_round": args.requests, "clients": args.clients, "rounds": args.rounds,
        "median_rps": rps, "median_p95_ms": p95,
        "ratio_rps_vs_sqlite": {name: rps[name] / rps["sqlite-1"] for name in SETUPS},
        "ratio_p95_vs_sqlite": {name: p95[name] / p95["sqlite-1"] for name in SETUPS},
        "rps_each_round": {name: [round(r["rps"]) for r in results]
                           for name, results in runs.items()},
        "errors": {name: sum(r["errors"] for r in results) for name, results in runs.items()},
        # Warm-up included: every answered request is in the store.
        "stored_each_round": {name: [r["stored"] for r in results]
                              for name, results in runs.items()},
    }
    return emit(report, args.json)


if __name__ == "__main__":
    main()
