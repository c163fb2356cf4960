"""Framing between the proxy and its writer process."""

from __future__ import annotations

import io

from docgen.capture.frames import frame, read_frame, take_frames, write_frame


def test_take_frames_returns_complete_messages_and_keeps_the_rest() -> None:
    messages = [("items", [(1, ("a", b"\x00" * 300))]), ("done", [(1, True)], [], {}), {"k": 1}]
    stream = b"".join(frame(message) for message in messages)
    buffer = bytearray()
    taken = []
    for offset in range(0, len(stream), 7):  # arriving in small pieces
        buffer += stream[offset:offset + 7]
        taken += take_frames(buffer)
    assert taken == messages and not buffer


def test_a_partial_frame_stays_in_the_buffer() -> None:
    data = frame(("stop",))
    buffer = bytearray(data[:-1])
    assert take_frames(buffer) == [] and buffer == data[:-1]


def test_read_frame_reads_what_write_frame_wrote_and_none_at_the_end() -> None:
    stream = io.BytesIO()
    write_frame(stream, ("ready",))
    stream.write(frame(("error", "x"))[:-2])  # cut short
    stream.seek(0)
    assert read_frame(stream) == ("ready",)
    assert read_frame(stream) is None
