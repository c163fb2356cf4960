"""Path templating: shapes, evidence, literals beside ids, pins, names, explanations."""

from __future__ import annotations

import pickle
import re
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

from docgen.capture.importer import read_exchanges
from docgen.capture.synthetic import exchange, synthetic_traffic
from docgen.infer import paths
from docgen.infer.builder import build_model
from docgen.infer.config import Config
from docgen.infer.paths import Decision, PathTemplater, param_name_for, singular, split_path
from docgen.infer.profile import WEB_SERVICES

USER = "1e553fa1b4164908a5f36d43cec96086"
DEVICE = "5b0e6bb7-0a5d-4a32-8e5a-1a2b3c4d5e6f"
CALL = "012PUFMMS0ASNAK48O7GK2LAES000004"


def template_of(paths: list[str], target: str, **settings: object) -> str:
    templater = PathTemplater(Config(**settings))  # type: ignore[arg-type]
    for path in paths:
        templater.observe(path)
    return templater.template(target).template


@pytest.mark.parametrize("path, expected", [
    (f"/api/v2/users/{USER}", "/api/v2/users/{userId}"),
    (f"/api/v2/me/devices/{DEVICE}", "/api/v2/me/devices/{deviceId}"),
    (f"/api/v2/me/calls/{CALL}", "/api/v2/me/calls/{callId}"),
    (f"/api/v2/me/devices/{DEVICE}/calls", "/api/v2/me/devices/{deviceId}/calls"),
    ("/api/v2/skills/42", "/api/v2/skills/{skillId}"),
    ("/api/v2/contacts/jane.doe%40example.com", "/api/v2/contacts/{contactId}"),
    ("/api/v2/reports/2024-05-01", "/api/v2/reports/{reportId}"),
    ("/api/v2/sessions/aB3dE5gH7jK9mN1pQ", "/api/v2/sessions/{sessionId}"),
    ("/api/v2/categories/17", "/api/v2/categories/{categoryId}"),
    ("/api/v2/call-logs/17", "/api/v2/call-logs/{callLogId}"),
])
def test_id_shapes_template_even_when_seen_once(path: str, expected: str) -> None:
    assert template_of([path], path) == expected


def test_all_digit_fixed_length_ids_keep_their_shape() -> None:
    """The zero user id of a deliberate 404 is hex32 like its neighbours, not an integer."""
    templater = PathTemplater(Config())
    for path in (f"/api/v2/users/{USER}", "/api/v2/users/" + "0" * 32):
        shapes = [d.shape.name for d in templater.observe(path).params if d.shape]
        assert shapes == ["hex32"]
    skill = templater.template("/api/v2/skills/42").params[0]
    assert skill.shape is not None and skill.shape.name == "integer"


def test_literal_word_beside_ids_stays_literal() -> None:
    paths = [f"/api/v2/me/calls/{CALL[:-4]}{i:04d}" for i in range(50)]
    paths.append("/api/v2/me/calls/active")
    assert template_of(paths, "/api/v2/me/calls/active") == "/api/v2/me/calls/active"
    assert template_of(paths, f"/api/v2/me/calls/{CALL}") == "/api/v2/me/calls/{callId}"


def test_leading_segments_are_never_parameters() -> None:
    templater = PathTemplater(Config(profile_name="generic"))
    for version in range(1, 30):
        templater.observe(f"/api/v{version}/things")
    result = templater.template("/api/v7/things")
    assert result.template == "/api/v7/things"
    assert [d.rule for d in result.decisions[:2]] == ["leading", "leading"]


def test_resource_root_needs_a_shape() -> None:
    paths = [f"/api/v2/resource{chr(97 + i)}x" for i in range(20)]
    assert template_of(paths, "/api/v2/resourceax") == "/api/v2/resourceax"


def test_evidence_makes_a_parameter_of_many_distinct_values() -> None:
    names = ["Sales", "Support", "Billing", "Gold", "Silver", "Bronze", "VIP", "Nights",
             "Weekend", "Spanish", "French"]
    paths = [f"/api/v2/queues/{name}/members" for name in names]
    templater = PathTemplater(Config())
    for path in paths:
        templater.observe(path)
    result = templater.template("/api/v2/queues/Sales/members")
    assert result.template == "/api/v2/queues/{queueId}/members"
    reason = result.explain()[3][2]
    assert reason.startswith("evidence: 11 distinct non-id values follow /api/v2/queues/")


def test_ambiguous_two_values_stay_literal_and_are_explained() -> None:
    paths = ["/api/v2/queues/Sales", "/api/v2/queues/Support"]
    templater = PathTemplater(Config())
    for path in paths:
        templater.observe(path)
    for path in paths:
        assert templater.template(path).template == path
    segment, outcome, reason = templater.template("/api/v2/queues/Sales").explain()[3]
    assert (segment, outcome) == ("Sales", "literal")
    assert "ambiguous: 2 distinct non-id values" in reason
    assert "below the threshold a segment stays literal" in reason


def test_threshold_is_configurable() -> None:
    paths = ["/api/v2/queues/Sales", "/api/v2/queues/Support", "/api/v2/queues/Billing"]
    assert template_of(paths, paths[0], param_threshold=3) == "/api/v2/queues/{queueId}"
    assert template_of(paths, paths[0], param_threshold=4) == paths[0]


def test_promotion_merges_the_subtrees_and_stays_bounded() -> None:
    templater = PathTemplater(Config())
    for index in range(5000):
        templater.observe(f"/api/v2/queues/queue-x{index}y/agents/name-{index % 3}x")
    assert templater.template("/api/v2/queues/queue-x1y/agents/name-1x").template == \
        "/api/v2/queues/{queueId}/agents/name-1x"
    assert templater.tree_size() < 20


def test_pinned_template_and_pinned_literal() -> None:
    pins = {"templates": ("/api/v2/queues/{queueName}",), "literals": ("Sales",)}
    assert template_of(["/api/v2/queues/Gold"], "/api/v2/queues/Gold", **pins) == \
        "/api/v2/queues/{queueName}"
    # A pin also pins the same prefix of longer paths.
    assert template_of([], "/api/v2/queues/Gold/agents", **pins) == \
        "/api/v2/queues/{queueName}/agents"
    values = [f"/api/v2/things/Name{chr(65 + i)}x" for i in range(12)] + ["/api/v2/things/Sales"]
    assert template_of(values, "/api/v2/things/Sales", **pins) == "/api/v2/things/Sales"
    assert template_of(values, "/api/v2/things/NameAx", **pins) == "/api/v2/things/{thingId}"


def test_most_specific_pin_wins() -> None:
    pins = {"templates": ("/api/v2/me/calls/{callId}", "/api/v2/me/calls/recent")}
    assert template_of([], "/api/v2/me/calls/recent", **pins) == "/api/v2/me/calls/recent"
    explained = PathTemplater(Config(**pins)).template("/api/v2/me/calls/x").explain()  # type: ignore[arg-type]
    assert explained[4] == ("x", "{callId}", "pinned template /api/v2/me/calls/{callId}")


def test_names_are_unique_and_fall_back() -> None:
    assert template_of([], f"/api/v2/users/{USER}/users/{USER}") == \
        "/api/v2/users/{userId}/users/{userId2}"
    # Two ids in a row after one collection word: the second is an item id (issue 11:
    # names from the structure, never `param1` where the structure says what it is).
    assert template_of([], f"/api/v2/things/42/{DEVICE}") == "/api/v2/things/{thingId}/{id}"
    assert template_of([], "/api/v2/me/42") == "/api/v2/me/{param1}"


def test_braces_and_odd_paths() -> None:
    assert template_of([], "/api/v2/weird/{id}") == "/api/v2/weird/%7Bid%7D"
    assert template_of([], "/") == "/"
    assert template_of([], "/api/v2/me/?x=1") == "/api/v2/me"
    assert split_path("//a//b/") == ["a", "b"]


def test_no_literal_id_left_in_web_services_traffic() -> None:
    model = build_model(synthetic_traffic(3000))
    for endpoint in model.endpoints:
        for segment in split_path(endpoint.template):
            assert segment.startswith("{") or WEB_SERVICES.id_shape(segment) is None, segment
    templates = {(e.method, e.template) for e in model.endpoints}
    assert ("GET", "/api/v2/me/calls/active") in templates
    assert ("GET", "/api/v2/me/calls/{callId}") in templates


def test_templating_happens_at_read_time() -> None:
    exchanges = [exchange("GET", f"/api/v2/queues/Q{i}x") for i in range(3)]
    plain = build_model(exchanges)
    pinned = build_model(exchanges, Config(templates=("/api/v2/queues/{queueName}",)))
    assert len(plain.endpoints) == 3
    assert [e.template for e in pinned.endpoints] == ["/api/v2/queues/{queueName}"]


def test_singular_and_names() -> None:
    assert [singular(w) for w in ["users", "queues", "categories", "addresses", "statuses",
                                  "boxes", "me", "status"]] == \
        ["user", "queue", "category", "address", "status", "box", "me", "status"]
    assert param_name_for("agent-groups") == "agentGroupId"
    assert param_name_for("v2") is None
    assert param_name_for("me") is None


def test_every_decision_has_a_reason() -> None:
    templater = PathTemplater(Config())
    rows = templater.template(f"/api/v2/me/calls/{CALL}/notes/x").explain()
    assert all(reason for _, _, reason in rows)
    assert re.search(r"id shape call-id", rows[4][2])


def corpus_and_synthetic_paths() -> list[str]:
    paths = [ex.path for ex in synthetic_traffic(1500)]
    for har in sorted((Path(__file__).resolve().parents[2] / "corpus").glob("*.har")):
        paths += [ex.path for ex in read_exchanges(har)[1]]
    return paths * 2  # the second round meets every path again, under more evidence


class WalkingTemplater(PathTemplater):
    """Plans made afresh and every path walked through the tree: the reference."""

    def _plan(self, path: str) -> Any:
        self._plans.clear()
        self._shapes.clear()
        return super()._plan(path)._replace(settled=None)


@pytest.mark.parametrize("generic", [False, True])
def test_remembered_plans_change_no_template(generic: bool) -> None:
    config = Config(profile_name="generic") if generic else Config()
    paths = corpus_and_synthetic_paths()
    remembering, walking = PathTemplater(config), WalkingTemplater(config)
    assert [remembering.observe(p) for p in paths] == [walking.observe(p) for p in paths]
    assert [remembering.template(p) for p in paths] == [walking.template(p) for p in paths]
    assert len(remembering._plans) > 100 and len(walking._plans) == 1
    shipped = pickle.loads(pickle.dumps(remembering))
    assert shipped._plans == shipped._shapes == {}  # summaries ship no cache


def test_a_parameter_renamed_keeps_every_other_field() -> None:
    # name_params renames without dataclasses.replace (docgen.infer.paths._named)
    shape = Config().profile.id_shapes[0]
    decision = Decision(3, "v", "evidence", True, "old", shape, 7, 10, "/p/{x}", "why")
    assert paths._named(decision, "new") == replace(decision, name="new")
    assert {f.name for f in fields(Decision)} == {
        "index", "value", "rule", "is_param", "name", "shape", "distinct", "threshold", "pin",
        "detail"}
