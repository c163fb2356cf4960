"""The store's schema and its migrations, for both engines.

The schema is versioned (SQLite: `PRAGMA user_version`; PostgreSQL: a `wsdoc_schema`
table); `MIGRATIONS[i]` brings a store from version i to i + 1, so an old store opened by a
newer wsdoc for writing is upgraded in place. A migration is SQL both engines share
(translated for PostgreSQL by `postgres.pg_dialect`) or a function of the connection, for
what SQL alone cannot do (hashing the records already stored). Readers never migrate:
they read an old schema as it is (`select_list`), so reading never changes a store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from docgen.capture import postgres
from docgen.capture.rows import HASH, READ_COLUMNS, CorruptRow, from_row, to_row

Connection = sqlite3.Connection | postgres.PgConnection
Migration = postgres.Migration
BACKFILL_BATCH = 2000


def fill_content_hashes(conn: Connection) -> None:
    """Hash the records a store held before content hashes, then make the hash unique.
    A record whose content is already there (an import done twice before wsdoc skipped
    duplicates) keeps no hash: it stays, but the index stays unique. A record that does
    not decode keeps none either; reading it will say the store is corrupt."""
    seen: set[bytes] = set()
    last_id = 0
    while rows := conn.execute(
            f"SELECT id, {', '.join(READ_COLUMNS)} FROM exchanges WHERE id > ? "
            "ORDER BY id LIMIT ?", (last_id, BACKFILL_BATCH)).fetchall():
        updates = []
        for row in rows:
            try:
                digest = bytes(to_row(from_row(row))[HASH])
            except CorruptRow:
                continue
            if digest not in seen:
                seen.add(digest)
                updates.append((digest, row[0]))
        if updates:
            conn.executemany("UPDATE exchanges SET content_hash = ? WHERE id = ?", updates)
        last_id = rows[-1][0]
    conn.execute("CREATE UNIQUE INDEX exchanges_content_hash ON exchanges (content_hash)")


MIGRATIONS: list[Migration] = [
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
    # Provenance: which recorder (a chosen name, never a credential) on which host wrote
    # each record, for stores that several recorders share or that were merged.
    """
    ALTER TABLE exchanges ADD COLUMN recorder TEXT NOT NULL DEFAULT '';
    ALTER TABLE exchanges ADD COLUMN recorder_host TEXT NOT NULL DEFAULT '';
    """,
    # Content hashes (rows.row_hash): a record already stored is skipped on insert, so
    # importing a file twice stores it once. The one index a recording writes besides
    # the table: 16 bytes per record.
    """
    ALTER TABLE exchanges ADD COLUMN content_hash BLOB;
    """,
    fill_content_hashes,
]
SCHEMA_VERSION = len(MIGRATIONS)
# Columns later migrations added, as old stores read without them.
READ_DEFAULTS = {"session": "''", "recorder": "''", "recorder_host": "''"}


def run_migration(conn: Connection, migration: Migration,
                  translate: Callable[[str], str] = str) -> None:
    """One migration's statements (or function) on a connection already in a transaction."""
    if not isinstance(migration, str):
        migration(conn)
        return
    for statement in migration.split(";"):
        if statement.strip():
            conn.execute(translate(statement))


def tables(conn: Connection) -> set[str]:
    """The tables of a store (PostgreSQL: in the connection's schema)."""
    if isinstance(conn, postgres.PgConnection):
        rows = conn.execute("SELECT table_name FROM information_schema.tables "
                            "WHERE table_schema = current_schema()").fetchall()
    else:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {str(name) for (name,) in rows}


def columns(conn: Connection, table: str) -> set[str]:
    if isinstance(conn, postgres.PgConnection):
        rows = conn.execute("SELECT column_name FROM information_schema.columns "
                            "WHERE table_schema = current_schema() AND table_name = ?",
                            (table,)).fetchall()
        return {str(name) for (name,) in rows}
    return {str(row[1]) for row in conn.execute(f"PRAGMA table_info({table})").fetchall()}


def select_list(present: set[str]) -> str:
    """`id, READ_COLUMNS` as a store of any schema version can answer it; ValueError
    naming a column that no version lacked."""
    chosen = []
    for name in READ_COLUMNS:
        if name in present:
            chosen.append(name)
        elif name in READ_DEFAULTS:
            chosen.append(f"{READ_DEFAULTS[name]} AS {name}")
        else:
            raise ValueError(f"column {name} is missing")
    return "id, " + ", ".join(chosen)
