"""The two sides of `wsdoc diff`: stores or OpenAPI files, flattened into comparable views.

A side is either a capture store (detected by the SQLite file header; its docs model is
inferred and written as OpenAPI, exactly as `wsdoc openapi` would) or an OpenAPI document
(JSON or YAML). Both end up as OpenAPI, so one comparison serves every combination.

An `EndpointView` holds what a changelog talks about: operations, HTTP statuses (also per
operation when the document records them), and the fields of every body: the query
string, each operation's request and each response status, flattened into rows
(`docgen.fields.field_docs`: path, type, format, enum, required).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.capture.postgres import is_postgres
from docgen.drift.contract import Contract, EndpointContract, is_store, read_document
from docgen.errors import WsdocError
from docgen.infer.config import Config
from docgen.infer.fields import field_docs

Json = dict[str, Any]
MAX_INLINE_DEPTH = 64
Location = tuple[str | None, str]  # (operation, "query" | "request" | "response 200")


@dataclass(frozen=True)
class FieldView:
    type: str
    format: str | None = None
    enum: tuple[Any, ...] | None = None
    required: bool = False

    def describe(self) -> str:
        parts = [self.type, *([self.format] if self.format else []),
                 *(["required"] if self.required else [])]
        return ", ".join(parts)


@dataclass
class EndpointView:
    key: str
    operations: set[str] = field(default_factory=set)
    statuses: set[str] = field(default_factory=set)
    operation_statuses: dict[str, frozenset[str]] = field(default_factory=dict)
    bodies: dict[Location, dict[str, FieldView]] = field(default_factory=dict)


@dataclass
class Side:
    label: str  # the file name
    version: str  # info.version ("" when unknown)
    endpoints: dict[str, EndpointView]


def load_side(path: str | Path, config: Config | None = None) -> Side:
    """A store (SQLite file or PostgreSQL URL) or an OpenAPI file, told apart by content,
    as comparable views."""
    if is_postgres(path):
        return side_of(str(path).rsplit("/", 1)[-1], store_document(str(path), config))
    source = Path(path)
    if not source.is_file():
        raise WsdocError(f"no such file: {source}")
    if is_store(source):
        document = store_document(source, config)
    else:
        document = read_document(source)
    return side_of(source.name, document)


def store_document(path: str | Path, config: Config | None) -> Json:
    from docgen.capture.store import Store
    from docgen.infer.builder import build_model
    from docgen.publish.openapi import to_openapi

    with Store(path, readonly=True) as store:
        return to_openapi(build_model(store.exchanges(), config))


def side_of(label: str, document: Json) -> Side:
    contract = Contract(document, label)
    version = (document.get("info") or {}).get("version", "")
    views = {ep.key: endpoint_view(contract, ep) for ep in contract.endpoints}
    return Side(label, "" if version in (None, "unknown") else str(version), views)


def endpoint_view(contract: Contract, endpoint: EndpointContract) -> EndpointView:
    view = EndpointView(endpoint.key, set(endpoint.operations), set(endpoint.responses))
    if endpoint.query is not None and endpoint.query.schema.get("properties"):
        view.bodies[(None, "query")] = flatten(contract, endpoint.query.schema, query=True)
    for operation in [endpoint.default, *endpoint.operations.values()]:
        if operation.request is not None:
            view.bodies[(operation.name, "request")] = flatten(contract, operation.request.schema)
        if operation.name is not None and operation.statuses is not None:
            view.operation_statuses[operation.name] = operation.statuses
    for status, check in endpoint.responses.items():
        if check is not None:
            view.bodies[(None, f"response {status}")] = flatten(contract, check.schema)
    return view


def inline(contract: Contract, schema: Any, depth: int = 0) -> Any:
    """The schema with every `$ref` replaced by what it names (bounded depth)."""
    if depth > MAX_INLINE_DEPTH:
        return {}
    if isinstance(schema, dict):
        resolved = contract.resolve(schema)
        return {key: inline(contract, value, depth + 1) for key, value in resolved.items()}
    if isinstance(schema, list):
        return [inline(contract, item, depth + 1) for item in schema]
    return schema


def flatten(contract: Contract, schema: Json, query: bool = False) -> dict[str, FieldView]:
    """Field path -> view; a path seen in several anyOf branches gets the union of types."""
    fields: dict[str, FieldView] = {}
    for doc in field_docs(inline(contract, schema)):
        path = doc.path.lstrip("/") if query else doc.path
        enum = tuple(doc.enum) if isinstance(doc.enum, list) else None
        view = FieldView(doc.type, doc.format, enum, doc.required)
        known = fields.get(path)
        if known is not None and known.type != view.type:
            types = dict.fromkeys([*known.type.split("|"), *view.type.split("|")])
            view = FieldView("|".join(types), known.format, known.enum, known.required)
        fields[path] = known if known is not None and known.type == view.type else view
    return fields

