"""Simulation for docs/SCALING.md: R recorders ship per-recorder summaries (a pickled
`ModelBuilder` each) instead of raw flows; one central step merges them.

    python bench/sim_summaries.py [--recorders 8] [--sizes 2000,8000,32000]

For each traffic size, the same synthetic GWS traffic is dealt to R recorders (each a
stretch of it) and inferred two ways:
- central: one builder over every raw flow (what one shared database gives);
- summaries: one builder per recorder, shipped as bytes, merged centrally.
It reports bytes shipped (raw records as stored vs summaries), inference time (central vs
the slowest recorder plus the merge), and what differs in the OpenAPI document: byte for
byte, with examples set aside (examples are "the first k met", so they depend on which
recorder's come first), and with notifications set aside too. It also checks that the
merge is associative (two bracketings of the same order give the same bytes).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.report import emit  # noqa: E402
from docgen.capture.record import Exchange  # noqa: E402
from docgen.capture.store import to_row  # noqa: E402
from docgen.capture.synthetic import synthetic_traffic  # noqa: E402
from docgen.infer.builder import ModelBuilder, build_model  # noqa: E402
from docgen.infer.summary import dump_summary, load_summary, merge_builders  # noqa: E402
from docgen.publish.openapi import dumps, to_openapi  # noqa: E402

EXAMPLE_KEYS = ("examples", "example", "x-examples")
# Notifications are correlated with the operations before them within a time window, from
# the raw sequence: summaries do not carry that (see docgen.infer.summary).
NOTIFICATION_KEYS = ("x-wsdoc-events", "x-wsdoc-notifications")


def without(value: Any, keys: tuple[str, ...]) -> Any:
    """The document without those keys anywhere, enums sorted (their order is the order
    values were first met)."""
    if isinstance(value, dict):
        cleaned = {k: without(v, keys) for k, v in value.items() if k not in keys}
        if isinstance(cleaned.get("enum"), list):
            cleaned["enum"] = sorted(cleaned["enum"], key=repr)
        return cleaned
    if isinstance(value, list):
        return [without(item, keys) for item in value]
    return value


def raw_bytes(exchange: Exchange) -> int:
    """What shipping the record costs: its stored fields (bodies, headers as JSON text)."""
    return sum(len(v) if isinstance(v, bytes | str) else 8 for v in to_row(exchange))


def deal(traffic: list[Exchange], recorders: int) -> list[list[Exchange]]:
    """Each recorder gets its own stretch of the traffic (as teams recording at different
    times would), in order."""
    shares: list[list[Exchange]] = [[] for _ in range(recorders)]
    for index, exchange in enumerate(traffic):
        shares[index * recorders // len(traffic)].append(exchange)
    return [share for share in shares if share]


def summarise(share: list[Exchange]) -> tuple[bytes, float]:
    started = time.perf_counter()
    builder = ModelBuilder()
    for exchange in share:
        builder.add(exchange)
    return dump_summary(builder), time.perf_counter() - started


def merged_document(blobs: list[bytes], right_first: bool = False) -> tuple[str, float]:
    started = time.perf_counter()
    builders = [load_summary(blob) for blob in blobs]
    if right_first:  # a + (b + (c + ...)): the other bracketing of the same order
        merged = builders[-1]
        for builder in reversed(builders[:-1]):
            merged = merge_builders(builder, merged)
    else:
        merged = builders[0]
        for builder in builders[1:]:
            merged = merge_builders(merged, builder)
    document = dumps(to_openapi(merged.finish()), False)
    return document, time.perf_counter() - started


def simulate(size: int, recorders: int) -> dict[str, Any]:
    traffic = list(synthetic_traffic(size, seed=size))
    started = time.perf_counter()
    central = dumps(to_openapi(build_model(traffic)), False)
    central_s = time.perf_counter() - started
    shares = deal(traffic, recorders)
    made = [summarise(share) for share in shares]
    blobs = [blob for blob, _ in made]
    merged, merge_s = merged_document(blobs)
    other_bracketing, _ = merged_document(blobs, right_first=True)
    plain = [json.loads(doc) for doc in (central, merged)]
    return {
        "exchanges": size, "recorders": len(shares),
        "raw_bytes": sum(raw_bytes(exchange) for exchange in traffic),
        "summary_bytes": sum(len(blob) for blob in blobs),
        "largest_summary_bytes": max(len(blob) for blob in blobs),
        "central_infer_s": round(central_s, 3),
        "slowest_recorder_s": round(max(seconds for _, seconds in made), 3),
        "central_merge_s": round(merge_s, 3),
        "openapi_identical": merged == central,
        "openapi_identical_without_examples":
            without(plain[0], EXAMPLE_KEYS) == without(plain[1], EXAMPLE_KEYS),
        "openapi_identical_without_examples_and_notifications":
            without(plain[0], EXAMPLE_KEYS + NOTIFICATION_KEYS)
            == without(plain[1], EXAMPLE_KEYS + NOTIFICATION_KEYS),
        "paths_central": len(plain[0]["paths"]), "paths_merged": len(plain[1]["paths"]),
        "merge_associative": merged == other_bracketing,
    }


def main() -> dict[str, object]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recorders", type=int, default=8)
    parser.add_argument("--sizes", default="2000,8000,32000")
    parser.add_argument("--json", help="also write the report here")
    args = parser.parse_args()
    runs = [simulate(int(size), args.recorders) for size in args.sizes.split(",")]
    report: dict[str, object] = {"runs": runs}
    return emit(report, args.json)


if __name__ == "__main__":
    main()
