"""The PostgreSQL store against a real server: same schema, same records, same model."""

from __future__ import annotations

import threading
from pathlib import Path

import psycopg
import pytest

from docgen.capture.importer import import_file
from docgen.capture.postgres import check_location, pg_dialect
from docgen.capture.record import Body, Exchange
from docgen.capture.redact import Redactor
from docgen.capture.rows import HASH, READ_COLUMNS, content_hash, to_row
from docgen.capture.store import MIGRATIONS, SCHEMA_VERSION, Store
from docgen.capture.synthetic import synthetic_traffic
from docgen.capture.writer import StoreWriter
from docgen.errors import WsdocError
from docgen.pipeline import store_openapi
from docgen.publish.openapi import dumps
from tests.docgen.capture.test_store import sample
from tests.support.har import write_har


def test_round_trip_keeps_bytes_floats_repeats_and_provenance(pg_url: str) -> None:
    odd = Exchange(method="POST", scheme="https", host="h", port=443, path="/p",
                   query=[("q", "a\x00b")], reason="O\x00K", started=1712345678.123456789,
                   duration_ms=0.1 + 0.2, request_body=Body(b"\x00\xff", "x/y", size=2),
                   recorder="alice", recorder_host="laptop-1")
    with Store(pg_url) as store:
        store.append([odd, *(sample(i) for i in range(1200))])
        assert store.count() == 1201
        read = list(store.exchanges(batch=100))
    first = read[0]
    assert first.started == odd.started and first.duration_ms == odd.duration_ms
    assert first.query == [("q", "a\x00b")]  # JSON text escapes NUL itself
    assert first.reason == "O\\x00K"  # PostgreSQL text holds no NUL: escaped, not failed
    assert first.request_body.content == b"\x00\xff"
    assert (first.recorder, first.recorder_host) == ("alice", "laptop-1")
    assert [ex.path for ex in read[1:]] == [f"/p/{i}" for i in range(1200)]
    assert read[1].response_body.content == b"\xff\xfe\x00bin"


def test_every_migration_applies_and_the_version_matches_sqlite(pg_url: str) -> None:
    with Store(pg_url) as store:
        version = store.conn.execute("SELECT version FROM wsdoc_schema").fetchone()[0]
        columns = store.conn.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'exchanges'").fetchall()
    assert version == SCHEMA_VERSION == len(MIGRATIONS)
    assert {"recorder", "recorder_host", "session"} <= {name for (name,) in columns}
    assert "DOUBLE PRECISION" in pg_dialect(MIGRATIONS[0])
    assert "BYTEA" in pg_dialect(MIGRATIONS[0]) and "BLOB" not in pg_dialect(MIGRATIONS[0])


def test_an_old_database_is_migrated_once_by_concurrent_openers(pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as raw:
        raw.execute(pg_dialect(MIGRATIONS[0]))
        raw.execute("CREATE TABLE wsdoc_schema (version INTEGER NOT NULL)")
        raw.execute("INSERT INTO wsdoc_schema VALUES (1)")
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            Store(pg_url).close()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    with Store(pg_url, readonly=True, allow_empty=True) as reader:
        assert reader.count() == 0
        rows = reader.conn.execute("SELECT version FROM wsdoc_schema").fetchall()
    assert rows == [(SCHEMA_VERSION,)]


def test_a_newer_schema_is_refused(pg_url: str) -> None:
    Store(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as raw:
        raw.execute("UPDATE wsdoc_schema SET version = version + 1")
    with pytest.raises(WsdocError, match="newer than this wsdoc"):
        Store(pg_url)


def test_bad_locations_are_one_line_errors(pg_server: object) -> None:
    with pytest.raises(WsdocError, match="must not carry a password"):
        check_location("postgresql://u:secret@127.0.0.1/db")
    with pytest.raises(WsdocError, match="needs a host and a database"):
        check_location("postgresql://u@127.0.0.1/")
    with pytest.raises(WsdocError, match="cannot use store"):
        Store("postgresql://wsdoc@127.0.0.1:1/nowhere")


def test_read_only_store_refuses_writes_and_reads_one_snapshot(pg_url: str) -> None:
    with Store(pg_url) as writer:
        writer.append([sample(0)])
        with Store(pg_url, readonly=True) as reader:
            writer.append([sample(1)])
            assert reader.count() == 1  # one REPEATABLE READ snapshot for the whole read
            with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
                reader.append([sample(2)])


def test_writer_stores_violations_beside_the_right_records(pg_url: str) -> None:
    writer = StoreWriter(pg_url, lambda ex: ex, annotate=lambda ex: [("k", ex.path, "d")])
    other = StoreWriter(pg_url, lambda ex: ex)
    for index in range(300):
        other.submit(sample(10_000 + index))
        writer.submit(sample(index))
    writer.close()
    other.close()
    with Store(pg_url, readonly=True) as store:
        found = list(store.violations())
        assert store.count() == 600
    assert len(found) == 300
    assert all(exchange.path == endpoint for exchange, _, endpoint, _ in found)


def test_inference_reads_both_engines_the_same_way(pg_url: str, tmp_path: Path) -> None:
    exchanges = list(synthetic_traffic(1500))
    sqlite_path = tmp_path / "same.sqlite"
    for location in (sqlite_path, pg_url):
        with Store(location) as store:
            store.append(exchanges)
    from_sqlite = dumps(store_openapi(sqlite_path), False)
    from_pg = dumps(store_openapi(pg_url), False)
    assert len(from_sqlite) > 10_000  # a real document, not an empty one
    assert from_pg == from_sqlite


def test_writer_reconnects_when_the_server_drops_its_connection(pg_url: str) -> None:
    committed: list[bool] = []
    first = threading.Event()
    writer = StoreWriter(pg_url, lambda ex: ex)
    writer.submit(sample(0), lambda ok: (committed.append(ok), first.set()))
    assert first.wait(60)
    pid = writer.conn.raw.info.backend_pid
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    writer.submit(sample(1), committed.append)
    writer.close()
    assert committed == [True, True]
    assert writer.failed_batches == 0  # the batch after the drop went to a new connection
    with Store(pg_url, readonly=True) as store:
        assert [ex.path for ex in store.exchanges()] == ["/p/0", "/p/1"]


def test_importing_twice_stores_each_exchange_once(pg_url: str, tmp_path: Path) -> None:
    har = write_har(tmp_path / "s.har", list(synthetic_traffic(120)))
    with Store(pg_url) as store:
        first = import_file(har, store, Redactor())
        second = import_file(har, store, Redactor())  # another run: another session key
        assert store.count() == 120
        assert store.append([sample(0), sample(0), sample(1)]) == 2
    assert (first.imported, first.duplicates) == (120, 0)
    assert (second.imported, second.duplicates) == (0, 120)


def test_readers_neither_create_nor_migrate_a_schema(pg_url: str) -> None:
    with pytest.raises(WsdocError, match=r"is empty \(no tables\)"):
        Store(pg_url, readonly=True)
    with psycopg.connect(pg_url, autocommit=True) as raw:
        assert raw.execute("SELECT count(*) FROM information_schema.tables "
                           "WHERE table_schema = current_schema()").fetchone() == (0,)
        for migration in MIGRATIONS[:5]:
            assert isinstance(migration, str)
            raw.execute(pg_dialect(migration))
        raw.execute("CREATE TABLE wsdoc_schema (version INTEGER NOT NULL)")
        raw.execute("INSERT INTO wsdoc_schema VALUES (5)")
        for index in (0, 1, 0):  # an import done twice before duplicates were skipped
            row = to_row(sample(index))[:HASH]
            raw.execute(f"INSERT INTO exchanges ({', '.join(READ_COLUMNS)}) VALUES "
                        f"({', '.join(['%s'] * len(row))})", row)
    with Store(pg_url, readonly=True) as reader:  # v5 read as it is
        assert [ex.path for ex in reader.exchanges()] == ["/p/0", "/p/1", "/p/0"]
        assert reader.conn.execute("SELECT version FROM wsdoc_schema").fetchone() == (5,)
    with Store(pg_url) as writer:  # a writer migrates: hashes filled, the copy keeps none
        hashes = writer.conn.execute(
            "SELECT content_hash FROM exchanges ORDER BY id").fetchall()
        assert writer.append([sample(1), sample(2)]) == 1
    assert [h and bytes(h) for (h,) in hashes] == [
        content_hash(sample(0)), content_hash(sample(1)), None]
