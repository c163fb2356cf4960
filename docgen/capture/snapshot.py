"""Turn a mitmproxy flow into a capture record.

Split in two so the proxy never blocks: `snapshot()` runs on mitmproxy's event loop and
only copies references (bytes are immutable, so this is cheap); `to_exchange()` runs on
the store's writer (a child process, or a thread) and does the slow part: decoding
Content-Encoding with a hard output limit (a gzip bomb must not cost memory), content-type
parsing and size bookkeeping.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from mitmproxy.net.http import url

if TYPE_CHECKING:  # importing mitmproxy.http costs half a second `wsdoc import` never needs
    from mitmproxy import http

from docgen.capture.record import Body, Exchange, Pairs

CHUNK: Final = 256  # compressed bytes fed per step, so one step's output stays small
HTTP2: Final = (b"HTTP/2.0", b"HTTP/3")
MAX_REMEMBERED_AUTHORITY: Final = 300  # a DNS name (253) and a port; longer: parsed each time


class BodyTooLarge(Exception):
    """The decoded body would exceed the kept limit."""


@dataclass
class MessageSnapshot:
    headers: Pairs
    raw: bytes | None


RawFields = tuple[tuple[bytes, bytes], ...]  # mitmproxy's immutable header fields


class FlowSnapshot(NamedTuple):
    """References out of a live flow; everything that costs (decoding headers, parsing
    the query string) is left for `to_exchange` in the writer. A tuple, because the
    writer process is sent it as a plain one: pickling a class instance costs the proxy's
    event loop four times as much."""

    flow_id: str
    started: float
    ended: float | None
    client: str
    method: str
    scheme: str
    host: str
    port: int
    target: str  # path and query, as sent
    http_version: str
    request_fields: RawFields
    request_raw: bytes | None
    status: int | None = None
    reason: str = ""
    response_fields: RawFields | None = None
    response_raw: bytes | None = None
    error: str | None = None

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]


def printable(text: str) -> str:
    """Make any str storable: lone surrogates (from undecodable bytes) become escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _pairs(fields: RawFields) -> Pairs:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in fields]


def _query(target: str) -> Pairs:
    # What mitmproxy's Request.query gives: the query ends at a fragment, if any.
    query = target.partition("?")[2].partition("#")[0]
    return [(printable(k), printable(v)) for k, v in url.decode(query)]


def snapshot(flow: http.HTTPFlow) -> FlowSnapshot:
    """Copy what we record out of a live flow (references only; runs on the event loop)."""
    # Read through Any: compiled code checks hints at run time, and mitmproxy's are narrower
    # than what it holds (an IPv6 peername is a 4-tuple, not its `Address` pair).
    live: Any = flow
    req, resp = live.request, live.response
    data, peer = req.data, live.client_conn.peername
    fields = data.headers.fields
    return FlowSnapshot(
        flow_id=live.id, started=req.timestamp_start or time.time(),
        ended=resp.timestamp_end if resp else None,
        client=f"{peer[0]}:{peer[1]}" if peer else "",
        method=req.method, scheme=req.scheme,
        # Request.pretty_host parses and validates the Host header anew each time: 7 of
        # the 11 us a snapshot took on the event loop.
        host=pretty_host(data.http_version, data.authority, fields, data.host),
        port=req.port, target=req.path, http_version=req.http_version,
        request_fields=fields, request_raw=req.raw_content,
        status=resp.status_code if resp else None, reason=resp.reason if resp else "",
        response_fields=resp.headers.fields if resp else None,
        response_raw=resp.raw_content if resp else None,
        error=live.error.msg if live.error else None,
    )


def pretty_host(http_version: bytes, authority: bytes, fields: Any, host: str) -> str:
    """mitmproxy's `Request.pretty_host` from a request's raw parts (`fields`: its header
    name/value pairs)."""
    found = host_authority(http_version, authority, fields)
    return authority_host(found) if found else host


def host_authority(http_version: bytes, authority: bytes, fields: Any) -> str | None:
    """mitmproxy's `Request.host_header`: :authority (HTTP/2 and 3), else the Host header."""
    found = None
    if http_version in HTTP2:
        found = _authority(authority) or None
    if found is None:
        hosts = [value.decode("utf-8", "surrogateescape") for name, value in fields
                 if name.lower() == b"host"]
        found = ", ".join(hosts) if hosts else None  # mitmproxy folds repeats
    return found


def authority_host(authority: str) -> str:
    """The host of a Host header or :authority, as `Request.pretty_host` has it."""
    if len(authority) > MAX_REMEMBERED_AUTHORITY:  # a client's junk is not kept
        return _parsed_host(authority)
    return _remembered_host(authority)


@lru_cache(maxsize=1024)
def _remembered_host(authority: str) -> str:
    # Traffic names a few hosts thousands of times; mitmproxy's parse validates each.
    return _parsed_host(authority)


def _parsed_host(authority: str) -> str:
    return url.parse_authority(authority, check=False)[0]


def _authority(raw: bytes) -> str:
    try:
        return raw.decode("idna")
    except UnicodeError:
        return raw.decode("utf8", "surrogateescape")


def _header(headers: Pairs, name: str) -> str:
    for key, value in headers:
        if key.lower() == name:
            return value
    return ""


def _decoder(encoding: str) -> tuple[Callable[[bytes], bytes], Callable[[], bool]] | None:
    """A streaming decompress step and an "input was complete" check, or None if unknown."""
    if encoding in ("gzip", "x-gzip", "deflate"):
        wbits = 16 + zlib.MAX_WBITS if encoding != "deflate" else zlib.MAX_WBITS
        inflater = zlib.decompressobj(wbits)
        return inflater.decompress, lambda: inflater.eof
    if encoding == "br":
        import brotli

        unbrotli = brotli.Decompressor()
        return unbrotli.process, unbrotli.is_finished
    if encoding == "zstd":
        import zstandard

        unzstd = zstandard.ZstdDecompressor().decompressobj()
        return unzstd.decompress, lambda: bool(unzstd.eof)
    return None


def decode_bounded(data: bytes, encoding: str, limit: int) -> bytes:
    """Undo one Content-Encoding, never producing more than `limit` bytes.

    Raises BodyTooLarge past the limit and ValueError when the data does not decode
    (including a stream cut short, which decompressors otherwise accept silently).
    """
    decoder = _decoder(encoding)
    if decoder is None:
        raise ValueError(f"unknown Content-Encoding {encoding!r}")
    step, complete = decoder
    out = bytearray()
    try:
        for offset in range(0, len(data), CHUNK):
            out += step(data[offset:offset + CHUNK])
            if len(out) > limit:
                raise BodyTooLarge(f"decoded body exceeds {limit} bytes")
    except BodyTooLarge:
        raise
    except Exception as exc:  # zlib.error, brotli.error, zstd errors: all "does not decode"
        if encoding == "deflate":
            return decode_bounded_raw_deflate(data, limit)
        raise ValueError(f"{encoding} body does not decode: {exc}") from exc
    if data and not complete():
        raise ValueError(f"{encoding} body is truncated ({len(data)} bytes)")
    return bytes(out)


def decode_bounded_raw_deflate(data: bytes, limit: int) -> bytes:
    # Some servers send raw deflate (no zlib header) despite the RFC.
    decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, limit + 1)
    except zlib.error as exc:
        raise ValueError(f"deflate body does not decode: {exc}") from exc
    if len(out) > limit:
        raise BodyTooLarge(f"decoded body exceeds {limit} bytes")
    return out


def to_body(message: MessageSnapshot | None, limit: int, warnings: list[str]) -> Body:
    """Decode a message body within the kept limit, noting why content was dropped."""
    if message is None or message.raw is None:
        return Body()
    content_type = _header(message.headers, "content-type").partition(";")[0].strip().lower()
    encoding = _header(message.headers, "content-encoding").strip().lower()
    tokens = [t.strip() for t in encoding.split(",") if t.strip() and t.strip() != "identity"]
    content = message.raw
    try:
        for token in reversed(tokens):  # encodings are listed in the order applied
            content = decode_bounded(content, token, limit)
    except BodyTooLarge:
        return Body(None, content_type, encoding, len(message.raw), truncated=True)
    except ValueError as exc:
        warnings.append(str(exc))
        content = message.raw  # keep what travelled, labelled with its encoding
        size = len(content)
        if size > limit:
            return Body(None, content_type, encoding, size, truncated=True)
        return Body(content, content_type, encoding, size)
    if len(content) > limit:
        return Body(None, content_type, encoding, len(content), truncated=True)
    return Body(content, content_type, encoding, len(content))


def to_exchange(snap: FlowSnapshot, limit: int, warnings: list[str] | None = None
                ) -> Exchange:
    """Build the (not yet redacted) record; decoding problems go to `warnings`."""
    warnings = [] if warnings is None else warnings
    duration = (snap.ended - snap.started) * 1000 if snap.ended else None
    request = MessageSnapshot(_pairs(snap.request_fields), snap.request_raw)
    response = (MessageSnapshot(_pairs(snap.response_fields), snap.response_raw)
                if snap.response_fields is not None else None)
    return Exchange(
        flow_id=snap.flow_id, started=snap.started, duration_ms=duration, client=snap.client,
        method=snap.method, scheme=snap.scheme, host=snap.host, port=snap.port,
        path=printable(snap.path), query=_query(snap.target), http_version=snap.http_version,
        request_headers=request.headers,
        request_body=to_body(request, limit, warnings),
        status=snap.status, reason=snap.reason,
        response_headers=response.headers if response else [],
        response_body=to_body(response, limit, warnings),
        error=snap.error,
    )
