"""The adapter over genson's private fields works with the installed genson, and says
clearly what changed when a genson release renames them."""

from __future__ import annotations

import pytest
from genson import SchemaBuilder  # type: ignore[attr-defined]
from genson.schema.strategies import Object

from docgen.infer.schema import genson_api
from docgen.infer.schema.builder import EvidenceSchemaBuilder


def test_installed_genson_is_compatible() -> None:
    genson_api.check_compatible()


def test_incompatible_genson_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    # A genson that renamed Object._required (simulated on the real class) must fail the
    # check, naming the field, rather than yield schemas without `required`.
    original = Object.add_object

    def renamed(self: Object, obj: dict) -> None:  # type: ignore[type-arg]
        original(self, obj)
        self.__dict__["_required_keys"] = self.__dict__.pop("_required")

    monkeypatch.setattr(Object, "add_object", renamed)
    with pytest.raises(RuntimeError, match="Object._required"):
        genson_api.check_compatible()


def test_adapter_reads_what_genson_builds() -> None:
    builder = SchemaBuilder(schema_uri=None)
    builder.add_object({"a": [1, 2.5], "b": "x"})
    builder.add_object({"a": []})
    obj = genson_api.active_strategies(genson_api.root(builder))[0]
    assert set(genson_api.properties(obj)) == {"a", "b"}
    assert genson_api.required(obj) == {"a"}
    array = genson_api.active_strategies(genson_api.properties(obj)["a"])[0]
    number = genson_api.active_strategies(genson_api.items(array))[0]
    assert genson_api.number_type(number) == "number"


def test_merged_builders_keep_required_and_types() -> None:
    left, right = EvidenceSchemaBuilder(), EvidenceSchemaBuilder()
    left.add_sample({"id": 1, "name": "a"})
    right.add_sample({"id": 2.5})
    left.merge(right)
    schema = left.schema()
    assert schema["required"] == ["id"]
    assert schema["properties"]["id"]["type"] == "number"
    assert schema["properties"]["name"]["x-wsdoc-seen"] == "1/2"
