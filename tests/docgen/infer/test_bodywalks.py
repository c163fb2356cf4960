"""Walks over parsed bodies: what each finds, its bounds, and the compiled module answering
as its Python source does on every JSON body of the real-capture corpus.

setup.py compiles docgen/infer/bodywalks.py with mypyc (tests/test_setup.py checks it is
compiled and current). The Python source is loaded here a second time, uncompiled.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from docgen.capture.importer import read_har
from docgen.capture.record import read_json
from docgen.infer import bodywalks
from docgen.infer.bodywalks import (
    DEEP,
    MAX_PATHS,
    MAX_WALK,
    bounded,
    echoed_tokens,
    field_paths,
    identity_values,
    is_identity_key,
    last_key_word,
    shape_signature,
)

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "corpus"
FULL = {"statusCode": 0, "users": [{"id": "a", "userName": "k", "roles": ["R"]}]}


def python_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bodywalks_as_python", ROOT / "docgen" / "infer" / "bodywalks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PYTHON = python_module()


def test_field_paths_walk_nested_objects_and_arrays() -> None:
    assert field_paths(FULL) == {"/statusCode", "/users", "/users[]/id", "/users[]/userName",
                                 "/users[]/roles"}


def test_field_paths_are_bounded_in_number_and_depth() -> None:
    wide = {f"k{i}": {"inner": i} for i in range(MAX_PATHS * 3)}
    assert len(field_paths(wide)) == MAX_PATHS * 3  # past MAX_PATHS, no node is walked
    deep: Any = 1
    for _ in range(50):
        deep = {"a": deep}
    assert max(map(len, field_paths(deep))) == len("/a") * 6


def test_identity_keys_and_shapes() -> None:
    assert all(map(is_identity_key, ["id", "login", "full_name", "objectId", "node_id", "key"]))
    assert not any(map(is_identity_key, ["state", "created_at", "url", "items", "", "_"]))
    assert [last_key_word(k) for k in ["className", "full_name", "ID", "x9", "_"]] == \
        ["name", "name", "id", "9", ""]
    assert shape_signature({"results": [{"b": 1, "a": 2}]}) == \
        shape_signature({"results": [{"a": 5, "b": 9}]})
    assert shape_signature({"a": 1}) != shape_signature({"b": 1})


def test_identity_values_in_walk_order_and_bounded() -> None:
    body = {"login": "octocat", "owner": {"node_id": "MDQ6", "bio": "x"}, "items": [{"id": "7"}]}
    assert sorted(identity_values(body)) == [("id", "7"), ("login", "octocat"),
                                             ("node_id", "MDQ6")]
    assert identity_values({"id": 7, "name": "", "key": "k" * 201}) == []  # strings, 1-200
    many = [{"id": str(i)} for i in range(MAX_WALK * 2)]
    assert len(identity_values(many)) == MAX_WALK - 1  # the list itself is one node walked


def test_echoed_tokens_and_bounded_copies() -> None:
    assert echoed_tokens(b"Resource not found: thisisafakekey") >= {"thisisafakekey"}
    assert echoed_tokens(None) == echoed_tokens(b"") == set()
    value = {"a": [{"b": {"c": 1}}], "d": 2}
    assert bounded(value, 2) == {"a": [DEEP], "d": 2}
    assert bounded(value, 9) == value and bounded(value, 9) is not value


def corpus_bodies() -> list[Any]:
    bodies = []
    for har in sorted(CORPUS.glob("*.har")):
        for exchange in read_har(har):
            for body in (exchange.request_body, exchange.response_body):
                parsed, why = read_json(body)
                if not why:
                    bodies.append(parsed)
    return bodies


def walks(module: ModuleType, value: Any) -> tuple[Any, ...]:
    return (module.field_paths(value), module.identity_values(value),
            module.shape_signature(value),
            module.echoed_tokens(json.dumps(value).encode()),
            json.dumps(module.bounded(value, 3), default=lambda deep: "DEEP", sort_keys=True))


def test_the_compiled_module_answers_as_its_source_on_real_bodies() -> None:
    # compiled functions are builtins (not by __file__: mypyc may misname a grouped module's)
    assert type(bodywalks.field_paths).__name__ == "builtin_function_or_method", "run make"
    bodies = corpus_bodies()
    assert len(bodies) >= 50  # 80 in 12 captures
    for value in bodies:
        assert walks(bodywalks, value) == walks(PYTHON, value)


@pytest.mark.parametrize("odd", [[[[[]]]], {"": {"": None}}, "text", 3.5, None, True,
                                 {"é": ["\u2028", {"id": "\ud7ff"}]}])
def test_odd_values_are_walked_alike(odd: Any) -> None:
    assert walks(bodywalks, odd) == walks(PYTHON, odd)
