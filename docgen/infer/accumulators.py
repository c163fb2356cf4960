"""Bounded, mergeable accumulators for bodies, responses and operations.

Each accumulator keeps counts, one evidence schema builder and a few examples, so its size
does not grow with the number of exchanges fed to it. `merge` folds two accumulators
together (used when path evidence merges provisional endpoints).
"""

from __future__ import annotations

import http
from collections import Counter
from typing import Any

from docgen.capture.record import ABSENT, Body, Exchange
from docgen.infer.bodyfacts import BodyFacts
from docgen.infer.examples import ExamplePicker
from docgen.infer.fields import field_docs, params_from_object
from docgen.infer.headers import HeaderStats, is_client_default
from docgen.infer.model import BodyDoc, NonJsonDoc, Operation, OutcomeCode, ResponseDoc
from docgen.infer.profile import Profile
from docgen.infer.schema.builder import EvidenceSchemaBuilder
from docgen.infer.schema.settings import SchemaSettings
from docgen.infer.security import uses as security_uses

MAX_BODY_EXAMPLES = 2
EXAMPLE_BODY_BYTES = 64 * 1024  # larger bodies are summarised by schema, not kept as examples
MAX_OUTCOMES = 32


class BodyStats:
    """Everything learned about one kind of body (a request, or a response status)."""

    def __init__(self, settings: SchemaSettings) -> None:
        self.builder = EvidenceSchemaBuilder(settings)
        self.samples = 0
        self.content_types: Counter[str] = Counter()
        self.non_json = NonJsonDoc()
        self.examples: list[Any] = []

    def add(self, body: Body, parsed: Any, why: str) -> None:
        if why == ABSENT:
            return
        self.samples += 1
        self.content_types[body.content_type] += 1
        if why:
            self._add_non_json(body, why)
            return
        self.builder.add_sample(parsed, body.content, len(body.content or b""))
        if len(self.examples) < MAX_BODY_EXAMPLES and body.size <= EXAMPLE_BODY_BYTES:
            self.examples.append(parsed)

    def _add_non_json(self, body: Body, why: str) -> None:
        doc = self.non_json
        size = body.size or len(body.content or b"")
        doc.min_size = size if doc.count == 0 else min(doc.min_size, size)
        doc.max_size = max(doc.max_size, size)
        doc.count += 1
        doc.reasons[why] = doc.reasons.get(why, 0) + 1
        doc.content_types[body.content_type] = doc.content_types.get(body.content_type, 0) + 1

    def merge(self, other: BodyStats) -> None:
        self.builder.merge(other.builder)
        self.samples += other.samples
        self.content_types.update(other.content_types)
        mine, theirs = self.non_json, other.non_json
        if theirs.count:
            mine.min_size = theirs.min_size if not mine.count else min(mine.min_size,
                                                                       theirs.min_size)
            mine.max_size = max(mine.max_size, theirs.max_size)
            mine.count += theirs.count
            for table, extra in ((mine.reasons, theirs.reasons),
                                 (mine.content_types, theirs.content_types)):
                for key, count in extra.items():
                    table[key] = table.get(key, 0) + count
        room = MAX_BODY_EXAMPLES - len(self.examples)
        self.examples.extend(other.examples[:max(room, 0)])

    def to_doc(self) -> BodyDoc | None:
        if not self.samples:
            return None
        schema = self.builder.schema() if self.builder.samples else None
        return BodyDoc(
            samples=self.samples, content_types=dict(self.content_types.most_common()),
            schema=schema, fields=field_docs(schema) if schema else [],
            examples=list(self.examples), non_json=self.non_json if self.non_json.count else None,
        )


class ResponseStats:
    """Responses of one HTTP status for one operation."""

    def __init__(self, settings: SchemaSettings) -> None:
        self.count = 0
        self.reasons: Counter[str] = Counter()
        self.body = BodyStats(settings)
        self.outcomes: Counter[Any] = Counter()
        self.headers = HeaderStats()

    def add(self, exchange: Exchange, parsed: Any, why: str, outcome_field: str) -> None:
        self.count += 1
        if len(self.reasons) < MAX_OUTCOMES or exchange.reason in self.reasons:
            self.reasons[exchange.reason] += 1
        self.body.add(exchange.response_body, parsed, why)
        self.headers.add(exchange.response_headers)
        if outcome_field and isinstance(parsed, dict):
            value = parsed.get(outcome_field)
            hashable = isinstance(value, (int, str)) and not isinstance(value, bool)
            if hashable and (value in self.outcomes or len(self.outcomes) < MAX_OUTCOMES):
                self.outcomes[value] += 1

    def merge(self, other: ResponseStats) -> None:
        self.count += other.count
        self.reasons.update(other.reasons)
        self.body.merge(other.body)
        self.outcomes.update(other.outcomes)
        self.headers.merge(other.headers)

    def to_doc(self, status: int, profile: Profile) -> ResponseDoc:
        sent = self.reasons.most_common(1)[0][0] if self.reasons else ""
        reason = status_phrase(status) or sent or f"HTTP {status}"
        # The capture's own text only as a note, and only when it says something else
        # (servers and HAR exporters write "OK" on a 429, or nothing at all on HTTP/2).
        note = sent if sent and sent.casefold() != reason.casefold() else ""
        outcomes = [
            OutcomeCode(value, count, profile.outcome_meanings.get(value, "")
                        if isinstance(value, int) else "")
            for value, count in sorted(self.outcomes.items(), key=lambda item: str(item[0]))
        ]
        return ResponseDoc(status=status, count=self.count, reason=reason, sent_reason=note,
                           body=self.body.to_doc(), outcome_codes=outcomes,
                           headers=self.headers.params())


def merge_by_key(into: dict[Any, Any], other: dict[Any, Any]) -> None:
    """Fold `other`'s accumulators (consumed) into `into`'s under the same key; others move."""
    for key, stats in other.items():
        if key in into:
            into[key].merge(stats)
        else:
            into[key] = stats


def status_phrase(status: int) -> str:
    """The RFC 9110 reason phrase of a status code ("" for codes it does not define)."""
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def auth_kind(exchange: Exchange, profile: Profile) -> str:
    """basic, bearer, other (Authorization header), cookie (session cookie) or none."""
    authorization = exchange.header("authorization")
    if authorization:
        scheme = authorization.split(" ", 1)[0].lower()
        return scheme if scheme in ("basic", "bearer", "digest") else "other"
    cookie = (exchange.header("cookie") or "").lower()
    if cookie and (not profile.session_cookie or profile.session_cookie.lower() in cookie):
        return "cookie"
    return "none"


class OperationStats:
    """One operation: its request bodies, responses per status, headers and examples."""

    def __init__(self, name: str | None, settings: SchemaSettings, profile: Profile) -> None:
        self.name = name
        self.settings = settings
        self.profile = profile
        self.count = 0
        self.failures = 0
        self.request = BodyStats(settings)
        self.responses: dict[int, ResponseStats] = {}
        self.headers = EvidenceSchemaBuilder(settings)
        self.auth: Counter[str] = Counter()
        self.security: Counter[str] = Counter()  # docgen.infer.security use keys
        self.examples = ExamplePicker()  # the most informative exchanges per status

    def add(self, exchange: Exchange, request: BodyFacts, response: BodyFacts) -> None:
        self.count += 1
        self.request.add(exchange.request_body, request.parsed, request.why)
        documented = self._documented_headers(exchange)
        self.headers.add_sample(documented, tuple(documented.items()), len(str(documented)))
        self.auth[auth_kind(exchange, self.profile)] += 1
        self.security.update(security_uses(exchange, self.profile))
        status = exchange.status
        self.examples.add(exchange, response.paths)
        if status is None:
            self.failures += 1
            return
        stats = self.responses.get(status)
        if stats is None:
            stats = self.responses[status] = ResponseStats(self.settings)
        stats.add(exchange, response.parsed, response.why, self.profile.outcome_field)

    def _documented_headers(self, exchange: Exchange) -> dict[str, str]:
        found: dict[str, str] = {}
        for name, value in exchange.request_headers:
            lower = name.lower()
            if (lower in self.profile.documented_headers and lower not in found
                    and not is_client_default(name, value)):
                found[lower] = value
        return found

    def merge(self, other: OperationStats) -> None:
        self.count += other.count
        self.failures += other.failures
        self.request.merge(other.request)
        merge_by_key(self.responses, other.responses)
        self.headers.merge(other.headers)
        self.auth.update(other.auth)
        self.security.update(other.security)
        self.examples.merge(other.examples)

    def to_doc(self) -> Operation:
        return Operation(
            name=self.name,
            sample_count=self.count,
            request=self.request.to_doc(),
            responses={status: self.responses[status].to_doc(status, self.profile)
                       for status in sorted(self.responses)},
            examples=self.examples.exchanges(),
            request_headers=params_from_object(self.headers.schema(), "header"),
            auth=dict(self.auth.most_common()),
            security=dict(self.security.most_common()),
            failures=self.failures,
        )
