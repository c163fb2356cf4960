"""Request parameters of GETs: fields, subresources, exact-field filters, limit/offset, sort.

Collections answer `{"statusCode":0,"uris":[...]}` unless `fields` is given; with
`fields=*` (all fields) or `fields=a,b` they answer an array named after the resource.
Any other parameter is a filter on an exact field name (`userName=ksippo`), on a list
member (`roles=ROLE_AGENT`) or on a subresource field (`skills.name=Sales`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gwssim.errors import invalid

RESERVED = frozenset({"fields", "subresources", "limit", "offset", "sortBy", "order"})
MAX_LIMIT = 1000


@dataclass(frozen=True)
class Query:
    fields: tuple[str, ...] | None = None  # None: not asked; ("*",): every field
    subresources: tuple[str, ...] = ()
    filters: tuple[tuple[str, str], ...] = ()
    limit: int | None = None
    offset: int = 0
    sort_by: str | None = None
    descending: bool = False
    needed: frozenset[str] = field(default_factory=frozenset)  # subresources filters look into


def parse_query(params: Mapping[str, str], allowed_subresources: tuple[str, ...]) -> Query:
    """Read the parameters; statusCode 10 for values out of range."""
    fields = _split(params["fields"]) if "fields" in params else None
    subresources = _parse_subresources(params.get("subresources"), allowed_subresources)
    filters = tuple((key, value) for key, value in params.items() if key not in RESERVED)
    needed = frozenset(key.split(".", 1)[0] for key, _ in filters
                       if "." in key and key.split(".", 1)[0] in allowed_subresources)
    order = params.get("order", "Ascending")
    if order not in ("Ascending", "Descending"):
        raise invalid("order must be Ascending or Descending")
    return Query(fields, subresources, filters, _parse_int(params, "limit", 1, MAX_LIMIT),
                 _parse_int(params, "offset", 0, None) or 0, params.get("sortBy"),
                 order == "Descending", needed)


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _parse_subresources(value: str | None, allowed: tuple[str, ...]) -> tuple[str, ...]:
    if value is None:
        return ()
    names = _split(value)
    if names == ("*",):
        return tuple(name for name in allowed if name != "features")
    unknown = [name for name in names if name not in allowed]
    if unknown:
        raise invalid(f"Unknown subresource '{unknown[0]}'")
    return names


def _parse_int(params: Mapping[str, str], name: str, low: int, high: int | None) -> int | None:
    if name not in params:
        return None
    try:
        number = int(params[name])
    except ValueError:
        raise invalid(f"{name} must be an integer") from None
    if number < low or (high is not None and number > high):
        raise invalid(f"{name} is out of range")
    return number


def select(items: list[dict[str, Any]], query: Query) -> list[dict[str, Any]]:
    """Filter, sort and page a collection."""
    chosen = [item for item in items if all(matches(item, k, v) for k, v in query.filters)]
    if query.sort_by:
        key = query.sort_by
        chosen.sort(key=lambda item: (key not in item, str(item.get(key, ""))),
                    reverse=query.descending)
    end = None if query.limit is None else query.offset + query.limit
    return chosen[query.offset:end]


def matches(item: Mapping[str, Any], key: str, wanted: str) -> bool:
    head, _, rest = key.partition(".")
    if head not in item:
        return False
    value = item[head]
    if rest:
        members = value if isinstance(value, list) else [value]
        return any(isinstance(m, Mapping) and matches(m, rest, wanted) for m in members)
    if isinstance(value, list):
        return any(_text(member) == wanted for member in value)
    return _text(value) == wanted


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def project(item: dict[str, Any], query: Query) -> dict[str, Any]:
    """Keep only the asked fields (subresources asked for stay); drop filter-only ones."""
    hidden = query.needed - set(query.subresources)
    shown = {k: v for k, v in item.items() if k not in hidden}
    if query.fields is None or "*" in query.fields:
        return shown
    keep = set(query.fields) | set(query.subresources)
    return {k: v for k, v in shown.items() if k in keep}


def collection(name: str, items: list[dict[str, Any]], query: Query,
               uri_of: Callable[[dict[str, Any]], str] | None = None) -> dict[str, Any]:
    """The body of a collection GET."""
    chosen = select(items, query)
    if query.fields is None:
        uri_of = uri_of or (lambda item: str(item["uri"]))
        return {"statusCode": 0, "uris": [uri_of(item) for item in chosen]}
    return {"statusCode": 0, name: [project(item, query) for item in chosen]}
