"""What commands do to store files: importing twice stores each exchange once, reading
never creates or changes a file, and a missing, empty, or corrupt store or a failed import
is one line and exit 2, leaving nothing behind."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from docgen.capture.store import Store
from docgen.capture.synthetic import synthetic_traffic
from docgen.cli import main
from tests.support.har import write_har
from tests.support.recorded_site import WSDOC
from tests.support.store_files import listing, make_store


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_importing_the_same_file_twice_stores_it_once(tmp_path: Path) -> None:
    har = write_har(tmp_path / "session.har", list(synthetic_traffic(100)))
    bigger = write_har(tmp_path / "more.har", list(synthetic_traffic(150)))
    store = str(tmp_path / "s.sqlite")
    outputs = []
    for source in (har, har, bigger):
        done = subprocess.run([WSDOC, "import", str(source), "--store", store],
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout.splitlines()[0])
    assert outputs[0] == f"imported 100 exchanges from {har} (har) into {store}"
    assert outputs[1] == (f"imported 0 exchanges from {har} (har) into {store}; "
                          "skipped 100 duplicates already in the store")
    assert outputs[2].startswith("imported 50 exchanges") and "skipped 100 dup" in outputs[2]
    with Store(store, readonly=True) as opened:
        assert opened.count() == 150


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with a store of 200 exchanges (closed: no -wal or -shm) and a contract."""
    work = tmp_path / "work"
    work.mkdir()
    with Store(work / "s.sqlite") as opened:
        opened.append(list(synthetic_traffic(200)))
    contract = tmp_path / "api.json"
    assert run("openapi", "--store", str(work / "s.sqlite"), "-o", str(contract)).exit_code == 0
    return work


READERS = [
    ["endpoints", "--store", "{store}"],
    ["explain-path", "/api/v2/me", "--store", "{store}"],
    ["openapi", "--store", "{store}", "-o", "{out}/api.json"],
    ["check", "--against", "{contract}", "--store", "{store}"],
    ["check", "--live", "--store", "{store}"],
    ["diff", "{store}", "{store}"],
    ["diff", "{contract}", "{store}"],
]


def fill(args: list[str], store: Path, tmp_path: Path) -> list[str]:
    return [a.format(store=store, out=tmp_path, contract=tmp_path / "api.json") for a in args]


@pytest.mark.parametrize("args", READERS, ids=lambda args: "-".join(args[:2]))
def test_reading_commands_leave_the_store_folder_as_it_was(folder: Path, tmp_path: Path,
                                                          args: list[str]) -> None:
    before = listing(folder)
    result = run(*fill(args, folder / "s.sqlite", tmp_path))
    assert result.exit_code in (0, 1), result.output  # check: 1 is drift
    assert listing(folder) == before


def test_build_leaves_the_store_folder_as_it_was(folder: Path, tmp_path: Path) -> None:
    before = listing(folder)
    result = run("build", "--store", str(folder / "s.sqlite"), "--out", str(tmp_path / "site"),
                 "--changes-since", str(folder / "s.sqlite"))
    assert result.exit_code == 0, result.output
    assert listing(folder) == before


def test_reading_an_old_store_does_not_upgrade_it(folder: Path, tmp_path: Path) -> None:
    conn = sqlite3.connect(folder / "s.sqlite")
    conn.execute("PRAGMA user_version=5")  # as wsdoc before content hashes wrote it
    conn.commit()
    conn.close()
    before = listing(folder)
    result = run("endpoints", "--store", str(folder / "s.sqlite"))
    assert result.exit_code == 0, result.output
    assert "from 200 exchanges" in result.output
    assert listing(folder) == before


@pytest.mark.parametrize("kind, message", [
    ("missing", "no store at"),
    ("zero bytes", "is empty (0 bytes)"),
    ("no tables", "is empty (no tables)"),
    ("no exchanges", "is empty (no exchanges)"),
    ("garbage json", "is corrupt: table exchanges"),
    ("wrong type", "is corrupt: table exchanges"),
])
@pytest.mark.parametrize("args", [*READERS, ["build", "--store", "{store}", "--out",
                                             "{out}/site"]],
                         ids=lambda args: "-".join(args[:2]))
def test_unusable_stores_are_one_line_and_exit_2(tmp_path: Path, kind: str, message: str,
                                                 args: list[str]) -> None:
    store = tmp_path / "store" / "s.sqlite"
    store.parent.mkdir()
    make_store(store, kind)
    (tmp_path / "api.json").write_text(
        '{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}')
    before = listing(store.parent)
    result = run(*fill(args, store, tmp_path))
    if args[0] == "check" and "--live" in args and kind in ("garbage json", "wrong type"):
        assert result.exit_code == 0, result.output  # reads only the (empty) violations
        return
    if args[0] == "diff" and kind in ("missing", "zero bytes"):
        # A diff side is a store or an OpenAPI file; an empty file could be either.
        message = "no such file" if kind == "missing" else "not an OpenAPI document"
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert listing(store.parent) == before


@pytest.mark.parametrize("content", [b"", b"{\"log\": {\"entries\": 5}}", b"{not json",
                                     b"12:not a flow,"])
def test_a_failed_import_leaves_no_store_behind(tmp_path: Path, content: bytes) -> None:
    source = tmp_path / "input.har"
    source.write_bytes(content)
    store = tmp_path / "store"
    store.mkdir()
    result = run("import", str(source), "--store", str(store / "new.sqlite"))
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert list(store.iterdir()) == []


def test_a_failed_import_keeps_an_existing_store(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    Store(store).close()
    (tmp_path / "bad.har").write_text("{not json")
    assert run("import", str(tmp_path / "bad.har"), "--store", str(store)).exit_code == 2
    assert store.is_file()
