"""A store's docs model built on every core, the same as one process would build it.

`store_model` reads a store once per part (docgen.infer.partition): this process is part 0
and also runs the notification and session passes; forked processes run the other parts
and send their endpoints back. Rows are read up to the id the build started at, so a
recorder appending meanwhile changes nothing. Small stores and PostgreSQL stores (whose
ids may commit out of order) are built in this process alone.
"""

from __future__ import annotations

import multiprocessing
import traceback
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import NamedTuple

from docgen.capture import postgres
from docgen.capture.cores import available_cores
from docgen.capture.store import Store
from docgen.errors import WsdocError
from docgen.infer.builder import MAX_OPERATIONS, EndpointStats, ModelBuilder, Passes
from docgen.infer.config import Config
from docgen.infer.model import ApiModel
from docgen.infer.partition import GroupKey, Partition
from docgen.infer.summary import dump_summary, load_summary

MIN_SPLIT = 3000  # exchanges: below this, starting processes costs more than it saves
WARMUP = 20  # parts fold everything for the first 1/20 of a store, to weigh its endpoints
PASSES_WORK = 64  # part 0's notification and session passes, per exchange (work_of units)
_OK, _FAILED, _DEFECT = b"+", b"-", b"!"


def parts_for(store: Store) -> int:
    """How many parts to build a store in: one per core for a big SQLite store."""
    if postgres.is_postgres(store.path) or store.count() < MIN_SPLIT:
        return 1
    return available_cores()


def store_model(store: str | Path, config: Config, parts: int | None = None,
                warmup: int | None = None) -> ApiModel:
    """The docs model of everything in a store (opened read-only), built in `parts`
    processes (default: `parts_for`) after a warm-up of `warmup` exchanges (default: a
    twentieth of the store; fewer than the store holds)."""
    with Store(store, readonly=True) as opened:
        upto = opened.last_id()
        if parts is None:
            parts = parts_for(opened)
        if parts <= 1:
            passes = Passes.start(ModelBuilder(config))
            passes.add_all(opened.exchanges(upto=upto))
            return passes.finish()
        count = opened.count(upto)
    warmup = count // WARMUP if warmup is None else min(warmup, count - 1)
    return _split(opened.path, config, Plan(parts, upto, max(warmup, 0)))


class Plan(NamedTuple):
    parts: int
    upto: int  # the last exchange id read
    warmup: int  # exchanges every part folds whole (Partition)

    def partition(self, part: int, operation_field: str = "") -> Partition:
        return Partition(part, self.parts, operation_field, MAX_OPERATIONS, self.warmup,
                         PASSES_WORK)


def _split(location: str | Path, config: Config, plan: Plan) -> ApiModel:
    context = multiprocessing.get_context("fork")
    children: list[tuple[BaseProcess, Connection]] = []
    try:
        for part in range(1, plan.parts):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_run_part, daemon=True,
                                      args=(sender, location, config, plan, part))
            process.start()
            sender.close()
            children.append((process, receiver))
        field = config.operation_field if config.notifications else ""
        passes = Passes.start(ModelBuilder(config, plan.partition(0, field)))
        with Store(location, readonly=True) as opened:
            passes.add_all(opened.exchanges(upto=plan.upto))
        others = [_received(receiver) for _, receiver in children]
    finally:
        for child, receiver in children:
            receiver.close()
            child.join(timeout=5)
            if child.is_alive():
                child.kill()
                child.join()
    merge_parts(passes.builder, others)
    return passes.finish()


def _received(receiver: Connection) -> ModelBuilder:
    try:
        payload = receiver.recv_bytes()
    except EOFError:
        raise WsdocError("a build process ended without its part of the model") from None
    if payload[:1] == _FAILED:
        raise WsdocError(payload[1:].decode())
    if payload[:1] == _DEFECT:
        raise RuntimeError(f"a build process failed:\n{payload[1:].decode()}")
    return load_summary(payload[1:])


def _run_part(sender: Connection, location: str | Path, config: Config, plan: Plan,
              part: int) -> None:
    """A forked process's whole life: fold its part of the store, send it back."""
    try:
        builder = ModelBuilder(config, plan.partition(part))
        with Store(location, readonly=True) as opened:
            for exchange in opened.exchanges(upto=plan.upto):
                builder.add(exchange)
        payload = _OK + dump_summary(builder)
    except WsdocError as exc:  # e.g. a corrupt row: the parent says it in one line
        payload = _FAILED + str(exc).encode()
    except Exception:  # a defect: the parent raises it with this process's traceback
        payload = _DEFECT + traceback.format_exc().encode()
    sender.send_bytes(payload)
    sender.close()


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
