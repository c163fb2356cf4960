"""`wsdoc import`: HAR 1.2 files and mitmproxy flow files into a capture store.

The format is detected from the content, not the file name: a JSON document with
`log.entries` is HAR; a tnetstring stream (`mitmdump -w`) is a flow file. Every exchange
passes through the same `Redactor` as live recording before it reaches the store; one
that cannot be redacted is skipped, never stored.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from docgen.capture import fastjson
from docgen.capture.import_pool import ROWS_PER_TRANSACTION, Row, flow_file_rows, redacted_rows
from docgen.capture.record import Body, Exchange, Pairs
from docgen.capture.redact import Redactor
from docgen.errors import WsdocError

MAX_BODY = 10 * 1024 * 1024  # same default as the recorder's kept-body limit
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass
class ImportResult:
    format: str  # "har" or "flows"
    imported: int = 0
    skipped: int = 0  # could not be redacted, so not stored


def detect_format(path: Path) -> str:
    """'har' or 'flows', judged by the first bytes; WsdocError for anything else."""
    with path.open("rb") as handle:
        head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return "har"
    digits = head.split(b":", 1)[0]
    if digits.isdigit() and b":" in head:
        return "flows"
    raise WsdocError(f"{path}: not a HAR 1.2 file or a mitmproxy flow file")


def read_exchanges(path: Path) -> tuple[str, Iterator[Exchange]]:
    kind = detect_format(path)
    return kind, (read_har(path) if kind == "har" else read_flows(path))


def import_file(path: str | Path, store: Any, redactor: Redactor,
                workers: int | None = None) -> ImportResult:
    """Read, redact and append in large transactions; returns the counts. Flow files are
    decoded and redacted on `workers` processes (default: every core, for large files)."""
    source = Path(path)
    kind = detect_format(source)
    result = ImportResult(kind)
    batches = (flow_file_rows(source, redactor, MAX_BODY, workers) if kind == "flows"
               else har_rows(source, redactor))
    for rows, skipped in batches:
        result.skipped += skipped
        if rows:
            store.append_rows(rows)
            result.imported += len(rows)
    return result


def har_rows(path: Path, redactor: Redactor) -> Iterator[tuple[list[Row], int]]:
    """Store rows of a HAR file's entries, redacted, in batches of one transaction."""
    entries = read_har(path)
    while chunk := list(islice(entries, ROWS_PER_TRANSACTION)):
        yield redacted_rows(chunk, redactor)


# -- HAR -----------------------------------------------------------------------------------


def read_har(path: Path) -> Iterator[Exchange]:
    try:
        document = fastjson.load_document(path.read_bytes())
        entries = document["log"]["entries"]
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise WsdocError(f"{path}: not a HAR 1.2 file ({type(exc).__name__})") from exc
    if not isinstance(entries, list):
        raise WsdocError(f"{path}: not a HAR 1.2 file (log.entries is not a list)")
    for index, entry in enumerate(entries):
        try:
            yield har_entry(entry)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise WsdocError(f"{path}: HAR entry {index}: {type(exc).__name__}: {exc}") from exc


def har_entry(entry: dict[str, Any]) -> Exchange:
    """One HAR 1.2 entry as an (unredacted) Exchange."""
    request = entry["request"]
    url = urlsplit(request["url"])
    scheme = url.scheme or "http"
    headers = _har_pairs(request.get("headers", []))
    response = entry.get("response") or {}
    status = int(response.get("status") or 0) or None  # 0: the browser got no response
    response_headers = _har_pairs(response.get("headers", []))
    return Exchange(
        method=str(request["method"]).upper(), scheme=scheme, host=url.hostname or "",
        port=url.port or DEFAULT_PORTS.get(scheme, 80), path=url.path or "/",
        query=parse_qsl(url.query, keep_blank_values=True),
        http_version=str(request.get("httpVersion") or "HTTP/1.1"),
        request_headers=headers,
        request_body=_har_body(request.get("postData"), headers),
        status=status, reason=str(response.get("statusText") or ""),
        response_headers=response_headers,
        response_body=_har_body(response.get("content"), response_headers),
        started=_epoch(entry.get("startedDateTime")),
        duration_ms=float(entry["time"]) if entry.get("time") is not None else None,
        client="", error=None if status else str(response.get("_error") or "no response"),
    )


def _har_pairs(items: list[dict[str, Any]]) -> Pairs:
    # HTTP/2 pseudo-headers (":authority") are not headers of the exchange.
    return [(str(h["name"]), str(h["value"])) for h in items if not str(h["name"]).startswith(":")]


def _header(headers: Pairs, name: str) -> str:
    return next((value for key, value in headers if key.lower() == name), "")


def _har_body(data: dict[str, Any] | None, headers: Pairs) -> Body:
    """postData or content: text (maybe base64) -> bytes; mimeType -> content type."""
    if not data:
        return Body()
    mime = str(data.get("mimeType") or _header(headers, "content-type"))
    content_type = mime.partition(";")[0].strip().lower()
    encoding = _header(headers, "content-encoding").strip().lower()
    text = data.get("text")
    if text is None:
        size = int(data.get("size") or 0)
        return Body(None, content_type, encoding, max(size, 0))
    if data.get("encoding") == "base64":
        try:
            content = base64.b64decode(text, validate=False)
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"bad base64 body: {exc}") from exc
    else:
        content = str(text).encode("utf-8", "replace")
    if len(content) > MAX_BODY:
        return Body(None, content_type, encoding, len(content), truncated=True)
    return Body(content, content_type, encoding, len(content))


def _epoch(text: Any) -> float:
    if not text:
        return 0.0
    return datetime.fromisoformat(str(text).replace("Z", "+00:00")).timestamp()


# -- mitmproxy flow files ---------------------------------------------------------------


def read_flows(path: Path) -> Iterator[Exchange]:
    """HTTP flows from a `mitmdump -w` file, converted exactly as the recorder does."""
    from mitmproxy import http, io
    from mitmproxy.exceptions import FlowReadException

    from docgen.capture.snapshot import snapshot, to_exchange

    count = 0
    with path.open("rb") as handle:
        try:
            for flow in io.FlowReader(handle).stream():
                if isinstance(flow, http.HTTPFlow):
                    count += 1
                    yield to_exchange(snapshot(flow), MAX_BODY)
        except FlowReadException as exc:
            raise WsdocError(f"{path}: not a readable mitmproxy flow file after {count} "
                             f"flows ({exc})") from exc
