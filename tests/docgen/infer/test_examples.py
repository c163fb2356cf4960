"""Per status the most informative example first, other response shapes after, bounded."""

from __future__ import annotations

from docgen.infer.bodywalks import field_paths
from docgen.infer.examples import MAX_SHAPES, ExamplePicker, query_width
from tests.support.site_models import exchange

URIS = {"statusCode": 0, "uris": ["http://x/api/v2/users/a"]}
FULL = {"statusCode": 0, "users": [{"id": "a", "userName": "k", "roles": ["R"]}]}
NARROW = {"statusCode": 0, "users": [{"id": "a"}]}


def pick(*exchanges) -> list:
    picker = ExamplePicker()
    for ex in exchanges:
        picker.add(ex, field_paths(ex.response_body.json()))
    return picker.exchanges()


def test_the_widest_answer_comes_first_and_other_shapes_follow() -> None:
    uris = exchange("GET", "/api/v2/users", 200, URIS)
    full = exchange("GET", "/api/v2/users", 200, FULL, query=[("fields", "*")])
    narrow = exchange("GET", "/api/v2/users", 200, NARROW, query=[("fields", "id")])
    error = exchange("GET", "/api/v2/users", 400, {"statusCode": 10}, query=[("limit", "0")])
    assert pick(uris, narrow, error, full) == [full, narrow, uris, error]


def test_same_shape_keeps_the_request_that_asked_for_more() -> None:
    plain = exchange("GET", "/api/v2/me", 200, NARROW)
    wide = exchange("GET", "/api/v2/me", 200, NARROW, query=[("subresources", "*")])
    assert pick(plain, wide) == [wide]
    assert query_width(wide) > query_width(plain) == 0


def test_shapes_are_bounded_and_a_richer_new_shape_replaces_the_poorest() -> None:
    bodies = [{"statusCode": 0, **{f"k{j}": j for j in range(i)}} for i in range(6)]
    kept = pick(*(exchange("GET", "/x", 200, body) for body in bodies))
    assert len(kept) == MAX_SHAPES
    assert [len(ex.response_body.json()) for ex in kept] == [6, 5, 4]
