"""`wsdoc merge`: three stores, two of them overlapping, into SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.capture.merge import content_hash, merge_stores
from docgen.capture.provenance import stamp
from docgen.capture.store import Store, insert_violations, transaction
from docgen.capture.synthetic import synthetic_traffic
from docgen.cli import main
from docgen.errors import WsdocError

TRAFFIC = list(synthetic_traffic(2000, seed=11))


def make_store(path: Path, first: int, last: int, recorder: str) -> str:
    """Records first..last-1 of TRAFFIC, by `recorder`; a violation on the first one."""
    with Store(path) as store:
        store.append(stamp((TRAFFIC[i] for i in range(first, last)), recorder, "box"))
        with transaction(store.conn):
            insert_violations(store.conn, [(1, "status", "GET /x", f"from {recorder}")])
    return str(path)


@pytest.fixture
def sources(tmp_path: Path) -> list[str]:
    assert len({content_hash(ex) for ex in TRAFFIC}) == len(TRAFFIC)  # all distinct
    return [make_store(tmp_path / "a.sqlite", 0, 1000, "alice"),
            make_store(tmp_path / "b.sqlite", 500, 1500, "bob"),  # overlaps a on 500..999
            make_store(tmp_path / "c.sqlite", 1500, 2000, "carol")]


def check_union(target: str) -> None:
    with Store(target, readonly=True) as merged:
        records = list(merged.exchanges())
        notes = [(ex.recorder, detail) for ex, _, _, detail in merged.violations()]
    assert len(records) == 2000
    assert {content_hash(ex) for ex in records} == {content_hash(ex) for ex in TRAFFIC}
    by_recorder = {name: sum(ex.recorder == name for ex in records)
                   for name in ("alice", "bob", "carol")}
    assert by_recorder == {"alice": 1000, "bob": 500, "carol": 500}  # first copy kept
    assert all(ex.recorder_host == "box" for ex in records)
    # b's first record duplicates one of a's, so only a's and c's violations come along.
    assert sorted(notes) == [("alice", "from alice"), ("carol", "from carol")]


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_merge_of_three_stores_is_their_union_without_duplicates(
        engine: str, sources: list[str], tmp_path: Path, request: pytest.FixtureRequest) -> None:
    target = (request.getfixturevalue("pg_url") if engine == "postgresql"
              else str(tmp_path / "team.sqlite"))
    result = CliRunner().invoke(main, ["merge", *sources, "-o", target])
    assert result.exit_code == 0, result.output
    assert "b.sqlite: 1000 read, 500 added, 500 duplicates skipped" in result.output
    assert f"wrote {target}: 2000 exchanges (0 already there, 2000 added)" in result.output
    check_union(target)
    again = merge_stores(sources, target)  # merging again adds nothing
    assert (again.already, again.added) == (2000, 0)
    check_union(target)


def test_merge_refuses_its_target_as_a_source_and_missing_sources(
        sources: list[str], tmp_path: Path) -> None:
    with pytest.raises(WsdocError, match="also a source"):
        merge_stores(sources, sources[0])
    result = CliRunner().invoke(main, ["merge", str(tmp_path / "none.sqlite"),
                                       "-o", str(tmp_path / "t.sqlite")])
    assert result.exit_code != 0
    assert "no store at" in result.output and "Traceback" not in result.output
