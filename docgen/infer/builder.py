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
from typing import NamedTuple

from docgen.capture import provenance
from docgen.capture.record import Exchange, read_json
from docgen.infer.bodyfacts import RecentBodies
from docgen.infer.config import Config
from docgen.infer.descriptions import describe
from docgen.infer.endpoint_stats import EndpointStats
from docgen.infer.events import EventCollector
from docgen.infer.model import METHOD_ORDER, ApiModel, Endpoint
from docgen.infer.partition import Partition
from docgen.infer.paths import PathTemplater, Templated
from docgen.infer.schema.settings import SchemaSettings
from docgen.infer.security import schemes as security_schemes
from docgen.infer.session import SessionCollector
from docgen.infer.structure import Structure

MAX_HOSTS = 20
MAX_RECORDERS = 50  # provenance names kept for the home page; memory stays flat


def schema_settings(config: Config) -> SchemaSettings:
    return SchemaSettings(
        enum_min_samples=config.enum_min_samples, enum_max_distinct=config.enum_max_distinct,
        max_depth=config.max_depth, max_examples=config.max_examples,
        id_shapes=config.profile.id_shapes,
    )


class Filed(NamedTuple):
    """Where ModelBuilder.add filed an exchange."""

    template: str
    operation: str | None


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
