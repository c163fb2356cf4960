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
from typing import Any, NamedTuple

from docgen.capture.recent import remember
from docgen.infer.paths import Decision, Templated, split_path

BATCH = 256  # routes per message: a round trip amortised, the receiver never far behind
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


class Outbox:
    """Part 0's side: routes to each other part, batched; `send[part]` writes one message
    (None for part 0). A part that stopped reading is skipped: its failure is reported
    when its result is read."""

    def __init__(self, send: list[Callable[[bytes], None] | None]) -> None:
        self.send = send
        self.keys: list[dict[GroupKey, int]] = [{} for _ in send]
        self.skeletons: list[dict[Skeleton, int]] = [{} for _ in send]
        self.pending: list[list[Any]] = [[[], [], None, []] for _ in send]
        self.stopped: set[int] = set()

    def route(self, part: int, index: int, row: int, key: GroupKey, decided: Templated) -> None:
        new_keys, new_skeletons, _, routes = self.pending[part]
        keys, skeletons = self.keys[part], self.skeletons[part]
        key_id = keys.get(key)
        if key_id is None:
            key_id = keys[key] = len(keys)
            new_keys.append(key)
        skeleton = skeleton_of(decided)
        skeleton_id = skeletons.get(skeleton)
        if skeleton_id is None:
            skeleton_id = skeletons[skeleton] = len(skeletons)
            new_skeletons.append(skeleton)
        routes.append((index, row, key_id, skeleton_id))
        if len(routes) >= BATCH:
            self.flush(part)

    def keep(self, part: int, keys: list[GroupKey]) -> None:
        """From now on `part` owns only `keys` of the endpoints it has folded so far."""
        self.flush(part)
        self.pending[part][2] = keys

    def flush(self, part: int) -> None:
        message = self.pending[part]
        if message[3] or message[2] is not None:
            self._write(part, pickle.dumps(tuple(message), pickle.HIGHEST_PROTOCOL))
        self.pending[part] = [[], [], None, []]

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
