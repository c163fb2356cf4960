"""The messages of a split build: part 0 tells the other parts which exchanges to fold.

Part 0 reads the store and templates every path; another part reads only the rows it is
sent, by id, with the endpoint each goes to and its path's decisions. A message is a batch
of such routes, pickled; endpoints and decision skeletons (a path's decisions without the
segment values, which the receiver splits from the path itself) are named once by number
and then referred to, so a message costs a few bytes per exchange.

    (new endpoints, new skeletons, endpoints to keep or None, routes) ... then None

"Keep" comes once, when the warm-up ends (docgen.infer.partition): the receiver drops the
endpoints it folded during the warm-up that another part owns from then on.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from docgen.capture.recent import remember
from docgen.infer.paths import Decision, Templated, split_path

BATCH = 64  # routes per message: a round trip amortised, the receiver never far behind (at
# the end it still has one batch to fold: with 256, 9-180 ms after part 0 was done, 2-13 ms now)
MAX_DECIDED = 4096  # rebuilt decisions of literal segments kept for the next paths
GroupKey = tuple[str, str, str]  # method, origin, provisional template
Skeleton = tuple[tuple[Any, ...], ...]  # per segment: Decision's fields but index and value


class Routed(NamedTuple):
    number: int  # the exchange's number in the stream (arrival order for the merge)
    row: int  # its store id
    key: GroupKey
    skeleton: int  # which of the skeletons received


def skeleton_of(templated: Templated) -> Skeleton:
    return tuple((d.rule, d.is_param, d.name, d.shape, d.distinct, d.threshold, d.pin, d.detail)
                 for d in templated.decisions)


@dataclass(slots=True)
class Pending:
    """One part's next message, as it fills: what it has not been told yet (endpoint keys
    and path skeletons, numbered in order of first use), a `keep` order, and the routes."""

    new_keys: list[GroupKey] = field(default_factory=list)
    new_skeletons: list[Skeleton] = field(default_factory=list)
    keep: list[GroupKey] | None = None
    routes: list[tuple[int, int, int, int]] = field(default_factory=list)

    def wire(self) -> bytes:
        return pickle.dumps((self.new_keys, self.new_skeletons, self.keep, self.routes),
                            pickle.HIGHEST_PROTOCOL)


class Outbox:
    """Part 0's side: routes to each other part, batched; `send[part]` writes one message
    (None for part 0). A part that stopped reading is skipped: its failure is reported
    when its result is read."""

    def __init__(self, send: list[Callable[[bytes], None] | None]) -> None:
        self.send = send
        self.keys: list[dict[GroupKey, int]] = [{} for _ in send]
        self.skeletons: list[dict[Skeleton, int]] = [{} for _ in send]
        self.pending = [Pending() for _ in send]
        self.stopped: set[int] = set()

    def route(self, part: int, index: int, row: int, key: GroupKey, decided: Templated) -> None:
        pending = self.pending[part]
        keys, skeletons = self.keys[part], self.skeletons[part]
        key_id = keys.get(key)
        if key_id is None:
            key_id = keys[key] = len(keys)
            pending.new_keys.append(key)
        skeleton = skeleton_of(decided)
        skeleton_id = skeletons.get(skeleton)
        if skeleton_id is None:
            skeleton_id = skeletons[skeleton] = len(skeletons)
            pending.new_skeletons.append(skeleton)
        pending.routes.append((index, row, key_id, skeleton_id))
        if len(pending.routes) >= BATCH:
            self.flush(part)

    def keep(self, part: int, keys: list[GroupKey]) -> None:
        """From now on `part` owns only `keys` of the endpoints it has folded so far."""
        self.flush(part)
        self.pending[part].keep = keys

    def flush(self, part: int) -> None:
        pending = self.pending[part]
        if pending.routes or pending.keep is not None:
            self._write(part, pending.wire())
        self.pending[part] = Pending()

    def close(self) -> None:
        for part in range(1, len(self.send)):
            self.flush(part)
            self._write(part, pickle.dumps(None))

    def _write(self, part: int, data: bytes) -> None:
        send = self.send[part]
        if send is None or part in self.stopped:
            return
        try:
            send(data)
        except OSError:  # it died or gave up: its own report says why
            self.stopped.add(part)


class Batch(NamedTuple):
    keep: list[GroupKey] | None
    routes: list[Routed]


class Inbox:
    """Another part's side: the batches part 0 sends (`batches`, until its end marker),
    and each routed exchange's Templated rebuilt from its raw path (`templated`)."""

    def __init__(self, recv: Callable[[], bytes]) -> None:
        self.recv = recv
        self.keys: list[GroupKey] = []
        self.skeletons: list[Skeleton] = []
        # Literal segments repeat from path to path: their decisions are made once.
        self.decided: dict[tuple[int, int, str], Decision] = {}

    def batches(self) -> Iterator[Batch]:
        while True:
            message = pickle.loads(self.recv())
            if message is None:
                return
            new_keys, new_skeletons, keep, routes = message
            self.keys.extend(new_keys)
            self.skeletons.extend(new_skeletons)
            keys = self.keys
            yield Batch(keep, [Routed(number, row, keys[key], skeleton)
                               for number, row, key, skeleton in routes])

    def templated(self, routed: Routed, path: str) -> Templated:
        """The Templated part 0 had for this exchange, from its skeleton and `path`."""
        skeleton = self.skeletons[routed.skeleton]
        segments = split_path(path)
        if len(segments) != len(skeleton):
            raise ValueError(f"route for {path!r} has {len(skeleton)} segments")
        decisions = []
        for index, value in enumerate(segments):
            known = (routed.skeleton, index, value)
            decision = self.decided.get(known)
            if decision is None:
                decision = remember(self.decided, known,
                                    Decision(index, value, *skeleton[index]), MAX_DECIDED)
            decisions.append(decision)
        return Templated(path, routed.key[2], tuple(decisions))
