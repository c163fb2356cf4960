"""Identical samples walked once with a weight give the schema a walk per sample gives.

Checked on the response bodies of the real-capture corpus, repeated and interleaved the
way a capture repeats them, with held samples flushed by count, by size, by a sample
given without a key, by merge and by pickling."""

from __future__ import annotations

import io
import pickle
import random
from pathlib import Path
from typing import Any

import orjson
import pytest

from docgen.capture.importer import read_exchanges
from docgen.capture.record import read_json
from docgen.infer.schema import builder as schema_builder
from docgen.infer.schema.builder import EvidenceSchemaBuilder, reduce_class
from docgen.infer.schema.settings import SchemaSettings

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
# Low enum thresholds, so that counts and distinct-body evidence decide the outcome.
SETTINGS = SchemaSettings(enum_min_samples=3, enum_max_distinct=6)


def corpus_bodies() -> list[Any]:
    bodies = []
    for har in sorted(CORPUS.glob("*.har")):
        _, exchanges = read_exchanges(har)
        for exchange in exchanges:
            parsed, why = read_json(exchange.response_body)
            if not why:
                bodies.append(parsed)
    return bodies


BODIES = corpus_bodies()


def stream(seed: int) -> list[Any]:
    """Bodies as a capture sends them: some once, some many times, interleaved."""
    rng = random.Random(seed)
    chosen = rng.sample(BODIES, min(len(BODIES), 40))
    return [rng.choice(chosen[: rng.randint(1, len(chosen))]) for _ in range(300)]


def walked_each(samples: list[Any]) -> EvidenceSchemaBuilder:
    built = EvidenceSchemaBuilder(SETTINGS)
    for sample in samples:
        built.add_sample(sample)
    return built


def keyed(samples: list[Any], builder: EvidenceSchemaBuilder | None = None
          ) -> EvidenceSchemaBuilder:
    built = builder or EvidenceSchemaBuilder(SETTINGS)
    for sample in samples:
        content = orjson.dumps(sample)
        built.add_sample(sample, content, len(content))
    return built


class Pickler(pickle.Pickler):  # as docgen.infer.summary ships builders
    def reducer_override(self, obj: Any) -> Any:
        return reduce_class(obj) or NotImplemented


def pickled(value: Any) -> bytes:
    out = io.BytesIO()
    Pickler(out).dump(value)
    return out.getvalue()


def test_the_corpus_has_bodies_to_repeat() -> None:
    assert len(BODIES) >= 30


@pytest.mark.parametrize("seed", range(8))
def test_repeats_walked_once_give_the_same_schema(seed: int) -> None:
    samples = stream(seed)
    assert keyed(samples).schema() == walked_each(samples).schema()


@pytest.mark.parametrize("held, size", [(1, 16 * 1024), (3, 16 * 1024), (32, 200)])
def test_whatever_flushes_the_held_samples(monkeypatch: pytest.MonkeyPatch, held: int,
                                           size: int) -> None:
    monkeypatch.setattr(schema_builder, "MAX_HELD", held)
    monkeypatch.setattr(schema_builder, "MAX_HELD_SIZE", size)
    samples = stream(99)
    assert keyed(samples).schema() == walked_each(samples).schema()


def test_unkeyed_samples_keep_their_place_among_held_ones() -> None:
    samples = stream(5)
    mixed = EvidenceSchemaBuilder(SETTINGS)
    for index, sample in enumerate(samples):
        if index % 7:
            content = orjson.dumps(sample)
            mixed.add_sample(sample, content, len(content))
        else:
            mixed.add_sample(sample)
    assert mixed.schema() == walked_each(samples).schema()


def test_enum_evidence_counts_each_repeated_body() -> None:
    # One body read 5 times is 5 samples from 5 bodies (as when walked 5 times): enough
    # distinct bodies for the two values it holds to make an enum.
    bodies = [{"states": ["Ready", "NotReady"]}] * 5
    assert keyed(bodies).schema() == walked_each(bodies).schema()
    assert keyed(bodies).schema()["properties"]["states"]["items"]["enum"] == [
        "NotReady", "Ready"]


def test_merge_and_pickle_take_held_samples_along() -> None:
    first, second = stream(1), stream(2)
    merged = keyed(first)
    merged.merge(keyed(second))
    assert merged.schema() == walked_each(first + second).schema()
    shipped = pickle.loads(pickled(keyed(first)))
    assert shipped.schema() == walked_each(first).schema()
    assert shipped.samples == len(first)
