"""The one place that touches genson's private fields.

Our strategies extend genson's (`Object`, `List`, `Number`) and must read and write state
genson keeps in underscore attributes: an object's property nodes and required keys, a
list's item node, a number's type, a node's active strategies and a builder's root node.
Every such access goes through this module, and `check_compatible` (run by the tests
against the installed genson, and bounded in pyproject.toml) fails loudly when a genson
release renames them, instead of schemas going quietly wrong.
"""

from __future__ import annotations

from typing import Any

from genson import SchemaBuilder  # type: ignore[attr-defined]
from genson.schema.node import SchemaNode
from genson.schema.strategies import List, Number, Object, SchemaStrategy

SUPPORTED = ">=1.3,<1.5"  # the range pyproject.toml pins; checked by check_compatible


def properties(strategy: Object) -> dict[str, SchemaNode]:
    """An object strategy's property nodes (a defaultdict creating nodes on access)."""
    return strategy._properties  # type: ignore[no-any-return]


def required(strategy: Object) -> set[str] | None:
    """Keys present in every object so far (None before the first object)."""
    return strategy._required  # type: ignore[no-any-return]


def set_required(strategy: Object, keys: set[str] | None) -> None:
    strategy._required = keys


def items(strategy: List) -> SchemaNode:
    """A list strategy's one item node."""
    return strategy._items  # type: ignore[no-any-return]


def number_type(strategy: Number) -> str:
    """"integer" until a float was seen, then "number"."""
    return strategy._type  # type: ignore[no-any-return]


def set_number_type(strategy: Number, name: str) -> None:
    strategy._type = name


def active_strategies(node: SchemaNode) -> list[SchemaStrategy]:
    """The strategies a node has used so far (one per JSON type seen)."""
    return node._active_strategies  # type: ignore[no-any-return]


def set_root(builder: SchemaBuilder, node: SchemaNode) -> None:
    """Replace a builder's root node (ours carries the settings in its class)."""
    builder._root_node = node


def root(builder: SchemaBuilder) -> SchemaNode:
    return builder._root_node  # type: ignore[no-any-return]


def merge_nodes(target: SchemaNode, source: SchemaNode) -> None:
    """Fold the evidence of `source` into `target`: strategies of the same type merge (ours
    have `merge`), new types are adopted. Recursion is bounded by the depth limit."""
    mine = active_strategies(target)
    for strategy in active_strategies(source):
        same = next((s for s in mine if type(s) is type(strategy)), None)
        if same is None:
            mine.append(strategy)
        elif hasattr(same, "merge"):
            same.merge(strategy)


def check_compatible() -> None:
    """Raise RuntimeError naming what is missing when genson's internals differ."""
    builder = SchemaBuilder(schema_uri=None)
    builder.add_object({"a": [1.5], "b": "x"})
    node = root(builder)
    found: dict[str, Any] = {"builder._root_node": node}
    strategies = getattr(node, "_active_strategies", None)
    found["node._active_strategies"] = strategies
    obj = next((s for s in strategies or [] if isinstance(s, Object)), None)
    found["Object._properties"] = getattr(obj, "_properties", None)
    found["Object._required"] = getattr(obj, "_required", None)
    array = active_strategies(properties(obj)["a"])[0] if obj and found[
        "Object._properties"] else None
    found["List._items"] = getattr(array, "_items", None)
    number = active_strategies(items(array))[0] if isinstance(array, List) else None
    found["Number._type"] = getattr(number, "_type", None)
    missing = [name for name, value in found.items() if value is None]
    if missing or found["Number._type"] != "number" or found["Object._required"] != {"a", "b"}:
        raise RuntimeError(f"genson's internals changed (wsdoc supports genson{SUPPORTED}); "
                           f"missing or different: {', '.join(missing) or 'values'}")
