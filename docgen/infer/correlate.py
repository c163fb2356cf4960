"""Which notifications followed which operation: correlation by session and time.

An operation sample is a request that names an operation and was accepted (HTTP 2xx) or
failed on the server (5xx). A notice is
one data message delivered on the notifications path; its time is the end of the
response that delivered it (`started + duration_ms`), the moment the client had it.

A notice follows a sample when, in this order:

* it reached a listener of the sample: a notifications client of the same session (same
  `Exchange.session`) or, when that session never listened, of the same user (the Basic
  user, or the user of the session in other requests). Only one Bayeux client's copy of
  a notice counts, in case a user listened twice;
* it arrived within the window: from the sample's start until `window` seconds after its
  end, but not once the next operation of the same user (or session, when the user is
  unknown) has started, because every later notice may be that operation's doing.

Requests refused as client errors (4xx) or never answered change nothing on the server, so
they neither collect notices nor cut the window of the operation before them. Server errors
(5xx) are samples: a real Web Services 8.5.202 answers an operation its device cannot
perform with HTTP 500 and then publishes an `ErrorMessage` on `/v2/me/devices`, which
belongs to that operation, not to the one before it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from docgen.infer.bayeux import MessageKey
from docgen.infer.model import EventDoc, EventSequence, EventStep

DEFAULT_WINDOW_S = 5.0
MAX_SEQUENCES = 3  # shown per operation
MAX_STEPS = 20  # longer sequences are cut
MAX_DELAYS = 1_000  # delays kept per event kind for the median
MAX_DISTINCT_SEQUENCES = 200


@dataclass(frozen=True, slots=True)
class OperationSample:
    """One operation request the server acted on (2xx) or failed on (5xx)."""

    key: Hashable  # what aggregates samples: e.g. (method, template, operation name)
    started: float
    ended: float
    session: str = ""
    user: str = ""


@dataclass(frozen=True, slots=True)
class Notice:
    """One data message delivered to a notifications client."""

    time: float  # end of the delivering response
    session: str
    user: str
    key: MessageKey
    states: tuple[tuple[str, str], ...] = ()  # ("userState.state", "NotReady")
    client: str = ""  # Bayeux clientId that received it
    order: int = 0  # position in the recording, for messages delivered together


@dataclass(frozen=True, slots=True)
class Listening:
    """One exchange on the notifications path: a client was listening during it."""

    session: str
    user: str
    started: float
    ended: float


@dataclass(frozen=True, slots=True)
class Observation:
    """A sample and what followed it; `observed` is False when no client was listening."""

    sample: OperationSample
    observed: bool
    notices: tuple[Notice, ...] = ()


class Pool:
    """The notices and listening spans of one listener (a session or a user), by time."""

    def __init__(self) -> None:
        self.notices: list[Notice] = []
        self.spans: list[tuple[float, float]] = []
        self._times: list[float] = []
        self._starts: list[float] = []
        self._latest_end: list[float] = []

    def seal(self) -> Pool:
        self.notices.sort(key=lambda n: (n.time, n.order))
        self.spans.sort()
        self._times = [n.time for n in self.notices]
        self._starts = [start for start, _ in self.spans]
        self._latest_end = list(accumulate((end for _, end in self.spans), max))
        return self

    def listening(self, start: float, end: float) -> bool:
        """Whether a client was connected at some point of [start, end]."""
        index = bisect_right(self._starts, end)
        return index > 0 and self._latest_end[index - 1] >= start

    def between(self, start: float, end: float) -> tuple[Notice, ...]:
        """Notices delivered in [start, end), one client's copy only."""
        found = self.notices[bisect_left(self._times, start):bisect_left(self._times, end)]
        if not found:
            return ()
        client = found[0].client
        return tuple(n for n in found if n.client == client)


def user_of(session: str, user: str, users: Mapping[str, str]) -> str:
    return user or users.get(session, "")


def build_pools(notices: Iterable[Notice], listening: Iterable[Listening],
                users: Mapping[str, str]) -> dict[tuple[str, str], Pool]:
    """Listeners keyed ("session", tag) and ("user", name)."""
    pools: dict[tuple[str, str], Pool] = defaultdict(Pool)
    for span in listening:
        for key in _listener_keys(span.session, user_of(span.session, span.user, users)):
            pools[key].spans.append((span.started, span.ended))
    for notice in notices:
        for key in _listener_keys(notice.session, user_of(notice.session, notice.user, users)):
            pools[key].notices.append(notice)
    return {key: pool.seal() for key, pool in pools.items()}


def _listener_keys(session: str, user: str) -> list[tuple[str, str]]:
    return [key for key in (("session", session), ("user", user)) if key[1]]


def correlate(samples: Iterable[OperationSample], notices: Iterable[Notice],
              listening: Iterable[Listening], window: float = DEFAULT_WINDOW_S,
              users: Mapping[str, str] | None = None) -> Iterator[Observation]:
    """What followed each sample, yielded timeline by timeline (a user's, or a session's)."""
    users = users or {}
    pools = build_pools(notices, listening, users)
    timelines: dict[tuple[str, str], list[OperationSample]] = defaultdict(list)
    for sample in samples:
        user = user_of(sample.session, sample.user, users)
        key = ("user", user) if user else ("session", sample.session)
        if key[1]:
            timelines[key].append(sample)
        else:
            yield Observation(sample, False)
    for timeline in timelines.values():
        timeline.sort(key=lambda s: s.started)
        for index, sample in enumerate(timeline):
            end = sample.ended + window
            if index + 1 < len(timeline):
                end = min(end, timeline[index + 1].started)
            yield _observe(sample, end, pools, users)


def _observe(sample: OperationSample, end: float, pools: Mapping[tuple[str, str], Pool],
             users: Mapping[str, str]) -> Observation:
    pool = pools.get(("session", sample.session)) if sample.session else None
    if pool is None:
        user = user_of(sample.session, sample.user, users)
        pool = pools.get(("user", user)) if user else None
    if pool is None or not pool.listening(sample.started, end):
        return Observation(sample, False)
    return Observation(sample, True, pool.between(sample.started, end))


def step_of(notice: Notice) -> EventStep:
    return EventStep(notice.key.message_type, notice.key.notification_type,
                     tuple(value for _, value in notice.states))


@dataclass
class _KindStats:
    samples: int = 0
    count: int = 0
    states: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    delays: list[float] = field(default_factory=list)
    first_seen: int = 0  # order of first appearance, for a stable display order


@dataclass
class EventSummary:
    """The notifications that followed one operation, over all its samples."""

    samples: int = 0  # accepted samples
    observed: int = 0  # of which recorded while a client was listening
    events: list[EventDoc] = field(default_factory=list)
    sequences: list[EventSequence] = field(default_factory=list)


class Aggregate:
    def __init__(self) -> None:
        self.samples = 0
        self.observed = 0
        self.kinds: dict[MessageKey, _KindStats] = {}
        self.sequences: Counter[tuple[EventStep, ...]] = Counter()

    def add(self, observation: Observation) -> None:
        self.samples += 1
        if not observation.observed:
            return
        self.observed += 1
        seen: set[MessageKey] = set()
        for notice in observation.notices:
            kind = self.kinds.setdefault(notice.key, _KindStats(first_seen=len(self.kinds)))
            kind.count += 1
            for name, value in notice.states:
                kind.states[name][value] += 1
            if notice.key not in seen:
                seen.add(notice.key)
                kind.samples += 1
                if len(kind.delays) < MAX_DELAYS:
                    kind.delays.append(max(0.0, notice.time - observation.sample.started))
        steps = tuple(step_of(n) for n in observation.notices[:MAX_STEPS])
        if steps and (steps in self.sequences or len(self.sequences) < MAX_DISTINCT_SEQUENCES):
            self.sequences[steps] += 1

    def merge(self, other: Aggregate) -> None:
        """Fold in another aggregate (samples flushed under another provisional key)."""
        self.samples += other.samples
        self.observed += other.observed
        for key, theirs in sorted(other.kinds.items(), key=lambda item: item[1].first_seen):
            mine = self.kinds.setdefault(key, _KindStats(first_seen=len(self.kinds)))
            mine.samples += theirs.samples
            mine.count += theirs.count
            for name, values in theirs.states.items():
                mine.states[name].update(values)
            mine.delays.extend(theirs.delays[:MAX_DELAYS - len(mine.delays)])
        for steps, count in other.sequences.items():
            if steps in self.sequences or len(self.sequences) < MAX_DISTINCT_SEQUENCES:
                self.sequences[steps] += count

    def summary(self) -> EventSummary:
        import statistics  # here, not at start-up: it imports random, fractions and decimal

        kinds = sorted(self.kinds.items(), key=lambda item: (-item[1].samples,
                                                             item[1].first_seen))
        events = [EventDoc(
            channel=key.channel, message_type=key.message_type,
            notification_type=key.notification_type, samples=stats.samples,
            observed=self.observed, count=stats.count,
            states={name: dict(values.most_common()) for name, values in stats.states.items()},
            delay_ms=round(statistics.median(stats.delays) * 1000, 1) if stats.delays else None,
        ) for key, stats in kinds]
        sequences = [EventSequence(list(steps), count)
                     for steps, count in self.sequences.most_common(MAX_SEQUENCES)]
        return EventSummary(self.samples, self.observed, events, sequences)


def sample_key(sample: OperationSample) -> Hashable:
    return sample.key


def aggregate(observations: Iterable[Observation],
              key_of: Callable[[OperationSample], Hashable] = sample_key,
              ) -> dict[Hashable, EventSummary]:
    """Per sample key: how many samples were observed and what followed them."""
    aggregates: dict[Hashable, Aggregate] = defaultdict(Aggregate)
    for observation in observations:
        aggregates[key_of(observation.sample)].add(observation)
    return {key: value.summary() for key, value in aggregates.items()}


def sequence_text(steps: Sequence[EventStep]) -> list[tuple[str, list[str]]]:
    """Consecutive steps of one message kind folded together, for display:
    [("CallStateChangeMessage", ["Dialing", "Established"])]."""
    folded: list[tuple[str, list[str]]] = []
    for step in steps:
        kind = step.message_type + (f" ({step.notification_type})"
                                    if step.notification_type else "")
        shown = "/".join(step.states) or "\u2014"
        if folded and folded[-1][0] == kind:
            folded[-1][1].append(shown)
        else:
            folded.append((kind, [shown]))
    return folded
