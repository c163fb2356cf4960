"""Store files as users meet them (missing, empty, not ours, corrupt) and a folder's listing,
shared by the store tests and the CLI tests that check nothing is created or changed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from docgen.capture.store import Store
from docgen.capture.synthetic import synthetic_traffic

Listing = dict[str, tuple[bytes, int]]


def listing(folder: Path) -> Listing:
    """Every file under `folder` with its bytes and modification time."""
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.close()


def make_store(path: Path, kind: str) -> None:
    """A store file of one kind: missing, zero bytes, no tables, no exchanges, other (a
    SQLite file of someone else's), garbage json or wrong type (a row that won't decode)."""
    if kind == "zero bytes":
        path.write_bytes(b"")
    elif kind == "no tables":
        _sql(path, "CREATE TABLE gone (x)", "DROP TABLE gone")
    elif kind == "no exchanges":
        Store(path).close()
    elif kind == "other":
        _sql(path, "CREATE TABLE notes (x)")
    elif kind in ("garbage json", "wrong type"):
        change = ("response_headers = '[[1' WHERE id = 7" if kind == "garbage json"
                  else "status = 'OK' WHERE id = 3")
        with Store(path) as opened:
            opened.append(list(synthetic_traffic(20)))
            opened.conn.execute(f"UPDATE exchanges SET {change}")
    elif kind != "missing":
        raise ValueError(kind)
