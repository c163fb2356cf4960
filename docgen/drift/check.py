"""`wsdoc check`: a whole capture store against an OpenAPI contract.

Every exchange goes through the live checks (docgen.drift.live); the results are then
deduplicated: each (endpoint, operation, kind, location + field) is reported once, with
how many times it happened, the distinct details (up to MAX_DETAILS) and one example
exchange. One check needs the whole store:

* removed-field  an optional field the contract saw in `seen/total` of its parent objects
                 never appears in the `n` parent objects recorded now, and the chance of
                 that happening by luck, (1 - seen/total) ** n, is below REMOVAL_CHANCE.
                 (A required field that disappears is already missing-required.)

What is breaking (exit status 1) is configurable with `--fail-on`; by default a change
that can break an existing client is: unknown endpoints and operations, missing required
fields, removed fields, type and format changes and violated constraints. Additions a
tolerant client ignores are reported but not breaking: new fields, new enum values, new
status codes.

Not checked: path parameter values (the template match is the check), request and
response headers, and bodies that are not JSON (they carry no schema to check against).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.capture.record import Exchange
from docgen.capture.store import Store
from docgen.drift.contract import Contract
from docgen.drift.live import ExchangeCheck, Violation
from docgen.errors import WsdocError
from docgen.infer.config import Config
from docgen.infer.fields import escape, parse_seen
from docgen.infer.model import METHOD_ORDER
from docgen.infer.paths import PathTemplater
from docgen.publish.extensions import X_SEEN

KINDS: tuple[str, ...] = (
    "unknown-endpoint", "unknown-operation", "new-status", "missing-required",
    "removed-field", "type-changed", "format-changed", "new-enum-value",
    "constraint-violated", "new-field",
)
DEFAULT_FAIL_ON = frozenset({
    "unknown-endpoint", "unknown-operation", "missing-required", "removed-field",
    "type-changed", "format-changed", "constraint-violated",
})
REMOVAL_CHANCE = 0.01  # below this, "never seen" is not luck but a removed field
MAX_DETAILS = 5
EXAMPLE_CHARS = 100


def parse_fail_on(text: str) -> frozenset[str]:
    """'default,new-enum-value' -> kinds; also 'all' and 'none'."""
    kinds: set[str] = set()
    for word in (w.strip() for w in text.replace(" ", ",").split(",")):
        if not word or word == "none":
            continue
        if word == "default":
            kinds |= DEFAULT_FAIL_ON
        elif word == "all":
            kinds |= set(KINDS)
        elif word in KINDS:
            kinds.add(word)
        else:
            raise WsdocError(f"unknown drift kind {word!r} in --fail-on; use default, all, "
                             f"none or: {', '.join(KINDS)}")
    return frozenset(kinds)


@dataclass(frozen=True)
class Example:
    exchange_id: int | None
    request: str  # "GET /api/v2/users/1e55...?fields=*"
    value: str = ""


@dataclass
class Finding:
    """One deduplicated kind of drift at one place."""

    kind: str
    endpoint: str
    operation: str | None
    location: str
    field: str
    count: int
    details: list[str]
    example: Example
    breaking: bool = False

    @property
    def where(self) -> str:
        return " ".join(part for part in (self.location, self.field) if part)

    def sort_key(self) -> tuple[Any, ...]:
        method, _, template = self.endpoint.partition(" ")
        return (template, METHOD_ORDER.get(method, 99), method, self.operation or "",
                KINDS.index(self.kind), self.location, self.field)


@dataclass
class CheckReport:
    contract: str
    store: str
    exchanges: int
    contract_endpoints: list[str]
    fail_on: frozenset[str]
    findings: list[Finding] = field(default_factory=list)
    unanswered: int = 0  # exchanges the server never answered (down, refused, timed out)

    @property
    def breaking(self) -> list[Finding]:
        return [f for f in self.findings if f.breaking]


def request_line(exchange: Exchange) -> str:
    query = "&".join(f"{name}={value}" for name, value in exchange.query)
    line = f"{exchange.method} {exchange.path}{'?' + query if query else ''}"
    return line if len(line) <= EXAMPLE_CHARS else line[: EXAMPLE_CHARS - 3] + "..."


class Findings:
    """Deduplicates violations into findings."""

    def __init__(self) -> None:
        self.found: dict[tuple[Any, ...], Finding] = {}

    def add(self, violation: Violation, example: Example, count: int = 1) -> None:
        key = (violation.endpoint, violation.operation, violation.kind, violation.location,
               violation.field)
        finding = self.found.get(key)
        if finding is None:
            self.found[key] = Finding(violation.kind, violation.endpoint, violation.operation,
                                      violation.location, violation.field, count,
                                      [violation.detail], example)
            return
        finding.count += count
        if violation.detail not in finding.details and len(finding.details) < MAX_DETAILS:
            finding.details.append(violation.detail)

    def sorted(self, fail_on: frozenset[str]) -> list[Finding]:
        for finding in self.found.values():
            finding.breaking = finding.kind in fail_on
        return sorted(self.found.values(), key=Finding.sort_key)


ObjectKey = tuple[str, str | None, str, str]  # endpoint, operation, location, object path


class Presence:
    """How often each property of each contract object was present in the recorded bodies."""

    def __init__(self) -> None:
        self.parents: Counter[ObjectKey] = Counter()
        self.present: Counter[tuple[ObjectKey, str]] = Counter()
        self.evidence: dict[ObjectKey, dict[str, tuple[int, int]]] = {}  # optional fields
        self.first: dict[ObjectKey, Example] = {}
        self.current = Example(None, "")

    def saw(self, endpoint: str, operation: str | None, location: str, path: str,
            schema: dict[str, Any], value: dict[str, Any]) -> None:
        key = (endpoint, operation, location, path)
        if key not in self.evidence:
            self.evidence[key] = _optional_evidence(schema)
            self.first[key] = self.current
        self.parents[key] += 1
        for name in self.evidence[key]:
            if name in value:
                self.present[(key, name)] += 1

    def removed(self) -> list[tuple[Violation, Example, int]]:
        found = []
        for key, fields in self.evidence.items():
            parents = self.parents[key]
            for name, (seen, total) in fields.items():
                if self.present[(key, name)] or (1 - seen / total) ** parents >= REMOVAL_CHANCE:
                    continue
                endpoint, operation, location, path = key
                detail = (f"never present in {parents} objects; the contract saw it in "
                          f"{seen} of {total}")
                violation = Violation("removed-field", endpoint, operation, location,
                                      f"{path}/{escape(name)}", detail)
                found.append((violation, self.first[key], parents))
        return found


def _optional_evidence(schema: dict[str, Any]) -> dict[str, tuple[int, int]]:
    required = set(schema.get("required") or [])
    evidence = {}
    for name, child in (schema.get("properties") or {}).items():
        seen, total = parse_seen(child.get(X_SEEN) if isinstance(child, dict) else None)
        if name not in required and seen and total:
            evidence[name] = (seen, total)
    return evidence


def check_store(contract_path: str | Path, store_path: str | Path,
                fail_on: frozenset[str] = DEFAULT_FAIL_ON) -> CheckReport:
    """Every exchange of a store against a contract, deduplicated and sorted."""
    contract = Contract.load(contract_path)
    presence = Presence()
    checker = ExchangeCheck(contract, PathTemplater(Config()), presence.saw)
    findings = Findings()
    count = unanswered = 0
    with Store(store_path, readonly=True) as store:
        for exchange in store.exchanges():
            count += 1
            unanswered += exchange.status is None
            presence.current = Example(exchange.id, request_line(exchange))
            for violation in checker.run(exchange):
                findings.add(violation, Example(exchange.id, request_line(exchange),
                                                violation.value))
    for violation, example, parents in presence.removed():
        findings.add(violation, example, parents)
    return CheckReport(str(contract_path), str(store_path), count,
                       [ep.key for ep in contract.endpoints], fail_on, findings.sorted(fail_on),
                       unanswered)


def live_report(store_path: str | Path,
                fail_on: frozenset[str] = DEFAULT_FAIL_ON) -> CheckReport:
    """The violations the recorder found while recording (`wsdoc record --contract`), read
    back from the store's `violations` table and deduplicated like `check_store`'s."""
    findings = Findings()
    with Store(store_path, readonly=True) as store:
        count = store.count()
        for exchange, kind, endpoint, detail in store.violations():
            violation = Violation(kind, endpoint, detail=detail)
            findings.add(violation, Example(exchange.id, request_line(exchange)))
    return CheckReport("(checked live while recording)", str(store_path), count, [], fail_on,
                       findings.sorted(fail_on))
