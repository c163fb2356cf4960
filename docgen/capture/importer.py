"""`wsdoc import`: HAR 1.2 files and mitmproxy flow files into a capture store.

The format is detected from the content, not the file name: a JSON document with
`log.entries` is HAR; a tnetstring stream (`mitmdump -w`) is a flow file. Every exchange
passes through the same `Redactor` as live recording before it reaches the store; one
that cannot be redacted is skipped, never stored.

Real HAR exports are untidy: a bad entry costs one warning (`ImportResult.warnings`) and
never the rest of the file. Entries without a response are imported as failed exchanges,
bodies that cannot be decoded (bad base64, multipart without text) as not kept, duplicated
entries (the same entry twice in one file) are named in a warning; an entry that cannot be
read at all is skipped. An exchange the store already holds (the same content hash, e.g.
the file was imported before, or an entry repeats) is counted in `duplicates`, not stored
again.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from docgen.capture import fastjson
from docgen.capture.import_pool import ROWS_PER_TRANSACTION, Row, flow_file_rows, redacted_rows
from docgen.capture.record import Body, Exchange, Pairs
from docgen.capture.redact import Redactor
from docgen.capture.rows import with_provenance
from docgen.errors import WsdocError

MAX_BODY = 10 * 1024 * 1024  # same default as the recorder's kept-body limit
MAX_FINGERPRINTS = 100_000  # entries remembered to drop duplicates within one file
STANDARD_METHODS = frozenset("GET HEAD POST PUT DELETE CONNECT OPTIONS TRACE PATCH".split())
METHOD_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Z-]{1,64}")  # RFC 9110 token, upper-cased
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass
class ImportResult:
    format: str  # "har" or "flows"
    imported: int = 0
    skipped: int = 0  # could not be redacted, so not stored
    duplicates: int = 0  # already in the store (same content hash), so not stored again
    warnings: list[str] = field(default_factory=list)  # one per odd or skipped entry


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


def read_exchanges(path: Path, warnings: list[str] | None = None
                   ) -> tuple[str, Iterator[Exchange]]:
    kind = detect_format(path)
    return kind, (read_har(path, warnings) if kind == "har" else read_flows(path))


def import_file(path: str | Path, store: Any, redactor: Redactor,
                workers: int | None = None,
                provenance: tuple[str, str] = ("", "")) -> ImportResult:
    """Read, redact and append in large transactions, each record stamped with
    `provenance` (recorder name, host) and skipped when its content is already stored;
    returns the counts and warnings. Flow files are decoded and redacted on `workers`
    processes (default: every core, for large files)."""
    source = Path(path)
    kind = detect_format(source)
    result = ImportResult(kind)
    batches = (flow_file_rows(source, redactor, MAX_BODY, workers) if kind == "flows"
               else har_rows(source, redactor, result.warnings))
    for rows, skipped in batches:
        result.skipped += skipped
        if rows:
            added = store.append_rows(with_provenance(rows, provenance))
            result.imported += added
            result.duplicates += len(rows) - added
    return result


def har_rows(path: Path, redactor: Redactor, warnings: list[str] | None = None
             ) -> Iterator[tuple[list[Row], int]]:
    """Store rows of a HAR file's entries, redacted, in batches of one transaction; odd
    entries add one line each to `warnings`."""
    entries = read_har(path, warnings)
    while chunk := list(islice(entries, ROWS_PER_TRANSACTION)):
        yield redacted_rows(chunk, redactor)


# -- HAR -----------------------------------------------------------------------------------


def read_har(path: Path, warnings: list[str] | None = None) -> Iterator[Exchange]:
    """The exchanges of a HAR file; odd entries add one line each to `warnings`."""
    warned = warnings if warnings is not None else []
    try:
        document = fastjson.load_document(path.read_bytes())
        entries = document["log"]["entries"]
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise WsdocError(f"{path}: not a HAR 1.2 file ({type(exc).__name__})") from exc
    if not isinstance(entries, list):
        raise WsdocError(f"{path}: not a HAR 1.2 file (log.entries is not a list)")
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        notes: list[str] = []
        try:
            fingerprint = json.dumps(entry, sort_keys=True, default=str)
            if fingerprint in seen:
                # Read on: the store skips an exact copy (content hash) and counts it.
                notes.append(f"same as entry {seen[fingerprint]}")
            elif len(seen) < MAX_FINGERPRINTS:
                seen[fingerprint] = index
            exchange = har_entry(entry, notes)
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
            warned.append(f"HAR entry {index}: skipped ({type(exc).__name__}: {exc})"[:300])
            continue
        if notes:
            warned.append(f"HAR entry {index}: " + "; ".join(notes))
        yield exchange


def har_entry(entry: dict[str, Any], notes: list[str] | None = None) -> Exchange:
    """One HAR 1.2 entry as an (unredacted) Exchange; what was odd about it goes to `notes`."""
    notes = notes if notes is not None else []
    request = entry["request"]
    url = urlsplit(request["url"])
    scheme = url.scheme or "http"
    method = str(request["method"]).upper()
    if not METHOD_TOKEN.fullmatch(method):
        raise ValueError(f"method {method[:40]!r} is not an HTTP method token")
    if method not in STANDARD_METHODS:
        notes.append(f"non-standard method {method}")
    headers = _har_pairs(request.get("headers", []))
    response = entry.get("response") or {}
    status = int(response.get("status") or 0) or None  # 0: the browser got no response
    if status is None:
        notes.append("no response recorded: imported as a failed exchange")
    elif "content" not in response:
        notes.append("response has no content: body unknown")
    response_headers = _har_pairs(response.get("headers", []))
    return Exchange(
        method=method, scheme=scheme, host=url.hostname or "",
        port=url.port or DEFAULT_PORTS.get(scheme, 80), path=url.path or "/",
        query=parse_qsl(url.query, keep_blank_values=True),
        http_version=str(request.get("httpVersion") or "HTTP/1.1"),
        request_headers=headers,
        request_body=_har_body(request.get("postData"), headers, notes),
        status=status, reason=str(response.get("statusText") or ""),
        response_headers=response_headers,
        response_body=_har_body(response.get("content"), response_headers, notes),
        started=_epoch(entry.get("startedDateTime")),
        duration_ms=float(entry["time"]) if entry.get("time") is not None else None,
        client="", error=None if status else str(response.get("_error") or "no response"),
    )


def _har_pairs(items: list[dict[str, Any]]) -> Pairs:
    # HTTP/2 pseudo-headers (":authority") are not headers of the exchange.
    return [(str(h["name"]), str(h["value"])) for h in items if not str(h["name"]).startswith(":")]


def _header(headers: Pairs, name: str) -> str:
    return next((value for key, value in headers if key.lower() == name), "")


def _har_body(data: dict[str, Any] | None, headers: Pairs, notes: list[str]) -> Body:
    """postData or content: text (maybe base64) -> bytes; mimeType -> content type.
    A body that cannot be decoded is kept as "not kept" (its size), with a note."""
    if not data:
        return Body()
    mime = str(data.get("mimeType") or _header(headers, "content-type"))
    content_type = mime.partition(";")[0].strip().lower()
    encoding = _header(headers, "content-encoding").strip().lower()
    text = data.get("text")
    if text is None and isinstance(data.get("params"), list):
        if content_type == "application/x-www-form-urlencoded":
            text = urlencode([(str(p.get("name", "")), str(p.get("value", "")))
                              for p in data["params"]])
        else:
            notes.append(f"{content_type or 'request'} body given as params only: not kept")
    if text is None:
        size = int(data.get("size") or 0)
        return Body(None, content_type, encoding, max(size, 0))
    polly = data.get("_isBinary") or (encoding in ("gzip", "deflate")
                                      and str(text).startswith('["'))
    if polly and (chunks := _polly_chunks(text, encoding)) is not None:
        content = chunks
    elif data.get("encoding") == "base64":
        try:
            content = base64.b64decode(str(text), validate=True)
        except (binascii.Error, ValueError) as exc:
            notes.append(f"body is not valid base64 ({exc}): not kept")
            return Body(None, content_type, encoding, len(str(text)))
    else:
        content = str(text).encode("utf-8", "replace")
    if len(content) > MAX_BODY:
        return Body(None, content_type, encoding, len(content), truncated=True)
    return Body(content, content_type, encoding, len(content))


def _polly_chunks(text: Any, encoding: str) -> bytes | None:
    """Polly.JS stores binary bodies as a JSON list of hex chunks of the encoded bytes;
    decoded (gunzipped) content, or None when the text is not such a list."""
    try:
        chunks = json.loads(text)
        raw = b"".join(bytes.fromhex(chunk) for chunk in chunks)
        if encoding in ("gzip", "deflate"):
            decoder = zlib.decompressobj(wbits=47)  # 47: gzip or zlib header, auto-detected
            raw = decoder.decompress(raw, MAX_BODY + 1)
    except (ValueError, TypeError, zlib.error):
        return None
    return raw


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
