"""A SQLite store's files: opening one read-only without leaving anything beside it, and
removing one that a failed import created.

SQLite gives every reader of a WAL-mode file a `-wal` and a `-shm` beside it, and lets
only a read-write connection remove them; wsdoc's readers must leave a store's folder as
they found it, so `tidy_sidecars` lets SQLite remove the empty ones they caused.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from docgen.capture import postgres
from docgen.capture.schema import SCHEMA_VERSION
from docgen.errors import WsdocError

SIDECARS = ("-wal", "-shm", "-journal")


def open_readonly(target: Path) -> sqlite3.Connection:
    """A read-only connection to an existing, non-empty file of a schema we can read."""
    if not target.is_file():
        raise WsdocError(f"no store at {target}")
    if target.stat().st_size == 0:
        raise WsdocError(f"store {target} is empty (0 bytes)")
    conn = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True,
                           check_same_thread=False)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        conn.close()
        raise WsdocError(f"store schema v{version} is newer than this wsdoc (v{SCHEMA_VERSION})")
    return conn


def has_sidecars(target: Path) -> bool:
    return any(Path(f"{target}{suffix}").exists() for suffix in SIDECARS)


def tidy_sidecars(target: Path) -> None:
    """Remove the empty -wal and -shm a read-only connection leaves beside a store that had
    none. Closing a read-write connection (after a read, which opens the WAL) does that
    under SQLite's own locks, so not while a recorder uses them; an empty WAL means the
    store file itself is not written."""
    wal = Path(f"{target}-wal")
    if not wal.exists() or wal.stat().st_size:
        return
    try:
        conn = sqlite3.connect(f"{target.resolve().as_uri()}?mode=rw", uri=True)
        try:
            conn.execute("PRAGMA user_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:  # e.g. a read-only folder: nothing to tidy that we could
        pass


def discard_if_empty(path: str | Path) -> None:
    """Delete a SQLite store that holds no exchanges (one a failed import just created)."""
    if postgres.is_postgres(path) or not Path(path).is_file():
        return
    target = Path(path)
    try:
        conn = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True)
        try:
            held = conn.execute("SELECT 1 FROM exchanges LIMIT 1").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        held = None
    if held is None:
        for name in (str(target), *(f"{target}{suffix}" for suffix in SIDECARS)):
            Path(name).unlink(missing_ok=True)
