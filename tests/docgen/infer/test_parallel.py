"""A store's model built on several processes is the model one process builds, byte for byte.

The stores hold synthetic Web Services traffic (operation names), and the real corpus
captures (structural evidence: identity values shared between endpoints). A real recording
with notifications is built both ways in tests/test_notifications_e2e.py."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from docgen.capture.importer import read_har
from docgen.capture.redact import Redactor
from docgen.capture.store import Store
from docgen.capture.synthetic import synthetic_traffic
from docgen.errors import WsdocError
from docgen.infer import parallel, structure
from docgen.infer.builder import ModelBuilder
from docgen.infer.config import Config
from docgen.infer.model import ApiModel
from docgen.infer.parallel import MIN_SPLIT, parts_for, store_model
from docgen.infer.partition import Partition
from docgen.infer.routes import GroupKey
from docgen.publish.openapi import dumps, to_openapi
from docgen.publish.site.pages import SiteOptions, render_site

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
GENERIC = Config(profile_name="generic")


def document(model: ApiModel) -> str:
    return dumps(to_openapi(model), False)


def site_files(model: ApiModel) -> dict[str, str]:
    return render_site(model, SiteOptions(), to_openapi(model), [])


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("split") / "synthetic.sqlite"
    with Store(path) as store:
        store.append(synthetic_traffic(2400, seed=11))
    return path


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("split") / "corpus.sqlite"
    redactor = Redactor()
    with Store(path) as store:
        for har in sorted(CORPUS.glob("*.har")):
            store.append(redactor.redact(exchange) for exchange in read_har(har))
    return path


@pytest.mark.parametrize("parts", [2, 3])
@pytest.mark.parametrize("warmup", [None, 0, 7])
def test_split_build_is_the_single_build(synthetic_store: Path, parts: int,
                                         warmup: int | None) -> None:
    alone = store_model(synthetic_store, Config(), parts=1)
    split = store_model(synthetic_store, Config(), parts=parts, warmup=warmup)
    assert split == alone
    assert document(split) == document(alone)
    assert sum(len(endpoint.operations) for endpoint in alone.endpoints) > 10


@pytest.mark.parametrize("parts", [2, 4])
def test_split_build_of_real_captures_is_the_single_build(corpus_store: Path,
                                                          parts: int) -> None:
    alone = store_model(corpus_store, GENERIC, parts=1)
    split = store_model(corpus_store, GENERIC, parts=parts, warmup=3)
    assert document(split) == document(alone)
    assert site_files(split) == site_files(alone)
    reasons = [p.description for e in alone.endpoints for p in e.path_params]
    assert any(reason.startswith("structure: ") for reason in reasons)


def test_identities_beyond_the_cap_merge_as_one_builder_keeps_them(
        corpus_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # With room for only a few identity values, which ones are kept decides which
    # segments become parameters: parts must keep the same first few.
    monkeypatch.setattr(structure, "MAX_IDENTITIES", 12)
    alone = store_model(corpus_store, GENERIC, parts=1)
    for parts in (2, 3):
        assert document(store_model(corpus_store, GENERIC, parts=parts, warmup=0)) == \
            document(alone)


@pytest.mark.parametrize("parts", [1, 2])
def test_meanwhile_runs_once_while_the_other_parts_finish(
        synthetic_store: Path, monkeypatch: pytest.MonkeyPatch, parts: int) -> None:
    events: list[str] = []
    received = parallel._received

    def noted(conn: Any) -> ModelBuilder:
        events.append("received")
        return received(conn)

    monkeypatch.setattr(parallel, "_received", noted)
    model = store_model(synthetic_store, Config(), parts=parts,
                        meanwhile=lambda: events.append("meanwhile"))
    assert events == ["meanwhile", *["received"] * (parts - 1)]
    assert model == store_model(synthetic_store, Config(), parts=1)


def test_a_store_growing_during_the_build_is_read_up_to_where_it_started(
        synthetic_store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "growing.sqlite"
    copy.write_bytes(synthetic_store.read_bytes())
    with Store(copy) as store:
        upto = store.last_id()
        store.append(synthetic_traffic(5, seed=99))
        assert store.count() == store.count(upto) + 5
        assert [e.id for e in store.exchanges(upto=upto)][-1] == upto


def test_small_and_postgres_stores_are_built_in_one_process(synthetic_store: Path,
                                                            tmp_path: Path) -> None:
    with Store(synthetic_store, readonly=True) as opened:
        assert opened.count() < MIN_SPLIT
        assert parts_for(opened) == 1


def test_a_corrupt_row_is_one_line_from_any_part(synthetic_store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "corrupt.sqlite"
    copy.write_bytes(synthetic_store.read_bytes())
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE exchanges SET request_headers = 'not json' WHERE id = 2000")
    with pytest.raises(WsdocError, match=r"is corrupt: table exchanges, record 2000"):
        store_model(copy, Config(), parts=2)


def test_a_defect_in_a_part_is_raised_with_its_traceback(
        synthetic_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fold = ModelBuilder.fold

    def broken(self: ModelBuilder, *args: Any) -> str | None:
        if self.partition is None and self.count > 1200:  # in a forked part only
            raise KeyError("planted")
        return fold(self, *args)

    monkeypatch.setattr(ModelBuilder, "fold", broken)  # forked parts inherit it
    with pytest.raises(RuntimeError, match=r"(?s)a build process failed:.*KeyError: 'planted'"):
        store_model(synthetic_store, Config(), parts=2)


class Sent:
    """An Outbox that keeps what part 0 would send (our own class, no process involved)."""

    def __init__(self, parts: int) -> None:
        self.routes: list[list[tuple[int, GroupKey]]] = [[] for _ in range(parts)]
        self.kept: dict[int, list[GroupKey]] = {}

    def route(self, part: int, index: int, row: int, key: GroupKey, decided: Any) -> None:
        self.routes[part].append((index, key))

    def keep(self, part: int, keys: list[GroupKey]) -> None:
        self.kept[part] = keys


def test_each_exchange_goes_to_every_part_in_the_warmup_then_to_its_owner(
        synthetic_store: Path) -> None:
    with Store(synthetic_store, readonly=True) as opened:
        exchanges = list(opened.exchanges())
    sent = Sent(3)
    partition = Partition(3, sent, warmup=50)  # type: ignore[arg-type]
    groups: dict[GroupKey, Any] = {}
    folded = []
    for index, exchange in enumerate(exchanges, 1):
        key = (exchange.method, "", exchange.path.rsplit("/", 1)[0])
        if partition.owns(key, exchange, None, index, groups):  # type: ignore[arg-type]
            folded.append((index, key))
            groups.setdefault(key, object())  # as ModelBuilder.fold makes them
    warmup = [(index, key) for index, key in folded if index <= 50]
    assert len(warmup) == 50 and sent.routes[1][:50] == sent.routes[2][:50] == warmup
    after = [folded[50:], sent.routes[1][50:], sent.routes[2][50:]]
    assert sorted(item for part in after for item in part) == \
        [(index, key) for index, key in enumerate(
            ((e.method, "", e.path.rsplit("/", 1)[0]) for e in exchanges), 1)][50:]
    for part, mine in enumerate(after):
        owned = {key for _, key in mine}
        assert owned, part  # every part has work
        assert all(partition.owners[key] == part for key in owned)
    assert set(sent.kept) == {1, 2}
    assert not set(groups) & {key for part in (1, 2) for key in sent.kept[part]}


def test_split_build_lives_in_the_parallel_module() -> None:
    # The pipeline's read_model goes through it: one way from a store to a model.
    from docgen import pipeline

    assert pipeline.store_model is parallel.store_model
