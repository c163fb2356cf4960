"""A store's docs model built on every core, the same as one process would build it.

`store_model` splits a build by endpoint (docgen.infer.partition): this process is part 0,
reads the store and routes exchanges to forked processes (docgen.infer.routes), which read
those rows and send their endpoints back at the end. Rows are read up to the id the build
started at, so a recorder appending meanwhile changes nothing. Small stores and PostgreSQL
stores (whose ids may commit out of order) are built in this process alone.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import NamedTuple

from docgen.capture import postgres
from docgen.capture.cores import available_cores, frozen_heap
from docgen.capture.forks import Channel, Forked, fork
from docgen.capture.store import Store
from docgen.errors import WsdocError
from docgen.infer.builder import ModelBuilder, Passes
from docgen.infer.config import Config
from docgen.infer.endpoint_stats import EndpointStats
from docgen.infer.model import ApiModel
from docgen.infer.partition import Partition
from docgen.infer.routes import GroupKey, Inbox, Outbox
from docgen.infer.summary import dump_summary, load_summary

MIN_SPLIT = 3000  # exchanges: below this, starting processes costs more than it saves
WARMUP = 20  # parts fold everything for the first 1/20 of a store, to weigh its endpoints
_OK, _FAILED, _DEFECT = b"+", b"-", b"!"


def parts_for(store: Store) -> int:
    """How many parts to build a store in: one per core for a big SQLite store."""
    if postgres.is_postgres(store.path) or store.count() < MIN_SPLIT:
        return 1
    return available_cores()


def store_model(store: str | Path, config: Config, parts: int | None = None,
                warmup: int | None = None, meanwhile: Callable[[], object] | None = None
                ) -> ApiModel:
    """The docs model of everything in a store (opened read-only), built in `parts`
    processes (default: `parts_for`) after a warm-up of `warmup` exchanges (default: a
    twentieth of the store; fewer than the store holds).

    `meanwhile` is called once, when this process has done its own part and would wait
    for the others' (after the model, in a one-process build): the caller's next step can
    get ready there, e.g. import what writes the model out."""
    with Store(store, readonly=True) as opened:
        upto = opened.last_id()
        if parts is None:
            parts = parts_for(opened)
        if parts <= 1:
            passes = Passes.start(ModelBuilder(config))
            passes.add_all(opened.exchanges(upto=upto))
            model = passes.finish()
            if meanwhile is not None:
                meanwhile()
            return model
        count = opened.count(upto)
    warmup = count // WARMUP if warmup is None else min(warmup, count - 1)
    with frozen_heap():
        return _split(opened.path, config, Plan(parts, upto, max(warmup, 0)), meanwhile)


class Plan(NamedTuple):
    parts: int
    upto: int  # the last exchange id read
    warmup: int  # exchanges every part folds whole (Partition)


def _split(location: str | Path, config: Config, plan: Plan,
           meanwhile: Callable[[], object] | None) -> ApiModel:
    children: list[Forked] = []
    try:
        for _ in range(1, plan.parts):
            children.append(fork(partial(_run_part, location=location, config=config)))
        outbox = Outbox([None, *(child.channel.send_bytes for child in children)])
        field = config.operation_field if config.notifications else ""
        partition = Partition(plan.parts, outbox, field, plan.warmup)
        passes = Passes.start(ModelBuilder(config, partition))
        with Store(location, readonly=True) as opened:
            passes.add_all(opened.exchanges(upto=plan.upto))
        outbox.close()
        if meanwhile is not None:
            meanwhile()
        others = [_received(child.channel) for child in children]
    finally:
        for child in children:
            child.stop(timeout=5.0)
    merge_parts(passes.builder, others)
    return passes.finish()


def _received(conn: Channel) -> ModelBuilder:
    try:
        payload = conn.recv_bytes()
    except EOFError:
        raise WsdocError("a build process ended without its part of the model") from None
    if payload[:1] == _FAILED:
        raise WsdocError(payload[1:].decode())
    if payload[:1] == _DEFECT:
        raise RuntimeError(f"a build process failed:\n{payload[1:].decode()}")
    return load_summary(payload[1:])


def _run_part(conn: Channel, location: str | Path, config: Config) -> None:
    """A forked process's whole life: fold the exchanges part 0 routes to it, send back
    its endpoints."""
    try:
        builder = ModelBuilder(config, ordered=True)
        inbox = Inbox(conn.recv_bytes)
        with Store(location, readonly=True) as opened:
            for batch in inbox.batches():
                if batch.keep is not None:
                    builder.keep_only(batch.keep)
                exchanges = opened.exchanges_with_ids([routed.row for routed in batch.routes])
                for routed, exchange in zip(batch.routes, exchanges, strict=True):
                    builder.count = routed.number
                    builder.fold(routed.key, exchange, inbox.templated(routed, exchange.path))
        payload = _OK + dump_summary(builder)
    except WsdocError as exc:  # e.g. a corrupt row: the parent says it in one line
        payload = _FAILED + str(exc).encode()
    except EOFError:  # part 0 stopped (its own error says why)
        return
    except Exception:  # a defect: the parent raises it with this process's traceback
        import traceback  # here, not at start-up: only a defect needs it

        payload = _DEFECT + traceback.format_exc().encode()
    try:
        conn.send_bytes(payload)
    except OSError:  # part 0 is gone
        pass
    conn.close()


def merge_parts(into: ModelBuilder, others: list[ModelBuilder]) -> ModelBuilder:
    """Part 0's builder completed with the other parts' endpoints and identities; `into`
    keeps its own counts, times and hosts (every part saw all of them alike)."""
    groups: list[tuple[int, GroupKey, EndpointStats]] = []
    for part in (into, *others):
        groups.extend((group.arrival, key, group) for key, group in part.groups.items())
    groups.sort(key=lambda item: item[0])
    into.groups = {key: group for _, key, group in groups}
    if len(into.groups) != len(groups):  # the stream ended before the warm-up did
        raise ValueError("parts of a split build hold the same endpoint")
    into.structure.merge_ordered([part.structure for part in (into, *others)])
    into.partition = None
    return into
