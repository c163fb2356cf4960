"""Correlation of operations with the notifications that followed them (synthetic timelines)."""

from __future__ import annotations

from typing import Any, cast

from docgen.infer.bayeux import MessageKey
from docgen.infer.correlate import (
    Listening,
    Notice,
    Observation,
    OperationSample,
    aggregate,
    correlate,
    sequence_text,
)
from docgen.infer.model import EventStep

DEVICES = MessageKey("/v2/me/devices", "DeviceStateChangeMessage")
CALLS = MessageKey("/v2/me/calls", "CallStateChangeMessage", "StatusChange")


def run(*args: Any, **kwargs: Any) -> list[Observation]:
    return list(correlate(*args, **kwargs))


def op(name: str, started: float, session: str = "sa", user: str = "alice",
       duration: float = 0.01) -> OperationSample:
    return OperationSample(("POST", "/api/v2/me/channels/voice", name), started,
                           started + duration, session, user)


def device(time: float, state: str, session: str = "la", user: str = "alice",
           client: str = "ca") -> Notice:
    return Notice(time, session, user, DEVICES, (("userState.state", state),), client)


def call(time: float, state: str, session: str = "la", user: str = "alice") -> Notice:
    return Notice(time, session, user, CALLS, (("call.state", state),), "ca")


def listening(session: str = "la", user: str = "alice", start: float = -100.0,
              end: float = 100.0) -> Listening:
    return Listening(session, user, start, end)


def followed(observations: list[Observation], name: str) -> list[list[str]]:
    """The states of what followed each sample of one operation, in time order."""
    found = [o for o in observations if cast(tuple[str, str, str], o.sample.key)[2] == name]
    found.sort(key=lambda o: o.sample.started)
    return [[value for n in o.notices for _, value in n.states] for o in found]


def test_notices_within_the_window_follow_the_operation() -> None:
    result = run([op("NotReady", 10.0)],
                       [device(9.9, "Ready"), device(10.05, "NotReady"), device(14.9, "Late"),
                        device(15.2, "TooLate")],
                       [listening()], window=5.0)
    assert followed(result, "NotReady") == [["NotReady", "Late"]]
    assert result[0].observed


def test_the_window_stops_at_the_next_operation_of_the_same_user() -> None:
    samples = [op("Ready", 0.0), op("NotReady", 1.0, session="other-tab"), op("Ready", 2.0)]
    notices = [device(0.05, "Ready"), device(0.99, "Ready"), device(1.0, "NotReady"),
               device(1.5, "NotReady"), device(2.1, "Ready")]
    result = run(samples, notices, [listening()], window=5.0)
    assert followed(result, "Ready") == [["Ready", "Ready"], ["Ready"]]
    assert followed(result, "NotReady") == [["NotReady", "NotReady"]]


def test_two_users_never_share_notifications() -> None:
    samples = [op("NotReady", 0.0, "sa", "alice"), op("Ready", 0.0, "sb", "bob")]
    notices = [device(0.05, "NotReady", "la", "alice", "ca"),
               device(0.05, "Ready", "lb", "bob", "cb"),
               device(0.2, "Ready", "lb", "bob", "cb")]
    result = run(samples, notices, [listening("la", "alice"), listening("lb", "bob")])
    assert followed(result, "NotReady") == [["NotReady"]]
    assert followed(result, "Ready") == [["Ready", "Ready"]]
    for observation in result:
        assert {n.user for n in observation.notices} == {observation.sample.user}


def test_the_listener_of_the_same_session_comes_first() -> None:
    # Alice listens in two sessions; the operation's own session wins over her other one.
    samples = [op("NotReady", 0.0, session="la")]
    notices = [device(0.05, "NotReady", "la", client="c1"),
               device(0.05, "NotReady", "lz", client="c2")]
    result = run(samples, notices, [listening("la"), listening("lz")])
    assert [n.client for n in result[0].notices] == ["c1"]


def test_a_user_listening_twice_counts_one_copy() -> None:
    samples = [op("NotReady", 0.0, session="sa")]
    notices = [device(0.05, "NotReady", "l1", client="c1"),
               device(0.06, "NotReady", "l2", client="c2")]
    result = run(samples, notices, [listening("l1"), listening("l2")])
    assert len(result[0].notices) == 1


def test_a_cookie_only_request_finds_its_user_through_the_session() -> None:
    samples = [op("NotReady", 0.0, session="sa", user="")]
    notices = [device(0.05, "NotReady")]
    result = run(samples, notices, [listening()], users={"sa": "alice"})
    assert followed(result, "NotReady") == [["NotReady"]]
    unknown = run(samples, notices, [listening()])
    assert not unknown[0].observed and unknown[0].notices == ()


def test_unobserved_without_a_listener_at_that_time() -> None:
    samples = [op("NotReady", 0.0), op("Ready", 50.0), op("Ready", 60.0, user="", session="")]
    notices = [device(50.1, "Ready")]
    result = run(samples, notices, [listening(start=49.0, end=51.0)])
    observed = {o.sample.started: o.observed for o in result}
    assert observed == {0.0: False, 50.0: True, 60.0: False}


def test_aggregate_counts_samples_states_sequences_and_delays() -> None:
    samples, notices = [], []
    for index in range(4):
        start = index * 10.0
        samples.append(OperationSample(("POST", "/calls", "Dial"), start, start + 0.01, "sa",
                                       "alice"))
        notices += [call(start + 0.05, "Dialing"), call(start + 0.10, "Established")]
        if index == 3:
            notices.append(device(start + 0.2, "Busy"))
    samples.append(OperationSample(("POST", "/calls", "Dial"), 100.0, 100.01, "sx", "nobody"))
    summary = aggregate(correlate(samples, notices, [listening()]))[("POST", "/calls", "Dial")]
    assert (summary.samples, summary.observed) == (5, 4)
    calls, devices = summary.events
    assert (calls.message_type, calls.seen, calls.count) == ("CallStateChangeMessage", "4/4", 8)
    assert calls.states == {"call.state": {"Dialing": 4, "Established": 4}}
    assert calls.delay_ms == 50.0
    assert (devices.message_type, devices.seen) == ("DeviceStateChangeMessage", "1/4")
    top = summary.sequences[0]
    assert top.count == 3
    assert [step.states for step in top.steps] == [("Dialing",), ("Established",)]
    assert sequence_text(top.steps) == [("CallStateChangeMessage (StatusChange)",
                                         ["Dialing", "Established"])]


def test_sequence_text_folds_runs_of_one_kind() -> None:
    steps = [EventStep("A", "", ("x",)), EventStep("A", "", ("y",)), EventStep("B"),
             EventStep("A", "", ("z",))]
    assert sequence_text(steps) == [("A", ["x", "y"]), ("B", ["\u2014"]), ("A", ["z"])]
