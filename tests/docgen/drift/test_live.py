"""LiveChecker: one exchange at a time, shared across threads, fast, storable violations."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from docgen.capture.store import Store, insert_violations, transaction
from docgen.capture.synthetic import exchange, synthetic_traffic
from docgen.drift.live import LiveChecker, Violation
from docgen.errors import WsdocError
from tests.support.drift_stores import FIXTURES, USER_IDS, baseline, user, write_contract


@pytest.fixture
def checker(tmp_path: Path) -> LiveChecker:
    return LiveChecker(write_contract(tmp_path / "contract.json", baseline()))


def test_one_exchange(checker: LiveChecker) -> None:
    assert checker.check(baseline()[0]) == []
    changed = exchange("GET", f"/api/v2/users/{USER_IDS[3]}",
                       {"statusCode": 0, "user": user(3, level=7, extra=[1])})
    assert checker.check(changed) == [
        Violation("type-changed", "GET /api/v2/users/{userId}", None, "response 200",
                  "/user/level", "string -> integer", "7"),
        Violation("new-field", "GET /api/v2/users/{userId}", None, "response 200",
                  "/user/extra", "new field (array)", "[1]"),
    ]
    assert checker.check(changed)[0].summary == "response 200 /user/level: string -> integer"


def test_operations_and_statuses(checker: LiveChecker) -> None:
    path = "/api/v2/me/calls/0ABCDEFGHIJKLMNOPQRSTUVWXYZ12345"
    unknown = checker.check(exchange("POST", path, {"statusCode": 0},
                                     request={"operationName": "SetMuteOn"}))
    assert [v.summary for v in unknown] == ["operation SetMuteOn: operation not in the contract"]
    nameless = checker.check(exchange("POST", path, {"statusCode": 0}, request={"x": 1}))
    assert [(v.kind, v.operation) for v in nameless] == \
        [("unknown-operation", "(no operationName)")]
    failed = exchange("POST", path, request={"operationName": "Hold"})
    failed.status = None
    assert checker.check(failed) == []  # no response: nothing to check but the request
    teapot = checker.check(exchange("POST", path, {"statusCode": 0}, status=418,
                                    request={"operationName": "Hold"}))
    assert [v.summary for v in teapot] == \
        ["operation Hold: response 418: status 418 not in the contract"]


def test_operation_statuses_when_the_contract_records_them(tmp_path: Path) -> None:
    document = json.loads(
        (FIXTURES / "old.json").read_text())
    contract = tmp_path / "old.json"
    contract.write_text(json.dumps(document))
    checker = LiveChecker(contract)
    answered = exchange("POST", "/api/v2/me/calls/X1", {"statusCode": 2}, status=400,
                        request={"operationName": "Answer"})
    assert [v.summary for v in checker.check(answered)] == [
        "operation Answer: response 400: status 400 not recorded for this operation "
        "(contract: 200)"]


def test_query_parameters(tmp_path: Path) -> None:
    traffic = [exchange("GET", "/api/v2/me", {"statusCode": 0},
                        query=[("limit", str(n)), ("fields", "id")]) for n in range(1, 8)]
    checker = LiveChecker(write_contract(tmp_path / "q.json", traffic))
    odd = exchange("GET", "/api/v2/me", {"statusCode": 0},
                   query=[("limit", "all"), ("sort", "up")])
    assert [(v.kind, v.location, v.field, v.detail) for v in checker.check(odd)] == [
        ("type-changed", "query", "limit", "integer -> string"),
        ("missing-required", "query", "fields", "required field missing"),
        ("new-field", "query", "sort", "new field (string)"),
    ]


def test_shared_by_threads(tmp_path: Path) -> None:
    traffic = list(synthetic_traffic(400))
    checker = LiveChecker(write_contract(tmp_path / "c.json", traffic[:200]))
    expected = [checker.check(ex) for ex in traffic]
    assert any(expected)  # the second half has things the first half never showed
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(3):
            assert list(pool.map(checker.check, traffic)) == expected


def test_violations_go_into_the_store(tmp_path: Path, checker: LiveChecker) -> None:
    changed = exchange("GET", f"/api/v2/users/{USER_IDS[1]}",
                       {"statusCode": 0, "user": user(1, level=2)})
    with Store(tmp_path / "live.sqlite") as store:
        store.append([changed])
        stored = next(store.exchanges())
        assert stored.id is not None
        with transaction(store.conn):
            insert_violations(store.conn, [(stored.id, v.kind, v.endpoint, v.summary)
                                           for v in checker.check(stored)])
        rows = store.conn.execute(
            "SELECT exchange_id, kind, endpoint, detail FROM violations").fetchall()
    assert rows == [(stored.id, "type-changed", "GET /api/v2/users/{userId}",
                     "response 200 /user/level: string -> integer")]


def test_a_bad_contract_fails_at_construction(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(WsdocError, match="not valid JSON or YAML"):
        LiveChecker(tmp_path / "broken.json")
    (tmp_path / "list.yaml").write_text("- a\n- b\n")
    with pytest.raises(WsdocError, match="not an OpenAPI document"):
        LiveChecker(tmp_path / "list.yaml")
    with pytest.raises(WsdocError, match="no such contract"):
        LiveChecker(tmp_path / "missing.json")
