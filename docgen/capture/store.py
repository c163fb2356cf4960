"""The capture store: one SQLite file in WAL mode, readable while the proxy writes.

The schema is versioned with `PRAGMA user_version`; `MIGRATIONS[i]` brings a store from
version i to i + 1, so an old store opened by a newer wsdoc is upgraded in place.
Headers and query strings are stored as JSON arrays of [name, value] pairs (order and
repeats matter); bodies are BLOBs so non-UTF-8 content survives byte for byte.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from docgen.capture import fastjson
from docgen.capture.record import Body, Exchange
from docgen.errors import WsdocError

MIGRATIONS: list[str] = [
    """
    CREATE TABLE exchanges (
        id INTEGER PRIMARY KEY,
        flow_id TEXT NOT NULL,
        started REAL NOT NULL,
        duration_ms REAL,
        client TEXT NOT NULL,
        method TEXT NOT NULL,
        scheme TEXT NOT NULL,
        host TEXT NOT NULL,
        port INTEGER NOT NULL,
        path TEXT NOT NULL,
        query TEXT NOT NULL,
        http_version TEXT NOT NULL,
        request_headers TEXT NOT NULL,
        req_body BLOB, req_type TEXT NOT NULL, req_encoding TEXT NOT NULL,
        req_size INTEGER NOT NULL, req_truncated INTEGER NOT NULL,
        status INTEGER,
        reason TEXT NOT NULL,
        response_headers TEXT NOT NULL,
        resp_body BLOB, resp_type TEXT NOT NULL, resp_encoding TEXT NOT NULL,
        resp_size INTEGER NOT NULL, resp_truncated INTEGER NOT NULL,
        error TEXT
    );
    CREATE INDEX exchanges_started ON exchanges (started);
    """,
    """
    CREATE TABLE violations (
        id INTEGER PRIMARY KEY,
        exchange_id INTEGER NOT NULL REFERENCES exchanges (id),
        kind TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    """,
    """
    ALTER TABLE exchanges ADD COLUMN session TEXT NOT NULL DEFAULT '';
    """,
    # Readers stream in id order; a secondary index only made every group commit
    # rewrite more pages while the proxy is recording.
    """
    DROP INDEX IF EXISTS exchanges_started;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)

COLUMNS = (
    "flow_id, started, duration_ms, client, method, scheme, host, port, path, query, "
    "http_version, request_headers, req_body, req_type, req_encoding, req_size, req_truncated, "
    "status, reason, response_headers, resp_body, resp_type, resp_encoding, resp_size, "
    "resp_truncated, error, session"
)
INSERT_SQL = f"INSERT INTO exchanges ({COLUMNS}) VALUES ({', '.join('?' * 27)})"


def connect(
    path: str | Path, readonly: bool = False, synchronous: str = "NORMAL"
) -> sqlite3.Connection:
    """Open (and, unless read-only, create and migrate) a store; WsdocError if unusable."""
    target = Path(path)
    try:
        if readonly:
            if not target.is_file():
                raise WsdocError(f"no store at {target}")
            upgrade_if_old(target)
            conn = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True,
                                   check_same_thread=False)
        else:
            conn = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={synchronous}")
            # Checkpoint less often: small group commits rewrite the same last pages,
            # and a bigger WAL lets a checkpoint write each of them to the file once.
            conn.execute("PRAGMA wal_autocheckpoint=4000")
            migrate(conn)
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise WsdocError(f"cannot use store {target}: {exc}") from exc
    return conn


def upgrade_if_old(target: Path) -> None:
    """Readers need the current schema: migrate an older store once, in place."""
    probe = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True)
    try:
        version = probe.execute("PRAGMA user_version").fetchone()[0]
    finally:
        probe.close()
    if version >= SCHEMA_VERSION:
        return
    try:
        writer = sqlite3.connect(target, isolation_level=None)
        writer.execute("PRAGMA journal_mode=WAL")
        migrate(writer)
        writer.close()
    except sqlite3.OperationalError as exc:
        raise WsdocError(f"store {target} has schema v{version} and needs upgrading to "
                         f"v{SCHEMA_VERSION}, but cannot be written: {exc}") from exc


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE (take the write lock now), COMMIT on success, ROLLBACK on any
    exception; the one transaction block of every writer of a store."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def insert_violations(conn: sqlite3.Connection, rows: Iterable[tuple[int, str, str, str]]
                      ) -> None:
    """Contract violations (exchange id, kind, endpoint, detail) found while recording."""
    conn.executemany(
        "INSERT INTO violations (exchange_id, kind, endpoint, detail) VALUES (?, ?, ?, ?)",
        rows)


def migrate(conn: sqlite3.Connection) -> None:
    """Apply the migrations this store has not seen yet, each in its own transaction."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise WsdocError(f"store schema v{version} is newer than this wsdoc (v{SCHEMA_VERSION})")
    for number in range(version, SCHEMA_VERSION):
        with transaction(conn):
            # Re-check under the write lock: another process may have migrated meanwhile.
            if conn.execute("PRAGMA user_version").fetchone()[0] != number:
                continue
            for statement in MIGRATIONS[number].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version={number + 1}")


def _pairs(text: str) -> list[tuple[str, str]]:
    return [(str(name), str(value)) for name, value in fastjson.loads(text)]


def to_row(ex: Exchange) -> tuple[Any, ...]:
    req, resp = ex.request_body, ex.response_body
    return (
        ex.flow_id, ex.started, ex.duration_ms, ex.client, ex.method, ex.scheme, ex.host,
        ex.port, ex.path, json.dumps(ex.query), ex.http_version, json.dumps(ex.request_headers),
        req.content, req.content_type, req.encoding, req.size, int(req.truncated),
        ex.status, ex.reason, json.dumps(ex.response_headers),
        resp.content, resp.content_type, resp.encoding, resp.size, int(resp.truncated),
        ex.error, ex.session,
    )


def from_row(row: sqlite3.Row | tuple[Any, ...]) -> Exchange:
    (ident, flow_id, started, duration_ms, client, method, scheme, host, port, path, query,
     http_version, request_headers, req_body, req_type, req_encoding, req_size, req_truncated,
     status, reason, response_headers, resp_body, resp_type, resp_encoding, resp_size,
     resp_truncated, error, session) = tuple(row)
    return Exchange(
        id=ident, flow_id=flow_id, started=started, duration_ms=duration_ms, client=client,
        method=method, scheme=scheme, host=host, port=port, path=path, query=_pairs(query),
        http_version=http_version, request_headers=_pairs(request_headers),
        request_body=Body(req_body, req_type, req_encoding, req_size, bool(req_truncated)),
        status=status, reason=reason, response_headers=_pairs(response_headers),
        response_body=Body(resp_body, resp_type, resp_encoding, resp_size, bool(resp_truncated)),
        error=error, session=session,
    )


class Store:
    """A capture store for reading and batch appends (the proxy uses `StoreWriter`)."""

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        self.path = Path(path)
        self.conn = connect(self.path, readonly=readonly)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def append(self, exchanges: Iterable[Exchange]) -> None:
        """Insert exchanges in one transaction."""
        with transaction(self.conn):
            self.conn.executemany(INSERT_SQL, (to_row(ex) for ex in exchanges))

    def append_rows(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Insert rows made by `to_row` (e.g. in import worker processes) in one transaction."""
        with transaction(self.conn):
            self.conn.executemany(INSERT_SQL, rows)

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM exchanges").fetchone()[0])

    def exchanges(self, batch: int = 500) -> Iterator[Exchange]:
        """Every exchange in id order, fetched in batches so memory stays flat."""
        last_id = 0
        while True:
            rows = self.conn.execute(
                f"SELECT id, {COLUMNS} FROM exchanges WHERE id > ? ORDER BY id LIMIT ?",
                (last_id, batch),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield from_row(row)
            last_id = rows[-1][0]

    def get(self, ident: int) -> Exchange | None:
        row = self.conn.execute(
            f"SELECT id, {COLUMNS} FROM exchanges WHERE id = ?", (ident,)
        ).fetchone()
        return from_row(row) if row else None

    def violations(self) -> Iterator[tuple[Exchange, str, str, str]]:
        """Contract violations the recorder found live: (exchange, kind, endpoint, detail),
        in the order they were recorded."""
        rows = self.conn.execute(
            "SELECT exchange_id, kind, endpoint, detail FROM violations ORDER BY id").fetchall()
        for exchange_id, kind, endpoint, detail in rows:
            exchange = self.get(exchange_id)
            if exchange is not None:
                yield exchange, kind, endpoint, detail

    def integrity(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])
