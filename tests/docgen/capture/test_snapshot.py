from __future__ import annotations

import gzip
import zlib

import brotli
import pytest

from docgen.capture.snapshot import BodyTooLarge, MessageSnapshot, decode_bounded, to_body


def message(
    raw: bytes, encoding: str = "", content_type: str = "application/json"
) -> MessageSnapshot:
    headers = [("Content-Type", content_type)]
    if encoding:
        headers.append(("Content-Encoding", encoding))
    return MessageSnapshot(headers, raw)


@pytest.mark.parametrize("encoding,encode", [
    ("gzip", gzip.compress), ("deflate", zlib.compress), ("br", brotli.compress),
    ("deflate", lambda d: zlib.compress(d)[2:-4]),  # raw deflate, as some servers send
])
def test_decodes_known_encodings(encoding: str, encode: object) -> None:
    data = b'{"a": 1}' * 1000
    assert decode_bounded(encode(data), encoding, 10**6) == data  # type: ignore[operator]


def test_gzip_bomb_stops_at_the_limit() -> None:
    bomb = gzip.compress(b"\0" * 50_000_000)
    with pytest.raises(BodyTooLarge):
        decode_bounded(bomb, "gzip", 1_000_000)
    body = to_body(message(bomb, "gzip"), 1_000_000, [])
    assert body.content is None and body.truncated


def test_lying_encoding_keeps_raw_bytes_and_warns() -> None:
    warnings: list[str] = []
    body = to_body(message(b'{"plain": true}', "gzip"), 1000, warnings)
    assert body.content == b'{"plain": true}' and body.encoding == "gzip"
    assert len(warnings) == 1 and "gzip" in warnings[0]
    unknown: list[str] = []
    assert to_body(message(b"x", "snappy"), 1000, unknown).content == b"x" and unknown


def test_content_type_parameters_are_dropped_and_limits_apply() -> None:
    body = to_body(message(b"x" * 10, content_type="Application/JSON; charset=utf-8"), 5, [])
    assert body.content_type == "application/json" and body.truncated and body.size == 10
