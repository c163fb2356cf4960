"""Cost of the recorder's live contract check per exchange, as a ratio to parsing the same
exchange's bodies (read_json of request and response): the work the check cannot avoid.

    python bench/bench_livecheck.py [--exchanges 2000] [--rounds 5] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docgen.capture.record import Exchange, read_json  # noqa: E402
from docgen.capture.synthetic import synthetic_traffic  # noqa: E402
from docgen.drift.live import LiveChecker  # noqa: E402
from docgen.pipeline import read_model  # noqa: E402
from docgen.publish.openapi import to_openapi  # noqa: E402


def contract_of(traffic: list[Exchange], folder: Path) -> Path:
    from docgen.capture.store import Store

    store = folder / "contract.sqlite"
    with Store(store) as opened:
        opened.append(traffic)
    path = folder / "contract.json"
    path.write_text(json.dumps(to_openapi(read_model(store))))
    return path


def seconds(work: object, traffic: list[Exchange]) -> float:
    started = time.perf_counter()
    for exchange in traffic:
        work(exchange)  # type: ignore[operator]
    return time.perf_counter() - started


def parse_bodies(exchange: Exchange) -> None:
    read_json(exchange.request_body)
    read_json(exchange.response_body)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--exchanges", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    traffic = list(synthetic_traffic(args.exchanges))
    with tempfile.TemporaryDirectory() as folder:
        checker = LiveChecker(contract_of(traffic, Path(folder)))
    check, parse = [], []
    for _ in range(args.rounds):  # alternate, so load changes hit both alike
        parse.append(seconds(parse_bodies, traffic))
        check.append(seconds(checker.check, traffic))
    per_check = statistics.median(check) / len(traffic) * 1e6
    per_parse = statistics.median(parse) / len(traffic) * 1e6
    report = {"exchanges": args.exchanges, "rounds": args.rounds,
              "check_us": round(per_check, 1), "parse_us": round(per_parse, 1),
              "ratio_check_to_parse": round(per_check / per_parse, 2),
              "check_spread_us": [round(s / len(traffic) * 1e6, 1) for s in check]}
    print(f"live check: {per_check:.0f} us/exchange; parsing its bodies: {per_parse:.0f} us; "
          f"ratio {report['ratio_check_to_parse']}x (rounds {report['check_spread_us']})")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
