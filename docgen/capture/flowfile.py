"""Read `mitmdump -w` flow files fast: tnetstring state dicts, never `Flow` objects.

mitmproxy's `FlowReader` decodes each record with a pure-Python tnetstring parser that
slices a memoryview per value, then builds a full `HTTPFlow` (connections, certificates,
type-checked dataclasses) only for us to copy a dozen fields out of it again. Here a record
is decoded by `loads` (docgen.capture.tnetstring: offsets into one bytes object, compiled
by mypyc, only the keys a snapshot needs) and its state dict goes straight to a
`FlowSnapshot`, the same one `snapshot()` takes from a live flow, so `to_exchange` makes
the very record the recorder and the `FlowReader` path make.

tnetstring3 on PyPI was tried first: it has no `;` (text) tag, which mitmproxy writes for
every str, so it cannot read these files.

Files of an older flow format go through mitmproxy's own `compat.migrate_flow` (plain dict
rewriting), so every version mitmproxy reads is read here the same way.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import IO, Any, Final

from docgen.capture import tnetstring
from docgen.capture.snapshot import FlowSnapshot, authority_host, host_authority

READ_SIZE = 1 << 20  # buffer of a flow file read by record_spans (seeks inside it cost nothing)
MAX_DIGITS: Final = tnetstring.MAX_DIGITS
CURRENT_VERSION: Final = 21  # mitmproxy 11's FLOW_FORMAT_VERSION; others are migrated first


class FlowFileError(ValueError):
    """The bytes are not a (complete) tnetstring flow record."""


# -- tnetstring ---------------------------------------------------------------------------


def loads(data: bytes, wanted: dict[str, Any] | None = None) -> Any:
    """One tnetstring value; FlowFileError when `data` is not exactly one value. With
    `wanted` (see docgen.capture.tnetstring), only those keys of a dict are decoded."""
    try:
        value, end = tnetstring.decode(data, 0, wanted)
    except (ValueError, IndexError, RecursionError) as exc:
        raise FlowFileError(f"not a tnetstring: {exc}") from None
    if end != len(data):
        raise FlowFileError("not a tnetstring: trailing bytes")
    return value


def records(handle: IO[bytes]) -> Iterator[bytes]:
    """Each top-level record of a seekable tnetstring stream as its own bytes (undecoded),
    one at a time, so memory stays flat in the number of flows; cut by `record_spans`."""
    size = handle.seek(0, 2)
    for start, end in record_spans(handle, size):
        handle.seek(start)
        yield handle.read(end - start)


def record_spans(handle: IO[bytes], size: int) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of each top-level record of a seekable stream of `size` bytes,
    as `records` cuts them, found by their length prefixes alone: the bodies between
    are skipped, not read (a process that converts records reads its own)."""
    start = 0
    while start < size:
        handle.seek(start)
        prefix = handle.read(MAX_DIGITS + 1)
        colon = prefix.find(b":")
        if colon < 0:
            if len(prefix) > MAX_DIGITS:
                raise FlowFileError("not a tnetstring: missing or invalid length prefix")
            raise FlowFileError(f"not a tnetstring: last {size - start} bytes cut short")
        end = start + colon + 2 + _length(prefix[:colon])
        if end > size:
            raise FlowFileError(f"not a tnetstring: last {size - start} bytes cut short")
        yield start, end
        start = end


def _length(digits: bytes) -> int:
    if not digits.isdigit():
        raise FlowFileError(f"not a tnetstring: invalid length prefix {digits[:20]!r}")
    return int(digits)


# -- state dict -> FlowSnapshot ------------------------------------------------------------


# What state_snapshot reads of a current-format record; the rest (server connection,
# certificates, websocket messages, metadata) is skipped undecoded.
WANTED: Final[dict[str, Any]] = {
    "version": None, "type": None, "id": None, "error": None, "request": None,
    "response": None, "client_conn": {"peername": None},
}


def read_state(record: bytes) -> dict[Any, Any]:
    """The parts of a record's flow state that make a snapshot, in the current format:
    decoded selectively when the record is current, else whole and migrated by
    mitmproxy's own `compat.migrate_flow` (plain dict rewriting)."""
    state = loads(record, WANTED)
    if isinstance(state, dict) and state.get("version") == CURRENT_VERSION:
        return state
    from mitmproxy.io import compat

    return compat.migrate_flow(loads(record))


def state_snapshot(state: dict[Any, Any]) -> FlowSnapshot | None:
    """What `snapshot(HTTPFlow.from_state(state))` gives for a current-format state,
    without building the flow; None for flows that are not HTTP (TCP, UDP, DNS), which
    `wsdoc import` skips."""
    if state.get("type") != "http":
        return None
    req, resp, error = state["request"], state["response"], state["error"]
    peer = state["client_conn"].get("peername")
    return FlowSnapshot(
        flow_id=state["id"], started=req["timestamp_start"] or time.time(),
        ended=resp["timestamp_end"] if resp else None,
        client=f"{peer[0]}:{peer[1]}" if peer else "",
        method=_text(req["method"]).upper(), scheme=_text(req["scheme"]),
        host=pretty_host(req), port=req["port"], target=_text(req["path"]),
        http_version=_text(req["http_version"]),
        request_fields=_fields(req["headers"]), request_raw=req["content"],
        status=resp["status_code"] if resp else None,
        reason=_bytes(resp["reason"]).decode("ISO-8859-1") if resp else "",
        response_fields=_fields(resp["headers"]) if resp else None,
        response_raw=resp["content"] if resp else None,
        error=error["msg"] if error else None,
    )


def _bytes(value: bytes | str) -> bytes:
    # Migrated old states may hold str where mitmproxy now keeps bytes; its Request and
    # Response constructors convert them like this.
    return value.encode("ascii", "strict") if isinstance(value, str) else value


def _text(raw: bytes | str) -> str:
    return _bytes(raw).decode("utf-8", "surrogateescape")


def _fields(items: list[list[bytes]]) -> tuple[tuple[bytes, bytes], ...]:
    return tuple((name, value) for name, value in items)


def pretty_host(req: dict[str, Any]) -> str:
    """mitmproxy's `Request.pretty_host` of a request's state."""
    # host_authority reads :authority only for HTTP/2 and 3, whose states always carry it
    found = host_authority(_bytes(req["http_version"]), _bytes(req.get("authority") or b""),
                           req["headers"])
    if not found:
        host = req["host"]
        return host.decode("idna", "strict") if isinstance(host, bytes) else str(host)
    return authority_host(found)
