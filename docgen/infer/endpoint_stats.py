"""One endpoint's statistics while a capture streams by: a method on a provisional template.

`EndpointStats` folds the exchanges filed under one (method, origin, template as known at
that moment): operations (docgen.infer.accumulators), query parameters, statuses, example
paths, what each path position held, and the structural evidence docgen.infer.structure
needs. `merge` joins two when path evidence gives them one template; `to_endpoint` turns one
into the model's `Endpoint` once the final template is known (docgen.infer.builder).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from typing import Any

from docgen.capture.record import Exchange, operation_name, query_sample
from docgen.infer.accumulators import OperationStats, ResponseStats, merge_by_key
from docgen.infer.bodyfacts import BodyFacts, RecentBodies
from docgen.infer.config import Config
from docgen.infer.distinct import add_distinct
from docgen.infer.fields import params_from_object
from docgen.infer.model import Endpoint, Param, ResponseDoc
from docgen.infer.paths import Templated
from docgen.infer.profile import Profile
from docgen.infer.schema.builder import EvidenceSchemaBuilder
from docgen.infer.schema.settings import SchemaSettings
from docgen.infer.structure import CANDIDATES, ROOT, Route, Structure

MAX_OPERATIONS = 100  # further discriminator values are folded into the unnamed operation
MAX_EXAMPLE_PATHS = 3
MAX_SIGNATURES = 8  # response shapes remembered per provisional endpoint
MAX_SELF_IDS = 50
_MAY_BECOME_PARAM = ("ambiguous", "literal-word")  # literal now, a parameter after more evidence


def url_length(exchange: Exchange) -> int:
    query = sum(len(name) + len(value) + 2 for name, value in exchange.query)
    return len(exchange.url) + query



def admitted(name: str | None, known: Collection[str | None]) -> str | None:
    """The operation a name is filed under, given the names an endpoint already has: past
    MAX_OPERATIONS names, a new one goes to the unnamed operation (None)."""
    return None if name not in known and len(known) >= MAX_OPERATIONS else name


class EndpointStats:
    """One method on one (provisional) template."""

    def __init__(self, method: str, path: str, config: Config, settings: SchemaSettings,
                 origin: str = "", bodies: RecentBodies | None = None,
                 arrival: int = 0) -> None:
        self.method = method
        self.bodies = bodies or RecentBodies()
        self.first_path = path
        self.origin = origin
        self.arrival = arrival  # the number of its first exchange: groups keep this order
        self.signatures: set[str] = set()  # shapes of successful JSON responses
        self.self_ids: dict[str, str] = {}  # path segment -> identity key of its response
        self.echoed: set[str] = set()  # path segments its responses quote
        self.config = config
        self.settings = settings
        self.count = 0
        self.operations: dict[str | None, OperationStats] = {}
        self.query = EvidenceSchemaBuilder(settings)
        self.statuses: Counter[int] = Counter()
        self.example_paths: list[str] = []
        self.position_examples: dict[int, list[str]] = {}
        self.position_shapes: dict[int, Counter[str]] = {}
        self.max_url = 0

    def add(self, exchange: Exchange, templated: Templated, structure: Structure) -> str | None:
        """Fold one exchange in (and its structural evidence into `structure`); the name of
        the operation it was filed under."""
        self.count += 1
        request = self.bodies.facts(exchange.request_body)
        response = self.bodies.facts(exchange.response_body)
        name = self._operation_name(request.parsed)
        self._operation(name).add(exchange, request, response)
        self._note_structure(structure, exchange, templated, request, response)
        length = url_length(exchange)  # bounds the held query sample, and the URL limit note
        self.query.add_sample(query_sample(exchange), tuple(exchange.query), length)
        if exchange.status is not None:
            self.statuses[exchange.status] += 1
        add_distinct(self.example_paths, exchange.path, MAX_EXAMPLE_PATHS)
        for decision in templated.decisions:
            if not decision.is_param and decision.rule not in _MAY_BECOME_PARAM:
                continue
            examples = self.position_examples.setdefault(decision.index, [])
            add_distinct(examples, decision.value, self.settings.max_examples)
            shape = decision.shape.name if decision.shape else "text"
            shapes = self.position_shapes.get(decision.index)
            if shapes is None:
                shapes = self.position_shapes[decision.index] = Counter()
            shapes[shape] += 1
        self.max_url = max(self.max_url, length)
        return name

    def _note_structure(self, structure: Structure, exchange: Exchange, templated: Templated,
                        request: BodyFacts, response: BodyFacts) -> None:
        """What docgen.infer.structure needs: identities, shapes, segments the answer names."""
        structure.note_identities(request.identities)
        structure.note_identities(response.identities)
        if exchange.status is not None and 200 <= exchange.status < 300 \
                and response.parsed is not None and len(self.signatures) < MAX_SIGNATURES:
            self.signatures.add(response.signature)
        values = {d.value for d in templated.decisions
                  if not d.is_param and d.rule in (*CANDIDATES, ROOT)}
        if not values:
            return
        for key, value in response.identities:
            if value in values and len(self.self_ids) < MAX_SELF_IDS:
                self.self_ids.setdefault(value, key)
        if len(self.echoed) < MAX_SELF_IDS:
            self.echoed |= values & response.tokens

    def route(self, templated: Templated) -> Route:
        return Route(self.method, self.origin, templated.decisions, frozenset(self.signatures),
                     dict(self.self_ids), frozenset(self.echoed))

    def _operation_name(self, parsed: Any) -> str | None:
        name = operation_name(parsed, self.config.operation_field)
        return admitted(name, self.operations)

    def _operation(self, name: str | None) -> OperationStats:
        found = self.operations.get(name)
        if found is None:
            found = OperationStats(name, self.settings, self.config.profile)
            self.operations[name] = found
        return found

    def merge(self, other: EndpointStats) -> None:
        self.count += other.count
        merge_by_key(self.operations, other.operations)
        self.query.merge(other.query)
        self.statuses.update(other.statuses)
        for path in other.example_paths:
            add_distinct(self.example_paths, path, MAX_EXAMPLE_PATHS)
        for index, values in other.position_examples.items():
            mine = self.position_examples.setdefault(index, [])
            for value in values:
                add_distinct(mine, value, self.settings.max_examples)
        for index, shapes in other.position_shapes.items():
            self.position_shapes.setdefault(index, Counter()).update(shapes)
        self.max_url = max(self.max_url, other.max_url)
        self.signatures |= other.signatures

    def to_endpoint(self, templated: Templated, host: str = "") -> Endpoint:
        profile = self.config.profile
        notifications = self.config.notifications
        template = templated.template
        operations = [self.operations[name].to_doc()
                      for name in sorted(self.operations, key=lambda n: (n is not None, n))]
        endpoint = Endpoint(
            method=self.method, template=template, host=host,
            path_params=[self._path_param(d, templated) for d in templated.params],
            query_params=params_from_object(self.query.schema(), "query"),
            operations=operations,
            responses=operations[0].responses if len(operations) == 1 else self._responses(),
            sample_count=self.count, status_codes=dict(sorted(self.statuses.items())),
            example_paths=list(self.example_paths), max_url_length=self.max_url,
            is_notifications=bool(notifications) and (
                template == notifications or template.startswith(notifications.rstrip("/") + "/")),
        )
        if profile.url_limit and self.max_url > profile.url_limit:
            endpoint.notes.append(f"longest URL seen is {self.max_url} characters; the server "
                                  f"accepts at most {profile.url_limit}")
        return endpoint

    def _responses(self) -> dict[int, ResponseDoc]:
        """Responses of all operations merged per status. Destructive: run after to_doc."""
        merged: dict[int, ResponseStats] = {}
        for operation in self.operations.values():
            for status, stats in operation.responses.items():
                merged.setdefault(status, ResponseStats(self.settings)).merge(stats)
        return {status: merged[status].to_doc(status, self.config.profile)
                for status in sorted(merged)}

    def _path_param(self, decision: Any, templated: Templated) -> Param:
        shapes = self.position_shapes.get(decision.index, Counter())
        schema: dict[str, Any] = {"type": "string"}
        if len(shapes) == 1:
            shape = _shape_named(self.config.profile, next(iter(shapes)))
            if shape is not None:
                schema.update(shape.schema)
        prefix = templated.template.split("{" + decision.name + "}")[0].rstrip("/")
        return Param(
            name=decision.name, location="path", schema=schema, required=True,
            seen=self.count, total=self.count,
            examples=list(self.position_examples.get(decision.index, [decision.value])),
            shape=", ".join(sorted(shapes)), description=decision.reason(prefix),
        )


def _shape_named(profile: Profile, name: str) -> Any:
    return next((shape for shape in profile.id_shapes if shape.name == name), None)
