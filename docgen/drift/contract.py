"""The contract side of drift checks: an OpenAPI document compiled once for fast matching.

`Contract.load(path)` reads an OpenAPI 3.x document (JSON or YAML; written by `wsdoc
openapi` or by hand) and compiles, once per endpoint, everything a check needs:

* a path matcher: `/api/v2/users/{userId}` matches `/api/v2/users/1e55...`; when several
  templates match, literal segments win over parameters, leftmost first
  (`/calls/active` beats `/calls/{callId}`);
* the operations of operation-style endpoints (a `oneOf` with a `discriminator` mapping,
  as `wsdoc openapi` writes them), each with its own request validator, and the statuses
  each one answered when the contract says so (`x-wsdoc-operation-statuses`);
* one jsonschema validator per request body, response status and query string. `$ref`s
  resolve into the document through a `referencing` registry, so components are shared.

Formats are checked with the same patterns inference uses (docgen.scalars.FORMATS), so a
value the contract inferred as `uuid` is checked exactly as it was inferred.
A compiled `Contract` is never mutated, so threads may share it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from docgen.drift.endpoint import BodyCheck, EndpointContract, OperationContract, compile_segments
from docgen.drift.validate import check_contract
from docgen.errors import WsdocError
from docgen.infer.fields import escape
from docgen.infer.formats import FORMATS
from docgen.infer.paths import split_path
from docgen.publish.extensions import X_OPERATION_STATUSES, X_OPERATIONS

Json = dict[str, Any]
CONTRACT_URI = "urn:wsdoc:contract"
SQLITE_MAGIC = b"SQLite format 3\x00"  # capture stores are SQLite files
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def read_document(path: str | Path) -> Json:
    """An OpenAPI document from a JSON or YAML file; WsdocError when it is not one."""
    source = Path(path)
    if not source.is_file():
        raise WsdocError(f"no such contract: {source}")
    if is_store(source):
        raise WsdocError(f"{source} is a capture store, not an OpenAPI file; write one with: "
                         f"wsdoc openapi --store {source} -o openapi.json")
    try:
        text = source.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise WsdocError(f"{source} is not an OpenAPI file (not UTF-8 text)") from exc
    try:
        document = json.loads(text) if text.lstrip()[:1] == "{" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise WsdocError(f"{source} is not valid JSON or YAML: {str(exc).splitlines()[0]}") from exc
    if not is_openapi(document):
        raise WsdocError(f"{source} is not an OpenAPI document (no openapi and paths keys)")
    check_contract(document, str(source))
    return document  # type: ignore[no-any-return]


def is_store(path: Path) -> bool:
    """A capture store (SQLite file header), told apart from contracts by content."""
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


def is_openapi(document: Any) -> bool:
    return (isinstance(document, dict) and isinstance(document.get("openapi"), str)
            and isinstance(document.get("paths"), dict))


def pointer(*parts: str) -> str:
    """A URI-safe JSON pointer (referencing percent-decodes fragments before splitting)."""
    return "".join("/" + quote(escape(part), safe="") for part in parts)


def ref_keys(ref: str) -> list[str] | None:
    """'#/components/schemas/A~1B' -> ['components', 'schemas', 'A/B']; None if not local."""
    local = ref.removeprefix(CONTRACT_URI)
    if not local.startswith("#/"):
        return None
    return [unquote(part).replace("~1", "/").replace("~0", "~") for part in local[2:].split("/")]


def format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    for name, pattern in FORMATS:
        def check(value: Any, pattern: re.Pattern[str] = pattern) -> bool:
            return not isinstance(value, str) or pattern.fullmatch(value) is not None
        checker.checks(name)(check)
    return checker


class Contract:
    """An OpenAPI document compiled for drift checks (immutable once built)."""

    def __init__(self, document: Json, source: str = "") -> None:
        self.document = document
        self.source = source
        self.registry: Registry[Any] = Registry().with_resource(
            CONTRACT_URI, DRAFT202012.create_resource(document))
        self.formats = format_checker()
        self.base_path = _base_path(document)
        self.endpoints: list[EndpointContract] = []
        for template, item in sorted(document["paths"].items()):
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                if isinstance(item.get(method), dict):
                    self.endpoints.append(self._endpoint(template, method, item))
        self.by_length: dict[int, list[EndpointContract]] = {}  # a path only matches these
        for endpoint in self.endpoints:
            self.by_length.setdefault(len(endpoint.segments), []).append(endpoint)

    @classmethod
    def load(cls, path: str | Path) -> Contract:
        return cls(read_document(path), str(path))

    def compile(self, *keys: str) -> BodyCheck | None:
        """A validator for the schema at this place (local `$ref`s on the way followed);
        None when the document has nothing there."""
        located = self._locate(keys)
        if located is None:
            return None
        validator = Draft202012Validator({"$ref": f"{CONTRACT_URI}#{pointer(*located)}"},
                                         registry=self.registry, format_checker=self.formats)
        return BodyCheck(validator, self._at(located))

    def resolve(self, schema: Any) -> Any:
        """Follow local `$ref`s ("#/components/...", also our own URI) to their target."""
        hops = 0
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and hops < 32:
            keys = ref_keys(schema["$ref"])
            node = self._at(keys) if keys is not None else None
            schema, hops = node if isinstance(node, dict) else {}, hops + 1
        return schema

    def _at(self, keys: list[str]) -> Any:
        node: Any = self.document
        for key in keys:
            if isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                node = node.get(key) if isinstance(node, dict) else None
        return node

    def _locate(self, keys: tuple[str, ...] | list[str]) -> list[str] | None:
        """The document path of `keys` once every `$ref` met on the way is followed."""
        located: list[str] = []
        for key in keys:
            for _ in range(32):  # a chain of references, bounded
                node = self._at(located)
                ref = node.get("$ref") if isinstance(node, dict) else None
                target = ref_keys(ref) if isinstance(ref, str) else None
                if target is None:
                    break
                located = target
            node = self._at(located)
            if not (isinstance(node, dict) and key in node or isinstance(node, list)
                    and key.isdigit() and int(key) < len(node)):
                return None
            located = [*located, key]
        return located

    def match(self, method: str, path: str) -> tuple[EndpointContract | None, list[str]]:
        """The best endpoint for a recorded request, else (None, methods the path has)."""
        candidates = [split_path(path)]
        if self.base_path and path.startswith(self.base_path + "/"):
            candidates.append(split_path(path[len(self.base_path):]))
        for segments in candidates:
            ranked = [(rank, ep) for ep in self.by_length.get(len(segments), [])
                      if (rank := ep.match(segments)) is not None]
            with_method = [(rank, ep) for rank, ep in ranked if ep.method == method.upper()]
            if with_method:
                return min(with_method, key=lambda pair: pair[0])[1], []
            if ranked:
                return None, sorted({ep.method for _, ep in ranked})
        return None, []

    def _endpoint(self, template: str, method: str, item: Json) -> EndpointContract:
        where, operation = ("paths", template, method), item[method]
        endpoint = EndpointContract(method.upper(), template, compile_segments(template))
        for status, response in (operation.get("responses") or {}).items():
            response = self.resolve(response)
            media = _json_media(response.get("content") if isinstance(response, dict) else None)
            endpoint.responses[str(status)] = (
                self.compile(*where, "responses", str(status), "content", media, "schema")
                if media else None)
        endpoint.query = self._query(item, operation, where)
        self._operations(endpoint, operation, where)
        return endpoint

    def _query(self, item: Json, operation: Json, where: tuple[str, ...]) -> BodyCheck:
        """The query string as one object; path-level parameters, then the operation's."""
        properties: Json = {}
        required: dict[str, bool] = {}  # the operation's parameter overrides the path's
        params = [((*where[:2], "parameters", str(index)), param)
                  for index, param in enumerate(item.get("parameters") or [])]
        params += [((*where, "parameters", str(index)), param)
                   for index, param in enumerate(operation.get("parameters") or [])]
        for at, param in params:
            param = self.resolve(param)
            if not isinstance(param, dict) or param.get("in") != "query" or "name" not in param:
                continue
            located = self._locate([*at, "schema"])
            properties[str(param["name"])] = (
                {"$ref": f"{CONTRACT_URI}#{pointer(*located)}"} if located else {})
            required[str(param["name"])] = bool(param.get("required"))
        schema: Json = {"type": "object", "properties": properties,
                        "required": [name for name, needed in required.items() if needed]}
        validator = Draft202012Validator(schema, registry=self.registry,
                                         format_checker=self.formats)
        return BodyCheck(validator, schema)

    def _operations(self, endpoint: EndpointContract, operation: Json,
                    where: tuple[str, ...]) -> None:
        body = self.resolve(operation.get("requestBody"))
        media = _json_media(body.get("content") if isinstance(body, dict) else None)
        at = (*where, "requestBody", "content", media, "schema") if media else ()
        schema = self.resolve(body["content"][media].get("schema")) if media else {}
        discriminator = schema.get("discriminator")
        discriminator = discriminator if isinstance(discriminator, dict) else {}
        mapping = discriminator.get("mapping") or {}
        names = [str(n) for n in operation.get(X_OPERATIONS) or []]
        if not names and not mapping:  # one plain request schema for the whole endpoint
            endpoint.default = OperationContract(None, self.compile(*at) if at else None)
            return
        endpoint.discriminator = discriminator.get("propertyName") or _pinned_field(schema, names)
        # One operation: its schema is the request schema itself, not a oneOf branch.
        single = self.compile(*at) if at and len(names) == 1 and "oneOf" not in schema else None
        statuses = _operation_statuses(operation)
        # Operations the server never accepted are out of x-wsdoc-operations and the oneOf but
        # still recorded (x-wsdoc-operation-statuses): known, with no request schema.
        for name in dict.fromkeys([*names, *mapping, *statuses]):
            check = self._ref_check(mapping[name]) if name in mapping else (
                single if name in names else None)
            endpoint.operations[name] = OperationContract(name, check, statuses.get(name))
        unnamed = [index for index, branch in enumerate(schema.get("oneOf") or [])
                   if isinstance(branch, dict) and branch.get("$ref") not in mapping.values()]
        if len(unnamed) == 1:  # requests that name no operation
            endpoint.default = OperationContract(None, self.compile(*at, "oneOf", str(unnamed[0])))

    def _ref_check(self, ref: Any) -> BodyCheck | None:
        keys = ref_keys(ref) if isinstance(ref, str) else None
        return self.compile(*keys) if keys is not None else None


def _json_media(content: Any) -> str | None:
    if not isinstance(content, dict):
        return None
    for media, entry in content.items():
        if "json" in media and isinstance(entry, dict) and "schema" in entry:
            return str(media)
    return None


def _operation_statuses(operation: Json) -> dict[str, frozenset[str]]:
    recorded = operation.get(X_OPERATION_STATUSES)
    if not isinstance(recorded, dict):
        return {}
    return {str(name): frozenset(str(status) for status in statuses)
            for name, statuses in recorded.items() if isinstance(statuses, list)}


def _pinned_field(schema: Json, names: list[str]) -> str:
    """The property a single-operation schema pins to its name with `const`."""
    for key, child in (schema.get("properties") or {}).items():
        if isinstance(child, dict) and child.get("const") in names:
            return str(key)
    return ""


def _base_path(document: Json) -> str:
    servers = document.get("servers") or []
    url = servers[0].get("url", "") if servers and isinstance(servers[0], dict) else ""
    return urlsplit(str(url)).path.rstrip("/") if isinstance(url, str) else ""
