"""Forked children and their channels: whole messages both ways, an end that is seen,
a failure that is reported, a child that is stopped whatever it does."""

from __future__ import annotations

import os
import signal
import time

import pytest

from docgen.capture.forks import Channel, Receiver, fork


def echo(channel: Channel) -> None:
    while True:
        try:
            message = channel.recv_bytes()
        except EOFError:
            return
        channel.send_bytes(message[::-1])


def test_messages_of_any_size_come_back_whole_and_the_child_ends_at_eof() -> None:
    child = fork(echo)
    for message in (b"", b"x", os.urandom(5 << 20), b"last"):  # 5 MB: many socket buffers
        child.channel.send_bytes(message)
        assert child.channel.recv_bytes() == message[::-1]
    child.stop(timeout=10.0)
    assert child.status is not None and os.waitstatus_to_exitcode(child.status) == 0


def test_a_child_forked_later_does_not_keep_an_earlier_one_open() -> None:
    first, second = fork(echo), fork(echo)
    first.channel.close()  # the second holds no copy of it: the first sees its end
    assert first.join(timeout=10.0)
    second.stop(timeout=10.0)
    assert os.waitstatus_to_exitcode(second.status or 0) == 0


def test_what_a_child_raises_is_printed_and_ends_it_with_status_1(
        capfd: pytest.CaptureFixture[str]) -> None:
    def broken(channel: Channel) -> None:
        raise KeyError("planted")

    child = fork(broken)
    assert child.join(timeout=10.0)
    assert os.waitstatus_to_exitcode(child.status or 0) == 1
    assert "KeyError: 'planted'" in capfd.readouterr().err


def test_a_child_that_does_not_end_is_killed() -> None:
    child = fork(lambda channel: time.sleep(600))
    started = time.monotonic()
    child.stop(timeout=0.2)
    assert time.monotonic() - started < 30
    assert os.waitstatus_to_exitcode(child.status or 0) == -signal.SIGKILL


def test_the_receiver_answers_in_the_order_expected_and_says_when_a_child_is_gone() -> None:
    def slow_then_answer(channel: Channel) -> None:
        time.sleep(0.3)
        channel.send_bytes(b"slow")

    slow, fast, gone = fork(slow_then_answer), fork(echo), fork(lambda channel: None)
    fast.channel.send_bytes(b"tsaf")
    answers = Receiver()
    for child in (slow, fast, gone):
        answers.expect(child.channel)
    assert [answers.next(), answers.next()] == [b"slow", b"fast"]
    for _ in range(2):  # and so on: nothing is read past a sender that is gone
        with pytest.raises(EOFError):
            answers.next()
    for child in (slow, fast, gone):
        child.stop(timeout=10.0)
    answers.close(timeout=10.0)


def test_ctrl_c_is_for_the_parent_to_handle() -> None:
    child = fork(echo)
    child.channel.send_bytes(b"ready?")
    assert child.channel.recv_bytes() == b"?ydaer"  # it waits in recv now
    os.kill(child.pid, signal.SIGINT)  # as a terminal sends it to the process group
    time.sleep(0.1)
    child.channel.send_bytes(b"still here")
    assert child.channel.recv_bytes() == b"ereh llits"
    child.stop(timeout=10.0)
    assert os.waitstatus_to_exitcode(child.status or 0) == 0
