"""Exchange <-> store row, and the content hash that tells two records apart.

A row is what `INSERT_SQL` takes: the exchange's fields (headers and query strings as
JSON arrays of [name, value] pairs, bodies as bytes), then its provenance (recorder, host),
then its content hash. The hash covers every stored field but the id, the provenance and
the session tag (keyed per run), so the same flow recorded into two stores, or imported
twice, hashes the same; it is computed where the row is made (import workers, the
recorder's writer), once.

Rows read back are checked on the way in (`from_row`): a store someone edited by hand or
that another program wrote must fail with a one-line `CorruptRow`, not a traceback deep
inside inference.
"""

from __future__ import annotations

import json
from _blake2 import blake2b  # hashlib's own blake2b, without hashlib's OpenSSL start-up (ms)
from collections.abc import Sequence
from json.encoder import encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any, Final

import orjson

from docgen.capture import fastjson
from docgen.capture.recent import remember
from docgen.capture.record import Body, Exchange

CONTENT_COLUMNS = (
    "flow_id", "started", "duration_ms", "client", "method", "scheme", "host", "port", "path",
    "query", "http_version", "request_headers", "req_body", "req_type", "req_encoding",
    "req_size", "req_truncated", "status", "reason", "response_headers", "resp_body",
    "resp_type", "resp_encoding", "resp_size", "resp_truncated", "error", "session",
)
READ_COLUMNS = (*CONTENT_COLUMNS, "recorder", "recorder_host")  # what readers select
WRITE_COLUMNS = (*READ_COLUMNS, "content_hash")
COLUMNS = ", ".join(WRITE_COLUMNS)
# A record already in the store (same content hash) is skipped, in one statement per batch.
INSERT_SQL = (f"INSERT INTO exchanges ({COLUMNS}) VALUES ({', '.join('?' * len(WRITE_COLUMNS))})"
              " ON CONFLICT DO NOTHING")
HASH: Final = len(WRITE_COLUMNS) - 1  # index of the content hash in a row
MAX_REMEMBERED_PAIRS = 1024  # distinct header/query texts kept decoded (see _pairs)
_PAIRS: dict[str, tuple[tuple[str, str], ...]] = {}
# Final: compiled code holds it, instead of a module-dict lookup per header name and value
_quote: Final = encode_basestring_ascii
Row = tuple[Any, ...]

# What each value of `SELECT id, READ_COLUMNS` may be, as both engines return them (`_fits`).
INT: Final = 0
TEXT: Final = 1
NUMBER: Final = 2
MAYBE_NUMBER: Final = 3
MAYBE_BYTES: Final = 4
MAYBE_INT: Final = 5
MAYBE_TEXT: Final = 6
READ_KINDS: Final[tuple[int, ...]] = (  # a Python tuple: indexed by a variable
    INT, TEXT, NUMBER, MAYBE_NUMBER, TEXT, TEXT, TEXT, TEXT, INT, TEXT, TEXT, TEXT, TEXT,
    MAYBE_BYTES, TEXT, TEXT, INT, INT, MAYBE_INT, TEXT, TEXT, MAYBE_BYTES, TEXT, TEXT, INT,
    INT, MAYBE_TEXT, TEXT, TEXT, TEXT,
)


class CorruptRow(ValueError):
    """A stored row that does not decode; the message names the record and the column."""


def row_hash(content: Sequence[Any]) -> bytes:
    """16 bytes over a row's content fields, in their fixed order: bodies as their length
    in a JSON array of the fields (orjson: a few microseconds a row) and then their bytes;
    what orjson refuses (a lone surrogate, an integer past 64 bits) through repr instead."""
    digest = blake2b(digest_size=16)
    bodies = [value for value in content if type(value) is bytes]
    shape = [len(value) if type(value) is bytes else value for value in content]
    try:
        digest.update(orjson.dumps(shape))
    except orjson.JSONEncodeError:
        digest.update(repr(shape).encode("utf-8", "backslashreplace"))
    for body in bodies:
        digest.update(body)
    return digest.digest()


def pairs_text(pairs: Sequence[tuple[str, str]]) -> str:
    """`json.dumps(pairs)`, the text stored (and hashed) since the first store, written
    with json's own C string encoder: three of these per row were a tenth of an import."""
    try:
        return "[" + ", ".join([f"[{_quote(name)}, {_quote(value)}]"
                                for name, value in pairs]) + "]"
    except (TypeError, ValueError):  # not all strings, or not all pairs: json says how
        return json.dumps(pairs)


def to_row(ex: Exchange) -> Row:
    req, resp = ex.request_body, ex.response_body
    content = (
        ex.flow_id, ex.started, ex.duration_ms, ex.client, ex.method, ex.scheme, ex.host,
        ex.port, ex.path, pairs_text(ex.query), ex.http_version, pairs_text(ex.request_headers),
        req.content, req.content_type, req.encoding, req.size, int(req.truncated),
        ex.status, ex.reason, pairs_text(ex.response_headers),
        resp.content, resp.content_type, resp.encoding, resp.size, int(resp.truncated),
        ex.error, ex.session,
    )
    # Not the session tag: a keyed hash whose key lives for one run only, so the same flow
    # imported twice gets two different tags.
    return (*content, ex.recorder, ex.recorder_host, row_hash(content[:-1]))


def content_hash(exchange: Exchange) -> bytes:
    """What was exchanged, blind to where it is stored and who recorded it."""
    return bytes(to_row(exchange)[HASH])


def with_provenance(rows: list[Row], provenance: tuple[str, str]) -> list[Row]:
    """Rows (from `to_row`) stamped with (recorder, host); their hashes stay valid."""
    if not any(provenance):
        return rows
    return [(*row[:HASH - 2], *provenance, row[HASH]) for row in rows]


def _pairs(text: str, column: str) -> list[tuple[str, str]]:
    # Header and query columns repeat from row to row (the same client, the same server):
    # each distinct text is decoded once; every row still gets its own list.
    known = _PAIRS.get(text)
    if known is None:
        known = remember(_PAIRS, text, _decode_pairs(text, column), MAX_REMEMBERED_PAIRS)
    return list(known)


def _decode_pairs(text: str, column: str) -> tuple[tuple[str, str], ...]:
    try:
        pairs = fastjson.loads(text)
        if isinstance(pairs, list) and all(isinstance(pair, list) for pair in pairs):
            return tuple((str(name), str(value)) for name, value in pairs)
    except (ValueError, TypeError):  # not JSON; a pair that is not two items
        pass
    raise CorruptRow(f"{column} is not a JSON list of [name, value] pairs: {text[:40]!r}")


def check_types(row: tuple[Any, ...]) -> None:
    """CorruptRow naming the first column whose value has a type wsdoc never writes."""
    for index in range(min(len(row), len(READ_KINDS))):
        value = row[index]
        if not _fits(value, READ_KINDS[index]):
            name = ("id", *READ_COLUMNS)[index]
            raise CorruptRow(f"{name} holds {type(value).__name__} {str(value)[:40]!r}")
    if len(row) != len(READ_KINDS):
        raise CorruptRow(f"{len(row)} columns, not {len(READ_KINDS)}")


def _fits(value: object, kind: int) -> bool:
    # One built-in type per isinstance: compiled, each is a type-flag test (a tuple of
    # types takes the generic isinstance: it was a third of from_row's instructions).
    if kind == TEXT or (kind == MAYBE_TEXT and value is not None):
        return isinstance(value, str)
    if kind == INT or (kind == MAYBE_INT and value is not None):
        return isinstance(value, int)
    if kind == NUMBER or (kind == MAYBE_NUMBER and value is not None):
        return isinstance(value, int) or isinstance(value, float)
    if kind == MAYBE_BYTES and value is not None:
        return isinstance(value, bytes)
    return value is None


def from_row(row: Sequence[Any]) -> Exchange:
    """An exchange from `SELECT id, READ_COLUMNS`; CorruptRow when it does not decode."""
    values = tuple(row)
    check_types(values)
    (ident, flow_id, started, duration_ms, client, method, scheme, host, port, path, query,
     http_version, request_headers, req_body, req_type, req_encoding, req_size, req_truncated,
     status, reason, response_headers, resp_body, resp_type, resp_encoding, resp_size,
     resp_truncated, error, session, recorder, recorder_host) = values
    return Exchange(
        id=ident, flow_id=flow_id, started=started, duration_ms=duration_ms, client=client,
        method=method, scheme=scheme, host=host, port=port, path=path,
        query=_pairs(query, "query"), http_version=http_version,
        request_headers=_pairs(request_headers, "request_headers"),
        request_body=Body(req_body, req_type, req_encoding, req_size, bool(req_truncated)),
        status=status, reason=reason,
        response_headers=_pairs(response_headers, "response_headers"),
        response_body=Body(resp_body, resp_type, resp_encoding, resp_size, bool(resp_truncated)),
        error=error, session=session, recorder=recorder, recorder_host=recorder_host,
    )
