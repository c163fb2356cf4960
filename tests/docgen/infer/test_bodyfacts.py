"""Facts of a body are derived once per distinct content, and only reused when equal."""

from __future__ import annotations

from docgen.capture.record import ABSENT, Body
from docgen.capture.synthetic import synthetic_traffic
from docgen.infer import bodyfacts
from docgen.infer.bodyfacts import BodyFacts, RecentBodies
from docgen.infer.bodywalks import echoed_tokens, field_paths, identity_values, shape_signature
from docgen.infer.builder import ModelBuilder
from docgen.infer.summary import dump_summary, load_summary


def body(content: bytes, content_type: str = "application/json") -> Body:
    return Body(content, content_type, "", len(content))


def test_facts_are_what_the_walks_give() -> None:
    content = b'{"user": {"userName": "kate", "skills": [{"id": "s1"}]}}'
    facts = BodyFacts(body(content))
    assert facts.why == "" and facts.parsed["user"]["userName"] == "kate"
    assert facts.paths == field_paths(facts.parsed)
    assert facts.identities == tuple(identity_values(facts.parsed))
    assert facts.signature == shape_signature(facts.parsed)
    assert facts.tokens == echoed_tokens(content)


def test_a_repeat_reuses_the_facts() -> None:
    recent = RecentBodies()
    first = recent.facts(body(b'{"a": 1}'))
    assert recent.facts(body(b'{"a": 1}')) is first
    assert recent.facts(body(b'{"a": 2}')) is not first


def test_the_same_bytes_under_another_type_are_read_again() -> None:
    # A JSON string is JSON under a JSON type and plain text under text/plain.
    recent = RecentBodies()
    assert recent.facts(body(b'"hello"')).parsed == "hello"
    as_text = recent.facts(body(b'"hello"', "text/plain"))
    assert as_text.parsed is None and as_text.why == "text"


def test_truncated_large_and_absent_bodies_are_not_kept() -> None:
    recent = RecentBodies()
    large = b'{"a": "' + b"x" * bodyfacts.MAX_CACHED_SIZE + b'"}'
    assert recent.facts(body(large)) is not recent.facts(body(large))
    cut = Body(None, "application/json", "", 10, truncated=True)
    assert recent.facts(cut).why == "truncated"
    assert recent.facts(Body()).why == ABSENT
    assert not recent.known


def test_memory_is_bounded_oldest_first() -> None:
    recent = RecentBodies(entries=3)
    for index in range(10):
        recent.facts(body(b'{"n": %d}' % index))
    assert [key[0] for key in recent.known] == [b'{"n": 7}', b'{"n": 8}', b'{"n": 9}']


def test_a_summary_ships_no_cached_bodies() -> None:
    builder = ModelBuilder()
    for exchange in synthetic_traffic(300):
        builder.add(exchange)
    assert builder.bodies.known
    shipped = load_summary(dump_summary(builder))
    assert shipped.bodies.known == {}
    assert all(group.bodies is shipped.bodies for group in shipped.groups.values())
