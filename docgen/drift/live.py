"""Check one recorded exchange against an OpenAPI contract: `LiveChecker(path).check(ex)`.

The recorder calls this for every exchange when `wsdoc_contract=openapi.json` is set
(off the event loop), logs the violations and stores them beside the record (kind,
endpoint, summary; `wsdoc check --live` reads them back); `wsdoc check` runs the same code
over a whole store and adds what needs many exchanges (fields that stopped appearing).

`LiveChecker` is pure and thread-safe: the contract is read and every validator compiled
once, in the constructor (a bad contract fails there, with a WsdocError); `check` only
reads that state. What one exchange can show:

* unknown-endpoint   no path template (with this method) in the contract
* unknown-operation  an operation name (the endpoint's discriminator) the contract lacks
* new-status         an HTTP status the endpoint (or, when the contract records statuses
                     per operation, the operation) never answered
* new-field, missing-required, type-changed, format-changed, new-enum-value,
  constraint-violated   in the query string, the request body or the response body
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.capture.record import Exchange, operation_name, query_sample, read_json
from docgen.drift.contract import BodyCheck, Contract, EndpointContract, OperationContract
from docgen.drift.schema import BodyFinding, FieldWalker, errors_to_findings
from docgen.infer.config import Config
from docgen.infer.paths import PathTemplater

# presence(endpoint, operation, location, object path, object schema, object seen)
PresenceHook = Callable[[str, str | None, str, str, dict[str, Any], dict[str, Any]], None]


@dataclass(frozen=True)
class Violation:
    """One way an exchange departs from the contract."""

    kind: str
    endpoint: str  # "GET /api/v2/users/{userId}" (unknown endpoints: the path, templated)
    operation: str | None = None  # operation name on operation-style endpoints
    location: str = ""  # "", "query", "request" or "response 200"
    field: str = ""  # "/user/skills[]/level"; a query parameter's name; "" for the whole
    detail: str = ""  # "string -> integer"
    value: str = ""  # the offending value, short ("" when there is none)

    @property
    def summary(self) -> str:
        """One line for logs and the stored violation's detail."""
        where = " ".join(part for part in (self.location, self.field) if part)
        operation = f"operation {self.operation}: " if self.operation else ""
        return f"{operation}{where + ': ' if where else ''}{self.detail}"


class ExchangeCheck:
    """The checks of one exchange against a compiled contract."""

    def __init__(self, contract: Contract, templater: PathTemplater,
                 presence: PresenceHook | None = None) -> None:
        self.contract = contract
        self.templater = templater
        self.presence = presence

    def run(self, exchange: Exchange) -> list[Violation]:
        endpoint, methods = self.contract.match(exchange.method, exchange.path)
        if endpoint is None:
            template = self.templater.template(exchange.path).template
            detail = (f"method not in the contract (the path has {', '.join(methods)})"
                      if methods else "path not in the contract")
            return [Violation("unknown-endpoint", f"{exchange.method.upper()} {template}",
                              detail=detail, value=exchange.path)]
        request, why = read_json(exchange.request_body)
        operation, unknown = self._operation(endpoint, request, why)
        if unknown is not None:
            return [unknown]
        assert operation is not None
        found = self._query(endpoint, operation, exchange)
        if operation.request is not None and not why:
            found += self._body(endpoint, operation, "request", operation.request, request)
        return found + self._response(endpoint, operation, exchange)

    def _operation(self, endpoint: EndpointContract, request: Any, why: str
                   ) -> tuple[OperationContract | None, Violation | None]:
        if not endpoint.operations:
            return endpoint.default, None
        field = endpoint.discriminator
        name = operation_name(request, field)
        if name is not None:
            known = endpoint.operations.get(name)
            if known is not None:
                return known, None
            return None, Violation("unknown-operation", endpoint.key, name,
                                   detail="operation not in the contract")
        if not why and endpoint.default.request is None and isinstance(request, dict):
            return None, Violation("unknown-operation", endpoint.key, f"(no {field or 'name'})",
                                   detail="request names no operation")
        return endpoint.default, None

    def _query(self, endpoint: EndpointContract, operation: OperationContract,
               exchange: Exchange) -> list[Violation]:
        if endpoint.query is None or not exchange.query:
            return []
        return [Violation(v.kind, v.endpoint, v.operation, v.location, v.field.lstrip("/"),
                          v.detail, v.value)
                for v in self._body(endpoint, operation, "query", endpoint.query,
                                    query_sample(exchange), track=False)]

    def _response(self, endpoint: EndpointContract, operation: OperationContract,
                  exchange: Exchange) -> list[Violation]:
        if exchange.status is None:
            return []
        status = str(exchange.status)
        found: list[Violation] = []
        if status not in endpoint.responses and "default" not in endpoint.responses:
            return [Violation("new-status", endpoint.key, operation.name, f"response {status}",
                              detail=f"status {status} not in the contract")]
        if operation.statuses is not None and status not in operation.statuses:
            known = ", ".join(sorted(operation.statuses)) or "none"
            found.append(Violation("new-status", endpoint.key, operation.name,
                                   f"response {status}", detail=f"status {status} not "
                                   f"recorded for this operation (contract: {known})"))
        check = endpoint.responses.get(status, endpoint.responses.get("default"))
        body, why = read_json(exchange.response_body)
        if check is not None and not why:
            found += self._body(endpoint, operation, f"response {status}", check, body)
        return found

    def _body(self, endpoint: EndpointContract, operation: OperationContract, location: str,
              check: BodyCheck, value: Any, track: bool = True) -> list[Violation]:
        hook = None
        if track and self.presence is not None:
            presence = self.presence
            # Response schemas are the endpoint's (all operations merged): so is presence.
            owner = operation.name if location == "request" else None

            def hook(path: str, schema: dict[str, Any], seen: dict[str, Any]) -> None:
                presence(endpoint.key, owner, location, path, schema, seen)

        walker = FieldWalker(self.contract.resolve, hook)
        findings: list[BodyFinding] = list(errors_to_findings(check.validator.iter_errors(value)))
        findings += walker.new_fields(check.schema, value)
        return [Violation(f.kind, endpoint.key, operation.name, location, f.field, f.detail,
                          f.value) for f in findings]


class LiveChecker:
    """Checks exchanges one at a time against an OpenAPI contract; safe to share."""

    def __init__(self, contract_path: str | Path) -> None:
        self.contract = Contract.load(contract_path)
        self._check = ExchangeCheck(self.contract, PathTemplater(Config()))

    def check(self, exchange: Exchange) -> list[Violation]:
        """Everything in this exchange the contract does not describe ([] when none)."""
        return self._check.run(exchange)



MAX_LOGGED = 1000  # distinct violation lines logged per run; later ones are only stored


class ContractAnnotator:
    """The store writer's `annotate` step: a record's violations as (kind, endpoint,
    summary) rows, each distinct one also reported once through `warn`. Pickles as the
    contract's path, so the writer process loads (and compiles) the contract itself."""

    def __init__(self, contract_path: str | Path,
                 warn: Callable[[str], None] | None = None) -> None:
        self.contract_path = str(contract_path)
        self.checker = LiveChecker(contract_path)
        self.warn = warn or (lambda message: None)
        self.logged: set[str] = set()

    def __getstate__(self) -> dict[str, Any]:
        return {"contract_path": self.contract_path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["contract_path"])  # type: ignore[misc]

    def __call__(self, exchange: Exchange) -> list[tuple[str, str, str]]:
        found = [(v.kind, v.endpoint, v.summary) for v in self.checker.check(exchange)]
        for kind, endpoint, summary in found:
            line = f"{endpoint}: {kind}: {summary}"
            if line not in self.logged and len(self.logged) < MAX_LOGGED:
                self.logged.add(line)
                self.warn(f"wsdoc: contract: {line[:300]}")
        return found
