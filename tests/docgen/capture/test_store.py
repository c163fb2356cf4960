from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from docgen.capture.merge import content_hash
from docgen.capture.record import Body, Exchange
from docgen.capture.store import (
    COLUMNS,
    PAGE_SIZE,
    SCHEMA_VERSION,
    WAL_BYTES,
    Store,
    to_row,
    transaction,
)
from docgen.errors import WsdocError
from tests.support.store_files import listing, make_store


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


def old_store(path: Path, version: int, exchanges: list[Exchange]) -> Path:
    """A store as wsdoc wrote it at schema `version`, holding `exchanges` (their columns
    of that version)."""
    from docgen.capture.store import MIGRATIONS

    if version == SCHEMA_VERSION:
        with Store(path) as store:
            store.append(exchanges)
        return path
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    for migration in MIGRATIONS[:version]:
        assert isinstance(migration, str)
        conn.executescript(migration)
    known = [name for _, name, *_ in conn.execute("PRAGMA table_info(exchanges)")][1:]
    for exchange in exchanges:
        row = dict(zip(COLUMNS.split(", "), to_row(exchange), strict=False))
        conn.execute(f"INSERT INTO exchanges ({', '.join(known)}) VALUES "
                     f"({', '.join('?' * len(known))})", [row[name] for name in known])
    conn.execute(f"PRAGMA user_version={version}")
    conn.close()
    return path


def test_migration_fills_content_hashes_and_keeps_old_duplicates(tmp_path: Path) -> None:
    """A v5 store (before content hashes) that already holds a doubled import upgrades:
    every record gets its hash, a second copy keeps none (the unique index allows it),
    and nothing is deleted."""
    path = old_store(tmp_path / "v5.sqlite", 5, [sample(0), sample(1), sample(0)])
    with Store(path) as store:
        hashes = store.conn.execute(
            "SELECT content_hash FROM exchanges ORDER BY id").fetchall()
        indexes = store.conn.execute("PRAGMA index_list(exchanges)").fetchall()
        assert store.count() == 3
    assert [h for (h,) in hashes] == [content_hash(sample(0)), content_hash(sample(1)), None]
    assert any(unique for _, name, unique, *_ in indexes if name == "exchanges_content_hash")


def test_appends_skip_records_already_in_the_store(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        assert store.append_rows([to_row(sample(i)) for i in range(10)]) == 10
        again = [to_row(sample(i)) for i in range(5, 15)]
        assert store.append_rows(again) == 5  # 5..9 were there
        store.append([sample(0), sample(20)])
        assert store.count() == 16
        stored = store.conn.execute("SELECT content_hash FROM exchanges").fetchall()
    assert {h for (h,) in stored} == {content_hash(sample(i)) for i in [*range(15), 20]}


def test_recorder_writes_the_content_hash(tmp_path: Path) -> None:
    from docgen.capture.writer import StoreWriter

    writer = StoreWriter(tmp_path / "w.sqlite", sample)
    for index in (1, 2, 1):  # the same flow twice: stored once, both acknowledged
        writer.submit(index)
    writer.close()
    with Store(tmp_path / "w.sqlite") as store:
        stored = store.conn.execute("SELECT content_hash FROM exchanges ORDER BY id").fetchall()
    assert [h for (h,) in stored] == [content_hash(sample(1)), content_hash(sample(2))]


@pytest.mark.parametrize("version", [1, 3, 5, SCHEMA_VERSION])
def test_readers_never_create_or_change_a_file(tmp_path: Path, version: int) -> None:
    """A reader of a closed store, old or current, leaves the folder byte for byte as it
    was: no upgrade in place, no -wal or -shm left behind."""
    path = old_store(tmp_path / "s.sqlite", version, [sample(0), sample(1)])
    before = listing(tmp_path)
    with Store(path, readonly=True) as reader:
        assert [ex.path for ex in reader.exchanges()] == ["/p/0", "/p/1"]
        assert list(reader.violations()) == []
    assert listing(tmp_path) == before


@pytest.mark.parametrize("kind, message", [
    ("missing", "no store at"),
    ("zero bytes", "is empty (0 bytes)"),
    ("no tables", "is empty (no tables)"),
    ("no exchanges", "is empty (no exchanges)"),
    ("other", "not a wsdoc store"),
])
def test_readers_refuse_missing_and_empty_stores(tmp_path: Path, kind: str,
                                                 message: str) -> None:
    path = tmp_path / "s.sqlite"
    make_store(path, kind)
    before = listing(tmp_path)
    with pytest.raises(WsdocError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Store(path, readonly=True)
    assert listing(tmp_path) == before


@pytest.mark.parametrize("column, value, table", [
    ("request_headers", "not json", "exchanges"),
    ("query", '{"a": 1}', "exchanges"),
    ("port", "eighty", "exchanges"),
    ("started", "yesterday", "exchanges"),
    ("resp_body", 12, "exchanges"),
    ("violations", None, "violations"),
])
def test_rows_that_do_not_decode_name_the_table(tmp_path: Path, column: str, value: object,
                                                table: str) -> None:
    path = tmp_path / "s.sqlite"
    with Store(path) as store:
        store.append([sample(0), sample(1)])
        with transaction(store.conn):
            if table == "violations":
                store.conn.execute("INSERT INTO violations (exchange_id, kind, endpoint, "
                                   "detail) VALUES ('one', 2, 3, 4)")
            else:
                store.conn.execute(f"UPDATE exchanges SET {column} = ? WHERE id = 2", (value,))
    with Store(path, readonly=True) as reader, pytest.raises(WsdocError) as raised:
        list(reader.exchanges())
        list(reader.violations())
    text = str(raised.value)
    assert "corrupt" in text and f"table {table}" in text and "\n" not in text


def test_a_reader_that_closes_while_a_writer_works_removes_nothing_it_uses(
        tmp_path: Path) -> None:
    """The reader found no -wal, so it tidies on close; a recorder that started meanwhile
    keeps its files and loses nothing."""
    path = old_store(tmp_path / "s.sqlite", SCHEMA_VERSION, [sample(0)])
    reader = Store(path, readonly=True)
    with Store(path) as writer:
        writer.append([sample(1)])
        reader.close()
        assert Path(f"{path}-wal").exists()
        writer.append([sample(2)])
        assert writer.count() == 3
    with Store(path, readonly=True) as again:
        assert [ex.path for ex in again.exchanges()] == ["/p/0", "/p/1", "/p/2"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.sqlite"]


def test_a_new_store_has_large_pages_and_an_old_one_keeps_its_own(tmp_path: Path) -> None:
    with Store(tmp_path / "new.sqlite") as new:
        new.append([sample(0)])
        assert new.conn.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE
        assert new.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == \
            WAL_BYTES // PAGE_SIZE
    old = tmp_path / "old.sqlite"
    conn = sqlite3.connect(old)  # SQLite's default pages, as stores were made before
    conn.execute("PRAGMA page_size=4096")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    with Store(old) as reopened:
        reopened.append([sample(1)])
        assert reopened.conn.execute("PRAGMA page_size").fetchone()[0] == 4096
        assert reopened.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == \
            WAL_BYTES // 4096
        assert [ex.path for ex in reopened.exchanges()] == ["/p/1"]


def test_bytes_and_none_bind_through_identity_adapters_as_blob_and_null(
        tmp_path: Path) -> None:
    # Registered by the store module so sqlite3 skips its failing __adapt__ lookup per
    # value; what is stored must not change: BLOB for bytes, NULL for None.
    for kind in (bytes, type(None)):
        adapter = sqlite3.adapters[(kind, sqlite3.PrepareProtocol)]
        value = b"\x00body" if kind is bytes else None
        assert adapter(value) is value
    with Store(tmp_path / "s.sqlite") as store:
        store.append([sample(1)])
        stored = store.conn.execute(
            "SELECT typeof(req_body), typeof(resp_body), typeof(content_hash), typeof(error) "
            "FROM exchanges").fetchone()
    assert stored == ("null", "blob", "blob", "null")
