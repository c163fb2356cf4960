"""Every command that names a store, run by the real `wsdoc` executable on a PostgreSQL
store, against the same commands on a SQLite store made from the same capture."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from docgen.capture.store import Store
from tests.support.recorded_session import RecordedSession, record_session

pytestmark = pytest.mark.slow  # a real curl session through a real recorder first
WSDOC = str(Path(sys.executable).parent / "wsdoc")


def wsdoc(*args: str, ok: bool = True) -> str:
    done = subprocess.run([WSDOC, *args], capture_output=True, text=True, timeout=300)
    if ok:
        assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RecordedSession]:
    yield record_session(tmp_path_factory.mktemp("pg-session"), users=2)


@pytest.fixture
def both(session: RecordedSession, pg_url: str, tmp_path: Path) -> tuple[str, str]:
    """The session's flow file imported into a SQLite store and a PostgreSQL store."""
    sqlite_store = str(tmp_path / "same.sqlite")
    for store in (sqlite_store, pg_url):
        out = wsdoc("import", str(session.flows), "--store", store,
                    "--recorder", "ci-job", "--recorder-host", "runner-1")
        assert "(flows)" in out
    return sqlite_store, pg_url


def test_openapi_is_byte_for_byte_the_same_from_either_engine(
        both: tuple[str, str], tmp_path: Path) -> None:
    outputs = []
    for number, store in enumerate(both):
        target = tmp_path / f"api{number}.json"
        wsdoc("openapi", "--store", store, "-o", str(target))
        outputs.append(target.read_bytes())
    assert b"/api/v2/me/devices/{deviceId}" in outputs[0]
    assert outputs[1] == outputs[0]
    assert wsdoc("endpoints", "--store", both[1]) == wsdoc("endpoints", "--store", both[0])


def test_check_diff_and_build_read_a_postgresql_store(both: tuple[str, str],
                                                      tmp_path: Path) -> None:
    sqlite_store, pg_store = both
    contract = tmp_path / "contract.json"
    wsdoc("openapi", "--store", sqlite_store, "-o", str(contract))
    checked = [wsdoc("check", "--against", str(contract), "--store", store, ok=False)
               for store in both]
    assert "exchanges in" in checked[0]
    assert checked[1].replace(pg_store.rsplit("/", 1)[-1], "same.sqlite") == checked[0]
    assert wsdoc("diff", sqlite_store, pg_store).rstrip().endswith("no changes")
    out = tmp_path / "site"
    wsdoc("build", "--store", pg_store, "--out", str(out))
    home = (out / "docs" / "index.md").read_text()
    with Store(pg_store, readonly=True) as store:
        count = store.count()
    assert f"**Recorded by:** ci-job@runner-1 ({count} exchanges)" in home
    assert (out / "public" / "index.html").is_file()


def test_record_refuses_a_password_in_the_url_and_an_unreachable_server(
        pg_url: str) -> None:
    secret = pg_url.replace("wsdoc@", "wsdoc:hunter2@")
    out = wsdoc("endpoints", "--store", secret, ok=False)
    assert "must not carry a password" in out and "hunter2" not in out
    assert "Traceback" not in out
    out = wsdoc("record", "--upstream", "http://127.0.0.1:9", "--listen-port", "0",
                "--store", "postgresql://wsdoc@127.0.0.1:1/none", ok=False)
    assert "cannot use store postgresql://wsdoc@127.0.0.1:1/none" in out
    assert "Traceback" not in out and len(out.strip().splitlines()) == 1
