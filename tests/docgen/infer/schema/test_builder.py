"""Schema inference: required/presence, types, formats, enums, nullables, depth, contract."""

from __future__ import annotations

import json
import random
from typing import Any

import jsonschema
import pytest
from genson.schema.node import SchemaNode

from docgen.capture.record import Body, read_json
from docgen.capture.synthetic import exchange
from docgen.infer.builder import build_model
from docgen.infer.fields import field_docs
from docgen.infer.schema import genson_api
from docgen.infer.schema.builder import EvidenceSchemaBuilder, infer_schema
from docgen.infer.schema.scalars import EvidenceString
from docgen.infer.schema.settings import X_SEEN, SchemaSettings

VALIDATOR = jsonschema.Draft202012Validator


def fields_by_path(schema: dict[str, Any]) -> dict[str, Any]:
    return {doc.path: doc for doc in field_docs(schema)}


def test_builder_uses_extra_strategies_not_patching() -> None:
    assert EvidenceString in EvidenceSchemaBuilder.STRATEGIES
    assert EvidenceSchemaBuilder.STRATEGIES.index(EvidenceString) < len(
        EvidenceSchemaBuilder.STRATEGIES) - 1


def test_required_and_presence_counts() -> None:
    samples = [{"id": i, "note": "x"} if i < 37 else {"id": i} for i in range(40)]
    schema = infer_schema(samples)
    assert schema["required"] == ["id"]
    assert schema["properties"]["note"][X_SEEN] == "37/40"
    docs = fields_by_path(schema)
    assert docs["/note"].presence == "37/40" and not docs["/note"].required
    assert docs["/id"].required and docs["/id"].seen == 40


def test_integer_versus_number() -> None:
    schema = infer_schema([{"a": 1, "b": 1, "c": True}, {"a": 2, "b": 2.5, "c": False}])
    props = schema["properties"]
    assert (props["a"]["type"], props["b"]["type"], props["c"]["type"]) == \
        ("integer", "number", "boolean")


@pytest.mark.parametrize("values, expected", [
    (["2024-05-01T10:00:00Z", "2024-05-02T11:30:00.123+02:00"], "date-time"),
    (["2024-05-01", "1999-12-31"], "date"),
    (["5b0e6bb7-0a5d-4a32-8e5a-1a2b3c4d5e6f"], "uuid"),
    (["ksippo@example.com", "a.b@c.org"], "email"),
    (["http://127.0.0.1/cloud-web/api/v2/users/1", "https://x.example/a?b=c"], "uri"),
    (["10.0.0.1", "192.168.255.255"], "ipv4"),
    (["2024-05-01", "not a date"], None),
    (["10.0.0.1", "300.0.0.1"], None),
    (["8.5.201.97"] * 5, None),  # one repeated dotted quad: a version, not proof of ipv4
])
def test_formats_only_when_every_sample_matches(values: list[str], expected: str | None) -> None:
    schema = infer_schema([{"v": value} for value in values])
    assert schema["properties"]["v"].get("format") == expected


def test_enums_need_evidence() -> None:
    states = ["Ready", "NotReady", "Ready", "AfterCallWork", "Ready", "NotReady"]
    assert infer_schema(states)["enum"] == ["AfterCallWork", "NotReady", "Ready"]
    assert "enum" not in infer_schema(states[:4])  # fewer than 5 samples
    many = [f"State{i % 9}" for i in range(40)]  # 9 distinct > 8
    assert "enum" not in infer_schema(many)
    ids = ["1e553fa1b4164908a5f36d43cec96086"] * 10
    assert "enum" not in infer_schema(ids)
    text = ["Device is not registered."] * 10
    assert "enum" not in infer_schema(text)
    unique = ["a", "b", "c", "d", "e"]  # no value repeats: names, not an enum
    assert "enum" not in infer_schema(unique)
    loose = SchemaSettings(enum_min_samples=2, enum_max_distinct=2)
    assert infer_schema(["On", "Off", "On", "Off"], loose)["enum"] == ["Off", "On"]


def test_enums_need_distinct_values_from_distinct_samples() -> None:
    """17 copies of one response say "read" 17 times: no evidence of a closed set."""
    copies = [{"permissions": {"contents": "read"}}] * 17
    assert "enum" not in infer_schema(copies)["properties"]["permissions"]["properties"][
        "contents"]
    assert "enum" not in infer_schema([""] * 10)  # always empty
    one_body = [{"items": [{"state": s} for s in ["On", "Off"] * 5]}]
    assert "enum" not in infer_schema(one_body)["properties"]["items"]["items"][
        "properties"]["state"]
    two_bodies = [{"items": [{"state": s} for s in ["On", "Off"] * 3]}] * 2
    assert infer_schema(two_bodies)["properties"]["items"]["items"]["properties"]["state"][
        "enum"] == ["Off", "On"]


def test_ipv4_needs_two_distinct_values_also_across_merges() -> None:
    first, second = EvidenceSchemaBuilder(), EvidenceSchemaBuilder()
    first.add_sample({"ip": "10.0.0.1"})
    second.add_sample({"ip": "10.0.0.1"})
    first.merge(second)
    assert "format" not in first.schema()["properties"]["ip"]
    third = EvidenceSchemaBuilder()
    third.add_sample({"ip": "10.0.0.2"})
    first.merge(third)
    assert first.schema()["properties"]["ip"]["format"] == "ipv4"


def test_identity_names_are_never_enums() -> None:
    """Five users read twice each repeat their names: that is no closed set of values."""
    users = [{"userName": f"agent{i % 5}", "employeeId": f"E100{i % 5}",
              "state": ["Ready", "NotReady"][i % 2], "tags": {"names": [f"n{i % 3}"]},
              "e164Number": f"+1415555500{i % 5}"} for i in range(10)]
    props = infer_schema(users)["properties"]
    assert all("enum" not in props[key] for key in ("userName", "employeeId", "e164Number"))
    assert "enum" not in props["tags"]["properties"]["names"]["items"]
    assert props["state"]["enum"] == ["NotReady", "Ready"]


def test_nullable_and_mixed_types() -> None:
    schema = infer_schema([{"a": None, "b": 1}, {"a": "x", "b": "y"}])
    assert schema["properties"]["a"]["type"] == ["string", "null"]
    assert "anyOf" in schema["properties"]["b"]
    enum_null = infer_schema(["On", "Off", "On", "Off", None, "On"])
    assert enum_null["type"] == ["string", "null"] and None in enum_null["enum"]


def test_arrays_of_objects_are_merged_and_paths_are_pointer_like() -> None:
    schema = infer_schema([{"user": {"devices": [{"id": "a", "dnd": "On"}, {"id": "b"}]}},
                           [{"channel": "/v2/me/devices", "a/b~": 1}]])
    docs = fields_by_path(schema)
    assert docs["/user/devices[]/id"].presence == "2/2"
    assert docs["/user/devices[]/dnd"].presence == "1/2"
    assert "[]/channel" in docs and "[]/a~1b~0" in docs


def test_examples_are_few_and_distinct() -> None:
    schema = infer_schema([{"n": i % 5, "s": f"v{i % 2}"} for i in range(50)])
    assert schema["properties"]["n"]["examples"] == [0, 1, 2]
    assert schema["properties"]["s"]["examples"] == ["v0", "v1"]


def test_deep_nesting_is_summarised() -> None:
    value: Any = {"leaf": 1}
    for _ in range(50):
        value = {"next": value}
    schema = infer_schema([value])
    notes = [doc for doc in field_docs(schema) if doc.note]
    assert len(notes) == 1 and "nested deeper than 32 levels" in notes[0].note
    assert notes[0].path.count("/next") == 32
    VALIDATOR(schema).validate(value)


def test_hundred_thousand_deep_json_is_invalid_json_not_a_crash() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    body = Body(deep, "application/json", size=len(deep))
    assert read_json(body) == (None, "invalid JSON (nested too deep to parse)")
    model = build_model([exchange("POST", "/api/v2/me", raw_request=body, raw_response=body)])
    operation = model.endpoints[0].operations[0]
    assert operation.request is not None and operation.request.non_json is not None
    assert operation.request.non_json.reasons == {"invalid JSON (nested too deep to parse)": 1}
    parseable = json.loads("[" * 900 + "]" * 900)
    VALIDATOR(infer_schema([parseable])).validate(parseable)


def test_many_keys_fold_into_additional_properties() -> None:
    settings = SchemaSettings(max_properties=5)
    schema = infer_schema([{f"k{i}": i for i in range(20)}], settings)
    assert len(schema["properties"]) == 5 and "additionalProperties" in schema
    VALIDATOR(schema).validate({f"k{i}": i for i in range(20)})


def random_json(rng: random.Random, depth: int = 0) -> Any:
    kinds = ["null", "bool", "int", "float", "str", "date", "uuid"]
    if depth < 5:
        kinds += ["list", "dict", "dict"]
    kind = rng.choice(kinds)
    if kind == "list":
        return [random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if kind == "dict":
        keys = rng.sample(["id", "name", "state", "user", "items", "a/b", "n", "x~y"], 3)
        return {key: random_json(rng, depth + 1) for key in keys if rng.random() < 0.8}
    return {
        "null": None, "bool": rng.random() < 0.5, "int": rng.randint(-5, 5),
        "float": rng.random(), "str": rng.choice(["On", "Off", "a b", ""]),
        "date": f"2024-05-0{rng.randint(1, 9)}T10:00:00Z",
        "uuid": f"5b0e6bb7-0a5d-4a32-8e5a-1a2b3c4d5e6{rng.randint(0, 9)}",
    }[kind]


@pytest.mark.parametrize("seed", range(40))
def test_contract_every_sample_validates_against_its_schema(seed: int) -> None:
    rng = random.Random(seed)
    samples = [random_json(rng) for _ in range(rng.randint(1, 30))]
    schema = infer_schema(samples, SchemaSettings(enum_min_samples=2, max_depth=4))
    VALIDATOR.check_schema(schema)
    validator = VALIDATOR(schema, format_checker=VALIDATOR.FORMAT_CHECKER)
    for sample in samples:
        validator.validate(sample)


@pytest.mark.parametrize("seed", range(10))
def test_merged_builders_equal_one_builder(seed: int) -> None:
    rng = random.Random(seed)
    samples = [random_json(rng) for _ in range(20)]
    whole, left, right = (EvidenceSchemaBuilder() for _ in range(3))
    for index, sample in enumerate(samples):
        whole.add_sample(sample)
        (left if index % 2 else right).add_sample(sample)
    left.merge(right)
    assert left.samples == whole.samples
    for sample in samples:
        VALIDATOR(left.schema()).validate(sample)
    assert {d.path: d.presence for d in field_docs(left.schema())} == \
        {d.path: d.presence for d in field_docs(whole.schema())}


def test_a_node_dispatches_as_genson_does(monkeypatch: pytest.MonkeyPatch) -> None:
    samples: list[Any] = [{"a": 1, "b": [1, "x", None]}, {"a": "s", "b": []}, 3, None,
                          {"a": 2.5, "b": [{"c": True}]}, "t", [1], {"a": None}]
    fast = EvidenceSchemaBuilder(SchemaSettings(enum_min_samples=2))
    for sample in samples:
        fast.add_sample(sample)
    node_class = type(genson_api.root(fast))
    # genson's own lookup (by name, per node) for the same samples, in a twin builder
    monkeypatch.setattr(node_class, "add_object", SchemaNode.add_object)
    plain = EvidenceSchemaBuilder(SchemaSettings(enum_min_samples=2))
    for sample in samples:
        plain.add_sample(sample)
    assert fast.schema() == plain.schema()
    assert [type(s) for s in genson_api.active_strategies(genson_api.root(fast))] == \
        [type(s) for s in genson_api.active_strategies(genson_api.root(plain))]
