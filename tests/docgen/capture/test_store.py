from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from docgen.capture.record import Body, Exchange
from docgen.capture.store import SCHEMA_VERSION, Store
from docgen.errors import WsdocError


def sample(index: int) -> Exchange:
    return Exchange(method="GET", scheme="http", host="h", port=8090, path=f"/p/{index}",
                    query=[("a", "1"), ("a", "2")], request_headers=[("X", "y")],
                    status=200, response_body=Body(b"\xff\xfe\x00bin", "application/octet-stream",
                                                   size=6))


def test_round_trip_keeps_bytes_and_repeats(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        store.append(sample(i) for i in range(1200))
        assert store.count() == 1200
        read = list(store.exchanges(batch=100))
    assert [ex.path for ex in read] == [f"/p/{i}" for i in range(1200)]
    assert read[0].query == [("a", "1"), ("a", "2")]
    assert read[0].response_body.content == b"\xff\xfe\x00bin"
    assert read[0].id == 1


def test_wal_mode_version_and_readers_during_writes(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with Store(path) as writer:
        writer.append([sample(0)])
        with Store(path, readonly=True) as reader:
            assert reader.count() == 1
            writer.append([sample(1)])
            assert reader.count() == 2
        mode = writer.conn.execute("PRAGMA journal_mode").fetchone()[0]
        version = writer.conn.execute("PRAGMA user_version").fetchone()[0]
    assert (mode, version) == ("wal", SCHEMA_VERSION)


def test_migrates_an_old_store(tmp_path: Path) -> None:
    from docgen.capture.store import MIGRATIONS

    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0] + "; PRAGMA user_version=1;")
    conn.close()
    with Store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.conn.execute("SELECT count(*) FROM violations").fetchone()[0] == 0


def test_unusable_files_raise_wsdoc_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(WsdocError):
        Store(junk)
    with pytest.raises(WsdocError):
        Store(tmp_path / "missing.sqlite", readonly=True)
    with pytest.raises(WsdocError):
        Store(tmp_path / "no" / "dir" / "s.sqlite")


def test_readers_upgrade_an_old_store_in_place(tmp_path: Path) -> None:
    from docgen.capture.store import MIGRATIONS

    path = tmp_path / "v2.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0] + MIGRATIONS[1] + "; PRAGMA user_version=2;")
    conn.close()
    with Store(path, readonly=True) as reader:
        assert reader.count() == 0
        assert reader.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
