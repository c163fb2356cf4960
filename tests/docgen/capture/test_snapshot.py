from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import brotli
import pytest
from mitmproxy import exceptions, http, io
from mitmproxy.net.http import url
from mitmproxy.test import tflow

from docgen.capture import snapshot as snapshots
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


# -- snapshot's host: mitmproxy's Request.pretty_host, without asking the request for it

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "mitmproxy_flows"


def fixture_requests() -> list[http.Request]:
    requests = []
    for path in sorted(FIXTURES.glob("*.mitm")):
        with path.open("rb") as stream:
            try:
                requests += [flow.request for flow in io.FlowReader(stream).stream()
                             if isinstance(flow, http.HTTPFlow)]
            except exceptions.FlowReadException:  # a format too old to migrate
                continue
    return requests


def crafted_request(http_version: str, headers: list[tuple[bytes, bytes]],
                    authority: bytes = b"", host: str = "10.0.0.7") -> http.Request:
    request = tflow.tflow().request
    request.data.http_version = http_version.encode()
    request.data.authority = authority
    request.data.host = host
    request.data.headers = http.Headers(headers)
    return request


CRAFTED = [
    ("HTTP/1.1", [(b"Host", b"api.example.com:8443")], b""),
    ("HTTP/1.1", [(b"host", b"api.example.com")], b""),
    ("HTTP/1.1", [(b"Host", b"a.example"), (b"HOST", b"b.example")], b""),  # folded
    ("HTTP/1.1", [], b""),  # the connection's host
    ("HTTP/1.1", [(b"Host", b"")], b""),
    ("HTTP/1.1", [(b"Host", b"[::1]:8080")], b""),
    ("HTTP/1.1", [(b"Host", b"xn--bcher-kva.example")], b""),
    ("HTTP/1.1", [(b"Host", "bücher.example".encode())], b""),
    ("HTTP/1.1", [(b"Host", b"not a host\xff:99999")], b""),  # invalid: kept as sent
    ("HTTP/2.0", [(b"Host", b"fallback.example")], b"h2.example:443"),
    ("HTTP/2.0", [(b"Host", b"fallback.example")], b""),
    ("HTTP/3", [], b"xn--bcher-kva.example"),
    ("HTTP/2.0", [], b"\xff\xfe:1"),  # not IDNA: decoded as mitmproxy does
]


def snapshot_host(request: http.Request) -> str:
    flow = tflow.tflow(resp=True)
    flow.request = request
    return snapshots.snapshot(flow).host


@pytest.mark.parametrize("version,headers,authority", CRAFTED)
def test_the_host_is_mitmproxys_pretty_host(version: str, headers: list[tuple[bytes, bytes]],
                                            authority: bytes) -> None:
    request = crafted_request(version, headers, authority)
    assert snapshot_host(request) == request.pretty_host


def test_the_host_is_mitmproxys_pretty_host_on_its_test_flows() -> None:
    requests = fixture_requests()
    assert len(requests) > 20
    for request in requests:
        assert snapshot_host(request) == request.pretty_host


def test_long_host_headers_are_parsed_each_time_not_remembered() -> None:
    long_host = "a" * 5000 + ".example:8080"  # not a valid host: mitmproxy keeps it whole
    before = snapshots._remembered_host.cache_info()
    assert snapshots.authority_host(long_host) == url.parse_authority(long_host, False)[0]
    assert snapshots._remembered_host.cache_info() == before  # not even looked up
    assert snapshots.authority_host("short-and-new.example:8080") == "short-and-new.example"
    assert snapshots._remembered_host.cache_info().misses == before.misses + 1
