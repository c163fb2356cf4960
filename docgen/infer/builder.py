"""Build the documentation model from recorded exchanges in one streaming pass.

Memory stays bounded by the number of endpoints, not of exchanges: every exchange is
folded into the accumulator of its provisional endpoint (method + path template as known
at that moment) and then dropped. Path evidence keeps growing while the stream runs, so a
position may become a parameter late (the tenth queue name); at the end every provisional
endpoint is re-templated under all the evidence, structural evidence included (siblings
that continue alike or answer alike: docgen.infer.structure), and endpoints that now share
a template are merged. When a capture has several origins, the origin is part of an
endpoint's identity (`Endpoint.host`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, NamedTuple

from docgen.capture import provenance
from docgen.capture.record import Exchange, operation_name, query_sample, read_json
from docgen.infer.accumulators import OperationStats, ResponseStats
from docgen.infer.bodyfacts import BodyFacts, RecentBodies
from docgen.infer.config import Config
from docgen.infer.descriptions import describe
from docgen.infer.distinct import add_distinct
from docgen.infer.events import EventCollector
from docgen.infer.fields import params_from_object
from docgen.infer.model import METHOD_ORDER, ApiModel, Endpoint, Param, ResponseDoc
from docgen.infer.partition import Partition
from docgen.infer.paths import PathTemplater, Templated
from docgen.infer.profile import Profile
from docgen.infer.schema.builder import EvidenceSchemaBuilder
from docgen.infer.schema.settings import SchemaSettings
from docgen.infer.security import schemes as security_schemes
from docgen.infer.session import SessionCollector
from docgen.infer.structure import (
    CANDIDATES,
    ROOT,
    Route,
    Structure,
)

MAX_OPERATIONS = 100  # further discriminator values are folded into the unnamed operation
MAX_EXAMPLE_PATHS = 3
MAX_HOSTS = 20
MAX_SIGNATURES = 8  # response shapes remembered per provisional endpoint
MAX_SELF_IDS = 50
MAX_RECORDERS = 50  # provenance names kept for the home page; memory stays flat
_MAY_BECOME_PARAM = ("ambiguous", "literal-word")  # literal now, a parameter after more evidence


def schema_settings(config: Config) -> SchemaSettings:
    return SchemaSettings(
        enum_min_samples=config.enum_min_samples, enum_max_distinct=config.enum_max_distinct,
        max_depth=config.max_depth, max_examples=config.max_examples,
        id_shapes=config.profile.id_shapes,
    )


def url_length(exchange: Exchange) -> int:
    query = sum(len(name) + len(value) + 2 for name, value in exchange.query)
    return len(exchange.url) + query


class Filed(NamedTuple):
    """Where ModelBuilder.add filed an exchange."""

    template: str
    operation: str | None


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
        if name not in self.operations and len(self.operations) >= MAX_OPERATIONS:
            return None
        return name

    def _operation(self, name: str | None) -> OperationStats:
        found = self.operations.get(name)
        if found is None:
            found = OperationStats(name, self.settings, self.config.profile)
            self.operations[name] = found
        return found

    def merge(self, other: EndpointStats) -> None:
        self.count += other.count
        for name, stats in other.operations.items():
            if name in self.operations:
                self.operations[name].merge(stats)
            else:
                self.operations[name] = stats
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


class ModelBuilder:
    """Feed exchanges with `add`, then `finish` once for the ApiModel."""

    def __init__(self, config: Config | None = None, partition: Partition | None = None,
                 ordered: bool = False) -> None:
        self.config = config or Config()
        self.settings = schema_settings(self.config)
        self.templater = PathTemplater(self.config)
        self.partition = partition  # part 0 of a split build (docgen.infer.partition)
        # A part of a split build notes when it met each identity value, for the merge.
        self.structure = Structure(ordered=ordered or partition is not None)
        self.groups: dict[tuple[str, str, str], EndpointStats] = {}
        self.count = 0
        self.first: float | None = None
        self.last: float | None = None
        self.origins: Counter[str] = Counter()
        self.recorders: Counter[str] = Counter()  # provenance: "name@host" -> records
        self.server_version: str | None = None
        self.bodies = RecentBodies()  # shared by every endpoint: one cache, one bound

    def add(self, exchange: Exchange) -> Filed:
        """Fold one exchange in; the path template and operation it was filed under for now
        (the template may still change as path evidence grows)."""
        self.count += 1
        if exchange.started:
            self.first = min(self.first or exchange.started, exchange.started)
            self.last = max(self.last or exchange.started, exchange.started)
        origin = exchange.origin
        if origin in self.origins or len(self.origins) < MAX_HOSTS:
            self.origins[origin] += 1
        recorder = provenance.label(exchange)
        if recorder and (recorder in self.recorders or len(self.recorders) < MAX_RECORDERS):
            self.recorders[recorder] += 1
        self._note_version(exchange)
        templated = self.templater.observe(exchange.path)
        key = (exchange.method.upper(), origin, templated.template)
        partition = self.partition
        if partition is not None and not partition.owns(key, exchange, templated, self.count,
                                                        self.groups):
            return Filed(templated.template, partition.operation(key, exchange, self.bodies))
        operation = self.fold(key, exchange, templated)
        if partition is not None:
            partition.folded()
        return Filed(templated.template, operation)

    def fold(self, key: tuple[str, str, str], exchange: Exchange, templated: Templated
             ) -> str | None:
        """Fold exchange number `count` into the endpoint `key` (method, origin, template as
        `add` decided them); the operation it was filed under."""
        group = self.groups.get(key)
        if group is None:
            group = EndpointStats(key[0], exchange.path, self.config, self.settings, key[1],
                                  self.bodies, self.count)
            self.groups[key] = group
        self.structure.now = self.count
        return group.add(exchange, templated, self.structure)

    def keep_only(self, keys: list[tuple[str, str, str]]) -> None:
        """Drop the endpoints not in `keys` (another part of a split build owns them)."""
        wanted = set(keys)
        self.groups = {key: group for key, group in self.groups.items() if key in wanted}

    def _note_version(self, exchange: Exchange) -> None:
        version_path = self.config.profile.version_path
        if not version_path or exchange.path.rstrip("/") != version_path:
            return
        parsed, why = read_json(exchange.response_body)
        if not why and isinstance(parsed, dict) and isinstance(parsed.get("version"), str):
            self.server_version = parsed["version"]

    def finish(self) -> ApiModel:
        several = len(self.origins) > 1
        provisional = [(group, self.templater.template(group.first_path))
                       for group in self.groups.values()]
        self.structure.learn([group.route(templated) for group, templated in provisional])
        merged: dict[tuple[str, str, str], tuple[EndpointStats, Templated]] = {}
        for group, templated in provisional:
            final = self.structure.apply(group.origin, templated)
            key = (group.method, group.origin if several else "", final.template)
            if key in merged:
                merged[key][0].merge(group)
            else:
                merged[key] = (group, final)
        endpoints = [group.to_endpoint(final, key[1]) for key, (group, final) in merged.items()]
        endpoints.sort(key=lambda e: (e.host, e.template, METHOD_ORDER.get(e.method, 99),
                                      e.method))
        return ApiModel(
            title=self.config.title or self._default_title(), endpoints=endpoints,
            server_version=self.server_version, recorded_from=_when(self.first),
            recorded_to=_when(self.last), exchange_count=self.count,
            base_url=self.config.base_url or self._main_origin(),
            profile=self.config.profile.name, discriminator=self.config.operation_field,
            security_schemes=security_schemes(_security_counts(endpoints)),
            recorders=dict(sorted(self.recorders.items(), key=lambda item: (-item[1], item[0]))),
        )

    def explain(self, path: str, origin: str = "") -> Templated:
        """The final template of `path` (call after `finish`): online and structural evidence."""
        host = origin or (self._main_origin() if len(self.origins) == 1 else "")
        return self.structure.apply(host, self.templater.template(path))

    def _main_origin(self) -> str:
        return self.origins.most_common(1)[0][0] if self.origins else ""

    def _default_title(self) -> str:
        if self.config.profile.name == "webservices":
            return "Genesys Web Services API"
        origin = self._main_origin()
        return f"{origin.split('://')[-1]} API" if origin else "API"


def _security_counts(endpoints: list[Endpoint]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for endpoint in endpoints:
        for operation in endpoint.operations:
            counts.update(operation.security)
    return counts


def _when(epoch: float | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, UTC) if epoch else None


class Passes(NamedTuple):
    """The three passes over a stream of exchanges: endpoints, notifications, sessions."""

    builder: ModelBuilder
    events: EventCollector
    session: SessionCollector

    @classmethod
    def start(cls, builder: ModelBuilder) -> Passes:
        return cls(builder, EventCollector(builder.config, builder.settings),
                   SessionCollector(builder.config.profile))

    def add_all(self, exchanges: Iterable[Exchange]) -> None:
        builder, events, session = self
        for exchange in exchanges:
            filed = builder.add(exchange)
            events.add(exchange, filed.template, filed.operation)
            session.add(exchange, filed.template)

    def finish(self) -> ApiModel:
        builder = self.builder

        def template_of(path: str) -> str:
            return builder.templater.template(path).template

        model = self.session.apply(self.events.apply(builder.finish(), template_of),
                                   template_of)
        return describe(model)


def build_model(exchanges: Iterable[Exchange], config: Config | None = None) -> ApiModel:
    """The documentation model of a stream of exchanges in one pass, with the notifications
    that followed operations (docgen.infer.events). Memory: per endpoint, plus the operations and
    notifications of the last few minutes of traffic, kept until their correlation settles."""
    passes = Passes.start(ModelBuilder(config))
    passes.add_all(exchanges)
    return passes.finish()
