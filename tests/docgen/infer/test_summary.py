"""Per-recorder summaries: builders shipped as bytes and merged give the central model."""

from __future__ import annotations

import json
from typing import Any

from docgen.capture.synthetic import exchange, synthetic_traffic
from docgen.infer.builder import ModelBuilder, build_model
from docgen.infer.summary import dump_summary, load_summary, merge_builders, model_of_summaries
from docgen.publish.openapi import dumps, to_openapi

# Examples are "the first k met" (order-dependent); notifications need the raw sequence.
SET_ASIDE = ("examples", "example", "x-wsdoc-events", "x-wsdoc-notifications")


def structure(value: Any) -> Any:
    if isinstance(value, dict):
        kept = {k: structure(v) for k, v in value.items() if k not in SET_ASIDE}
        if isinstance(kept.get("enum"), list):
            kept["enum"] = sorted(kept["enum"], key=repr)
        return kept
    if isinstance(value, list):
        return [structure(item) for item in value]
    return value


def summaries(traffic: list[Any], recorders: int) -> list[bytes]:
    builders = [ModelBuilder() for _ in range(recorders)]
    for index, one in enumerate(traffic):
        builders[index * recorders // len(traffic)].add(one)
    return [dump_summary(builder) for builder in builders]


def document(builder_model: Any) -> str:
    return dumps(to_openapi(builder_model), False)


def test_merged_summaries_document_what_central_inference_does() -> None:
    traffic = list(synthetic_traffic(1600, seed=5))
    central = json.loads(document(build_model(traffic)))
    merged = json.loads(document(model_of_summaries(load_summary(blob)
                                                    for blob in summaries(traffic, 4))))
    assert merged["paths"].keys() == central["paths"].keys()
    assert structure(merged) == structure(central)
    assert merged != central  # examples differ: the doc says so, and this keeps it honest


def test_merge_is_associative_byte_for_byte() -> None:
    blobs = summaries(list(synthetic_traffic(900, seed=8)), 3)
    a, b, c = (load_summary(blob) for blob in blobs)
    left = document(merge_builders(merge_builders(a, b), c).finish())
    a, b, c = (load_summary(blob) for blob in blobs)
    right = document(merge_builders(a, merge_builders(b, c)).finish())
    assert left == right


def test_path_evidence_adds_up_across_recorders() -> None:
    # One word after /things per recorder: alone, a recorder has no sibling to compare it
    # with, so it stays literal; together the three siblings answer alike (structural
    # evidence) and make a parameter, as one central store would.
    words = ["namea", "nameb", "namec"]
    traffic = [exchange("GET", f"/api/v2/things/{word}", {"ok": True}) for word in words]
    alone = document(model_of_summaries([load_summary(summaries(traffic, 3)[0])]))
    merged = document(model_of_summaries(load_summary(blob) for blob in summaries(traffic, 3)))
    assert "/api/v2/things/{thingId}" not in alone and "/api/v2/things/namea" in alone
    assert list(json.loads(merged)["paths"]) == list(json.loads(document(
        build_model(traffic)))["paths"]) == ["/api/v2/things/{thingId}"]
