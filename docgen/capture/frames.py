"""Frames between the proxy and its writer process: a 4-byte length and a pickle."""

from __future__ import annotations

import pickle
import struct
from typing import IO, Any

HEADER = struct.Struct(">I")


def frame(message: Any) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


def write_frame(stream: IO[bytes], message: Any) -> None:
    stream.write(frame(message))
    stream.flush()


def read_frame(stream: IO[bytes]) -> Any:
    """The next message, or None at the end of the stream."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)


def take_frames(buffer: bytearray) -> list[Any]:
    """The complete messages at the start of `buffer`, removed from it."""
    messages = []
    while len(buffer) >= HEADER.size:
        (size,) = HEADER.unpack_from(buffer)
        if len(buffer) < HEADER.size + size:
            break
        messages.append(pickle.loads(buffer[HEADER.size:HEADER.size + size]))
        del buffer[:HEADER.size + size]
    return messages
