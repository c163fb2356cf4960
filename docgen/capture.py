"""Turn a mitmproxy flow into a capture record.

Split in two so the proxy never blocks: `snapshot()` runs on mitmproxy's event loop and
only copies references (bytes are immutable, so this is cheap); `to_exchange()` runs on
the writer thread and does the slow part: decoding Content-Encoding with a hard output
limit (a gzip bomb must not cost memory), content-type parsing and size bookkeeping.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from mitmproxy import http

from docgen.record import Body, Exchange, Pairs

CHUNK = 256  # compressed bytes fed per step, so one step's output stays small


class BodyTooLarge(Exception):
    """The decoded body would exceed the kept limit."""


@dataclass
class MessageSnapshot:
    headers: Pairs
    raw: bytes | None


@dataclass
class FlowSnapshot:
    flow_id: str
    started: float
    ended: float | None
    client: str
    method: str
    scheme: str
    host: str
    port: int
    path: str
    query: Pairs
    http_version: str
    request: MessageSnapshot
    status: int | None = None
    reason: str = ""
    response: MessageSnapshot | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


def printable(text: str) -> str:
    """Make any str storable: lone surrogates (from undecodable bytes) become escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _pairs(headers: object) -> Pairs:
    fields = getattr(headers, "fields", ())
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in fields]


def snapshot(flow: http.HTTPFlow) -> FlowSnapshot:
    """Copy what we record out of a live flow (references only; runs on the event loop)."""
    req, resp = flow.request, flow.response
    path, _, _ = req.path.partition("?")
    peer = flow.client_conn.peername
    ended = resp.timestamp_end if resp else None
    return FlowSnapshot(
        flow_id=flow.id, started=req.timestamp_start or time.time(), ended=ended,
        client=f"{peer[0]}:{peer[1]}" if peer else "",
        method=req.method, scheme=req.scheme, host=req.pretty_host, port=req.port,
        path=printable(path), http_version=req.http_version,
        query=[(printable(k), printable(v)) for k, v in req.query.items(multi=True)],
        request=MessageSnapshot(_pairs(req.headers), req.raw_content),
        status=resp.status_code if resp else None, reason=resp.reason if resp else "",
        response=MessageSnapshot(_pairs(resp.headers), resp.raw_content) if resp else None,
        error=flow.error.msg if flow.error else None,
    )


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


def to_exchange(snap: FlowSnapshot, limit: int) -> Exchange:
    """Build the (not yet redacted) record; decoding problems go to `snap.warnings`."""
    duration = (snap.ended - snap.started) * 1000 if snap.ended else None
    return Exchange(
        flow_id=snap.flow_id, started=snap.started, duration_ms=duration, client=snap.client,
        method=snap.method, scheme=snap.scheme, host=snap.host, port=snap.port,
        path=snap.path, query=snap.query, http_version=snap.http_version,
        request_headers=snap.request.headers,
        request_body=to_body(snap.request, limit, snap.warnings),
        status=snap.status, reason=snap.reason,
        response_headers=snap.response.headers if snap.response else [],
        response_body=to_body(snap.response, limit, snap.warnings),
        error=snap.error,
    )
