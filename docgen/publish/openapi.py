"""OpenAPI 3.1 from the documentation model (`to_openapi(model) -> dict`).

* One path item per template, one operation per method, path and query parameters with
  their presence evidence (`x-wsdoc-seen`).
* Operation-style endpoints (a discriminator such as `operationName`) get a request body
  that is a `oneOf` of per-operation schemas in `components.schemas`, with a
  `discriminator` mapping; each per-operation schema pins its name with `const`.
* Responses per HTTP status with the inferred schema (several operations: `anyOf` of the
  distinct schemas) and real, redacted examples; in-body outcome codes in
  `x-wsdoc-outcomes`.
* Security schemes as the traffic showed them (docgen.infer.security: http basic/bearer,
  api keys in a header, query or cookie); each operation lists the ones its requests
  carried, `security: []` when none did; no scheme at all when no request authenticated.
* Notifications (docgen.infer.events): what followed each named operation in `x-wsdoc-events`,
  the channels and their message schemas in the document's `x-wsdoc-notifications`.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from docgen.capture.record import Body, read_json
from docgen.infer.accumulators import EXAMPLE_BODY_BYTES, status_phrase
from docgen.infer.distinct import unique_name
from docgen.infer.model import ApiModel, BodyDoc, Endpoint, Operation, Param
from docgen.infer.profile import PROFILES
from docgen.publish.extensions import (
    X_EVENTS,
    X_NOTE,
    X_NOTIFICATIONS,
    X_OPERATION_STATUSES,
    X_OPERATIONS,
    X_OUTCOMES,
    X_SAMPLES,
    X_SEEN,
    X_SKIPPED,
    events_extension,
    notifications_extension,
)

OPENAPI_VERSION = "3.1.0"
PATH_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MAX_EXAMPLES = 5
Json = dict[str, Any]


def to_openapi(model: ApiModel) -> Json:
    """An OpenAPI 3.1 document that passes openapi_spec_validator.validate."""
    writer = _Writer(model)
    return writer.document()


def safe_key(text: str) -> str:
    """A component / operationId key: letters, digits, '.', '-' and '_' only."""
    words = re.split(r"[^A-Za-z0-9]+", text)
    key = "".join(w[:1].upper() + w[1:] for w in words if w)
    return key or "Unnamed"


class _Writer:
    def __init__(self, model: ApiModel) -> None:
        self.model = model
        self.schemas: dict[str, Json] = {}
        self.ids: set[str] = set()
        self.profile = PROFILES.get(model.profile)

    def document(self) -> Json:
        paths: dict[str, Json] = {}
        skipped = []
        for endpoint in self.model.endpoints:
            method = endpoint.method.lower()
            if method not in PATH_METHODS:
                skipped.append(f"{endpoint.method} {endpoint.template}")
                continue
            item = paths.setdefault(endpoint.template, {})
            item[method] = self.operation(endpoint)
            if endpoint.host:  # a capture of several hosts: each path says where it lives
                servers = item.setdefault("servers", [])
                if {"url": endpoint.host} not in servers:
                    servers.append({"url": endpoint.host})
        document: Json = {
            "openapi": OPENAPI_VERSION,
            "info": self.info(),
            "paths": paths,
            "components": {"schemas": self.schemas},
        }
        if self.model.security_schemes:
            document["components"]["securitySchemes"] = {
                scheme.name: scheme.openapi() for scheme in self.model.security_schemes}
        if self.model.hosts:
            document["servers"] = [{"url": host} for host in self.model.hosts]
        elif self.model.base_url:
            document["servers"] = [{"url": self.model.base_url}]
        if skipped:
            document[X_SKIPPED] = skipped
        if self.model.notifications is not None:
            document[X_NOTIFICATIONS] = notifications_extension(self.model.notifications)
        return document

    def info(self) -> Json:
        model = self.model
        span = ""
        if model.recorded_from and model.recorded_to:
            span = f" between {model.recorded_from.isoformat()} and {model.recorded_to.isoformat()}"
        text = f"Inferred by wsdoc from {model.exchange_count} recorded exchanges{span}."
        if model.description:
            text = f"{model.description}\n\n{text}"
        return {"title": model.title or "API", "version": model.server_version or "unknown",
                "description": text}

    def security(self, endpoint: Endpoint) -> list[Json] | None:
        """Per-operation requirements: one alternative per scheme its requests carried."""
        if not self.model.security_schemes:
            return None
        names = {scheme.key: scheme.name for scheme in self.model.security_schemes}
        used = {key for op in endpoint.operations for key in op.security if key in names}
        return [{names[key]: []} for key in sorted(used)]

    def unique_id(self, endpoint: Endpoint) -> str:
        candidate = unique_name(endpoint.method.lower() + safe_key(endpoint.template), self.ids)
        self.ids.add(candidate)
        return candidate

    def operation(self, endpoint: Endpoint) -> Json:
        op_id = self.unique_id(endpoint)
        names = endpoint.operation_names
        summary = f"{endpoint.method} {endpoint.template}"
        result: Json = {
            "operationId": op_id,
            "summary": summary + (f" ({', '.join(names)})" if names else ""),
            "parameters": [parameter(p) for p in endpoint.path_params + endpoint.query_params],
            "responses": self.responses(endpoint),
            X_SAMPLES: endpoint.sample_count,
        }
        if endpoint.description or endpoint.notes:
            result["description"] = "\n\n".join(filter(None, [endpoint.description,
                                                              *endpoint.notes]))
        body = self.request_body(endpoint, op_id)
        if body:
            result["requestBody"] = body
        if names:
            result[X_OPERATIONS] = names
            # Per-operation statuses: the merged responses hide e.g. an operation that
            # went from 400 (unknown) to 200 between server versions.
            result[X_OPERATION_STATUSES] = {
                op.name: [str(status) for status in sorted(op.responses)]
                for op in endpoint.operations if op.name is not None}
        if events := events_extension(endpoint):
            result[X_EVENTS] = events
        security = self.security(endpoint)
        if security is not None:
            result["security"] = security
        return result

    def request_body(self, endpoint: Endpoint, op_id: str) -> Json | None:
        # Operations the server never accepted stay out of the request schema (and its oneOf).
        with_body = [op for op in endpoint.operations
                     if op.request is not None and not (op.name is not None and op.rejected)]
        if not with_body:
            return None
        content: Json = {}
        json_ops = [op for op in with_body if op.request and op.request.schema is not None]
        if json_ops:
            media: Json = {"schema": self.request_schema(endpoint, json_ops, op_id)}
            examples = {_example_name(op): {"value": op.request.examples[0]}
                        for op in json_ops if op.request and op.request.examples}
            if examples:
                media["examples"] = dict(list(examples.items())[:MAX_EXAMPLES])
            for media_type in _json_types(*(op.request for op in with_body)):
                content[media_type] = media
        for op in with_body:
            assert op.request is not None
            content.update(non_json_content(op.request))
        required = all(op.request is not None and op.request.samples == op.sample_count
                       for op in endpoint.operations)
        return {"required": required, "content": content}

    def request_schema(self, endpoint: Endpoint, ops: list[Operation], op_id: str) -> Json:
        field = self.model.discriminator
        refs: list[Json] = []
        mapping: dict[str, str] = {}
        for op in ops:
            assert op.request is not None and op.request.schema is not None
            schema = copy.deepcopy(op.request.schema)
            if op.name is not None and field:
                pin_discriminator(schema, field, op.name)
            key = self.component_key(f"{op_id}.{op.name or 'Default'}.Request")
            self.schemas[key] = schema
            ref = f"#/components/schemas/{key}"
            refs.append({"$ref": ref})
            if op.name is not None:
                mapping[op.name] = ref
        if len(refs) == 1:
            return refs[0]
        result: Json = {"oneOf": refs}
        if mapping and field:
            result["discriminator"] = {"propertyName": field, "mapping": mapping}
        return result

    def component_key(self, text: str) -> str:
        return unique_name(".".join(safe_key(part) for part in text.split(".")), self.schemas)

    def responses(self, endpoint: Endpoint) -> Json:
        # OpenAPI only knows statuses 100-599; anything else a server sent stays in the model.
        statuses = sorted({status for op in endpoint.operations for status in op.responses
                           if 100 <= status <= 599})
        if not statuses:
            return {"default": {"description": "no response recorded"}}
        return {str(status): self.response(endpoint, status) for status in statuses}

    def response(self, endpoint: Endpoint, status: int) -> Json:
        merged = endpoint.responses.get(status)
        reason = (merged.reason if merged else "") or status_phrase(status) or f"HTTP {status}"
        if merged and merged.sent_reason:
            reason += f" (the server sent reason text {merged.sent_reason!r})"
        result: Json = {"description": reason}
        if merged and merged.headers:
            result["headers"] = response_headers(merged.headers)
        body = merged.body if merged else None
        if body is None:
            return result
        content = non_json_content(body)
        if body.schema is not None:
            media: Json = {"schema": body.schema}
            examples = self.response_examples(endpoint, status)
            if examples:
                media["examples"] = examples
            for media_type in _json_types(body):
                content[media_type] = media
        if content:
            result["content"] = content
        if merged and merged.outcome_codes:
            result[X_OUTCOMES] = [
                {"value": c.value, "count": c.count, "meaning": c.meaning}
                for c in merged.outcome_codes]
        return result

    def response_examples(self, endpoint: Endpoint, status: int) -> Json:
        examples: Json = {}
        for op in endpoint.operations:
            doc = op.responses.get(status)
            if doc is None or doc.body is None or len(examples) >= MAX_EXAMPLES:
                continue
            example = response_example(op, status, doc.body)
            if example is not None:
                examples[_example_name(op)] = {"value": example}
        return examples


def pin_discriminator(schema: Json, field: str, name: str) -> None:
    """Make a per-operation schema name its operation, so oneOf branches are exclusive."""
    properties = schema.setdefault("properties", {})
    seen = properties.get(field, {}).get(X_SEEN)
    pinned: Json = {"type": "string", "const": name}
    if seen:
        pinned[X_SEEN] = seen
    properties[field] = pinned
    schema["required"] = sorted({*schema.get("required", []), field})


def parameter(param: Param) -> Json:
    result: Json = {"name": param.name, "in": param.location,
                    "required": param.required or param.location == "path",
                    "schema": param.schema or {}}
    if param.description:
        result["description"] = param.description
    if param.examples:
        result["example"] = param.examples[0]
    if param.total:
        result[X_SEEN] = f"{param.seen}/{param.total}"
    return result


def response_headers(headers: list[Param]) -> Json:
    """Response headers with their presence and a redacted example (Content-Type is
    described by the media type, as OpenAPI requires)."""
    return {header.name: {"schema": {"type": "string"}, "required": header.required,
                          "example": header.examples[0] if header.examples else "",
                          X_SEEN: f"{header.seen}/{header.total}"}
            for header in headers if header.name.lower() != "content-type"}


def response_example(op: Operation, status: int, body: BodyDoc) -> Any:
    """The body of the first real exchange with this status, else a kept body example."""
    for exchange in op.examples:
        if exchange.status == status:
            value = _small_json(exchange.response_body)
            if value is not None:
                return value
    return body.examples[0] if body.examples else None


def _small_json(body: Body) -> Any:
    if body.size > EXAMPLE_BODY_BYTES:
        return None
    value, why = read_json(body)
    return None if why else value


def non_json_content(body: BodyDoc) -> Json:
    """Media types of bodies that were not JSON: text as string, anything else unconstrained."""
    if body.non_json is None:
        return {}
    content: Json = {}
    for media_type in body.non_json.content_types:
        key = media_type or "application/octet-stream"
        if "json" in key:
            continue
        textual = key.startswith("text/") or key.endswith(("xml", "html"))
        schema: Json = {"type": "string"} if textual else {}
        content[key] = {"schema": schema, X_NOTE: body.non_json.note}
    return content


def _json_types(*bodies: BodyDoc | None) -> list[str]:
    types = [t for body in bodies if body for t in body.content_types if "json" in t]
    return list(dict.fromkeys(types)) or ["application/json"]


def _example_name(op: Operation) -> str:
    return safe_key(op.name) if op.name else "example"


def load_emitter(yaml_output: bool) -> None:
    """Import what `dumps` needs: PyYAML takes tens of milliseconds to import, which
    `wsdoc openapi` spends while its other build processes finish (docgen.infer.parallel)."""
    if yaml_output:
        import yaml  # noqa: F401


def dumps(document: Json, yaml_output: bool) -> str:
    """Serialise for `wsdoc openapi -o FILE.json|.yaml`."""
    if yaml_output:
        import yaml

        # libyaml's emitter when PyYAML has it (its wheels do): five times faster, and
        # exact where PyYAML's own emitter is not (a NEL character); lines may wrap
        # differently from that fallback's
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        return str(yaml.dump(document, Dumper=dumper, sort_keys=False, allow_unicode=True))
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
