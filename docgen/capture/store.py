"""The capture store: one SQLite file in WAL mode, readable while the proxy writes, or
a PostgreSQL database shared by several recorders (`postgresql://USER@HOST[:PORT]/DB`,
docgen.capture.postgres). `connect` is the one place a store location is opened.

The schema and its migrations are in `schema`, rows and their content hashes in `rows`.
Writers open a store read-write (created and migrated as needed); a record already there
(same content hash) is skipped. Readers open it read-only and never create or change a
file: a missing, empty or foreign store is a one-line WsdocError, an old schema is read
as it is, and a row that does not decode says which table is corrupt.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from docgen.capture import postgres
from docgen.capture.files import discard_if_empty, has_sidecars, open_readonly, tidy_sidecars
from docgen.capture.record import Exchange
from docgen.capture.rows import (
    COLUMNS,
    HASH,
    INSERT_SQL,
    CorruptRow,
    from_row,
    to_row,
    with_provenance,
)
from docgen.capture.schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Connection,
    columns,
    run_migration,
    select_list,
    tables,
)
from docgen.errors import WsdocError

# A new store's page size. SQLite's default 4 KB made a 10,000-flow import write its WAL
# and checkpoint in 5,921 calls and an OpenAPI build read it in 5,083; 16 KB pages take a
# quarter of those (strace). An existing store keeps the size it was made with.
PAGE_SIZE = 16 * 1024
WAL_BYTES = 16 << 20  # WAL written between automatic checkpoints, whatever the page size


def _unchanged(value: Any) -> Any:
    return value


# sqlite3 asks for an adapter for every bytes and None it binds (bodies, hashes, NULLs)
# and, finding none registered, looks up `__adapt__` on its protocol type, which formats
# an AttributeError message and discards it: an inserted row took 51 k instructions, 44 k
# with these identity adapters (callgrind). They answer at the first lookup and bind the
# very same values, for every user of sqlite3 in the process.
sqlite3.register_adapter(bytes, _unchanged)
sqlite3.register_adapter(type(None), _unchanged)

# Where the other modules import them from, as before the split into rows and schema.
__all__ = ["COLUMNS", "INSERT_SQL", "MIGRATIONS", "SCHEMA_VERSION", "Connection",
           "discard_if_empty", "to_row", "with_provenance"]


def location_of(path: str | Path) -> str | Path:
    """A store location as given: a PostgreSQL URL stays a string (Path would fold its
    `//`), anything else is a file path."""
    return path if postgres.is_postgres(path) else Path(path)


def connect(
    path: str | Path, readonly: bool = False, synchronous: str = "NORMAL"
) -> Connection:
    """Open (and, unless read-only, create and migrate) a store; WsdocError if unusable."""
    if postgres.is_postgres(path):
        return postgres.connect(str(path), readonly, MIGRATIONS)
    target = Path(path)
    try:
        if readonly:
            conn = open_readonly(target)
        else:
            conn = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
            conn.execute(f"PRAGMA page_size={PAGE_SIZE}")  # before WAL: only a new file takes it
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={synchronous}")
            # Checkpoint less often: small group commits rewrite the same last pages,
            # and a bigger WAL lets a checkpoint write each of them to the file once.
            page = int(conn.execute("PRAGMA page_size").fetchone()[0])
            conn.execute(f"PRAGMA wal_autocheckpoint={WAL_BYTES // page}")
            migrate(conn)
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise WsdocError(f"cannot use store {target}: {exc}") from exc
    return conn


@contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
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


def insert_violations(conn: Connection, rows: Iterable[tuple[int, str, str, str]]
                      ) -> None:
    """Contract violations (exchange id, kind, endpoint, detail) found while recording."""
    conn.executemany(
        "INSERT INTO violations (exchange_id, kind, endpoint, detail) VALUES (?, ?, ?, ?)",
        rows)


def insert_rows(conn: Connection, rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert rows (from `to_row`) inside the caller's transaction, skipping those whose
    content is already stored; how many were inserted."""
    if isinstance(conn, postgres.PgConnection):
        return conn.executemany(INSERT_SQL, rows)
    before = conn.total_changes
    conn.executemany(INSERT_SQL, rows)
    return conn.total_changes - before


def insert_exchanges(conn: Connection, rows: list[tuple[Any, ...]]) -> list[int]:
    """Insert rows inside the caller's transaction and return their ids in order (for a
    record already stored, the stored one's id), found by content hash: one indexed query
    per 500 rows, whichever engine and however concurrent recorders interleave ids."""
    insert_rows(conn, rows)
    hashes = [bytes(row[HASH]) for row in rows]
    ids: dict[bytes, int] = {}
    for start in range(0, len(hashes), 500):
        chunk = hashes[start:start + 500]
        found = conn.execute("SELECT content_hash, id FROM exchanges WHERE content_hash IN "
                             f"({', '.join('?' * len(chunk))})", chunk).fetchall()
        ids.update((bytes(digest), int(ident)) for digest, ident in found)
    return [ids[digest] for digest in hashes]


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
            run_migration(conn, MIGRATIONS[number])
            conn.execute(f"PRAGMA user_version={number + 1}")


class Store:
    """A capture store for reading and batch appends (the proxy uses `StoreWriter`).
    Read-only, it must hold exchanges (else WsdocError), unless `allow_empty`."""

    def __init__(self, path: str | Path, readonly: bool = False,
                 allow_empty: bool = False) -> None:
        self.path = location_of(path)
        self.tidy = (readonly and isinstance(self.path, Path) and self.path.is_file()
                     and not has_sidecars(self.path))
        try:
            self.conn = connect(self.path, readonly=readonly)
        except BaseException:
            self._tidy()
            raise
        try:
            self.select = self._select_list()
            if readonly and not allow_empty:
                self._require_exchanges()
        except BaseException:
            self.close()
            raise

    def _select_list(self) -> str:
        present = tables(self.conn)
        if "exchanges" not in present:
            what = "is empty (no tables)" if not present else "is not a wsdoc store"
            raise WsdocError(f"store {self.path} {what}: no exchanges table")
        self.has_violations = "violations" in present
        try:
            return select_list(columns(self.conn, "exchanges"))
        except ValueError as exc:
            raise WsdocError(f"store {self.path} is not a wsdoc store: {exc}") from None

    def _require_exchanges(self) -> None:
        if self.conn.execute("SELECT 1 FROM exchanges LIMIT 1").fetchone() is None:
            raise WsdocError(f"store {self.path} is empty (no exchanges)")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()
        self._tidy()

    def _tidy(self) -> None:
        if self.tidy and isinstance(self.path, Path):
            tidy_sidecars(self.path)

    def append(self, exchanges: Iterable[Exchange]) -> int:
        """Insert exchanges in one transaction; how many were not already stored."""
        return self.append_rows([to_row(ex) for ex in exchanges])

    def append_rows(self, rows: Iterable[tuple[Any, ...]]) -> int:
        """Insert rows made by `to_row` (e.g. in import worker processes) in one
        transaction; how many were not already stored."""
        with transaction(self.conn):
            return insert_rows(self.conn, rows)

    def count(self, upto: int | None = None) -> int:
        """How many exchanges (with ids up to `upto`)."""
        if upto is None:
            return int(self.conn.execute("SELECT count(*) FROM exchanges").fetchone()[0])
        return int(self.conn.execute("SELECT count(*) FROM exchanges WHERE id <= ?",
                                     (upto,)).fetchone()[0])

    def _decode(self, row: Any) -> Exchange:
        try:
            return from_row(row)
        except CorruptRow as exc:
            raise WsdocError(f"store {self.path} is corrupt: table exchanges, record "
                             f"{row[0]!r}: {exc}") from None

    def last_id(self) -> int:
        """The highest exchange id (0 when empty): `exchanges(upto=...)` reads the same
        rows again while recorders go on appending."""
        found = self.conn.execute("SELECT max(id) FROM exchanges").fetchone()[0]
        return int(found or 0)

    def exchanges(self, batch: int = 500, upto: int | None = None) -> Iterator[Exchange]:
        """Every exchange in id order (up to id `upto`), fetched in batches so memory
        stays flat."""
        last_id = 0
        limit = (1 << 63) - 1 if upto is None else upto
        while True:
            rows = self.conn.execute(
                f"SELECT {self.select} FROM exchanges WHERE id > ? AND id <= ? ORDER BY id "
                "LIMIT ?", (last_id, limit, batch),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield self._decode(row)
            last_id = rows[-1][0]

    def exchanges_with_ids(self, ids: Sequence[int]) -> list[Exchange]:
        """The exchanges with these ids (at most 500; increasing), in that order; WsdocError
        when one is missing."""
        if not ids:
            return []
        rows = self.conn.execute(
            f"SELECT {self.select} FROM exchanges WHERE id IN ({', '.join('?' * len(ids))}) "
            "ORDER BY id", tuple(ids)).fetchall()
        if [row[0] for row in rows] != list(ids):
            raise WsdocError(f"store {self.path} changed while it was read: exchanges "
                             f"{ids[0]}..{ids[-1]} are not all there")
        return [self._decode(row) for row in rows]

    def get(self, ident: int) -> Exchange | None:
        row = self.conn.execute(
            f"SELECT {self.select} FROM exchanges WHERE id = ?", (ident,)
        ).fetchone()
        return self._decode(row) if row else None

    def violations(self) -> Iterator[tuple[Exchange, str, str, str]]:
        """Contract violations the recorder found live: (exchange, kind, endpoint, detail),
        in the order they were recorded."""
        if not self.has_violations:  # a store from before live checks
            return
        rows = self.conn.execute(
            "SELECT exchange_id, kind, endpoint, detail FROM violations ORDER BY id").fetchall()
        for row in rows:
            if not all(map(isinstance, row, (int, str, str, str))):
                raise WsdocError(f"store {self.path} is corrupt: table violations, row "
                                 f"{tuple(row)!r:.80}")
            exchange = self.get(row[0])
            if exchange is not None:
                yield exchange, row[1], row[2], row[3]

    def integrity(self) -> str:
        """SQLite's own check; a PostgreSQL server keeps its files consistent itself."""
        if isinstance(self.conn, postgres.PgConnection):
            return "ok"
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])
