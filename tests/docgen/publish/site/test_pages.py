"""Rendering the docs model: safe page names, page content, and a real `mkdocs build --strict`."""

from __future__ import annotations

import html
import itertools
import json
import re
from pathlib import Path

import pytest
import yaml

from docgen.infer.model import ApiModel, Endpoint
from docgen.publish.site.names import MAX_SLUG, assign_pages, page_name, resource_of
from docgen.publish.site.pages import SiteOptions, plan_pages, render_site
from docgen.publish.site.writer import run_mkdocs, write_site
from tests.support.html_checks import SAFE_TAGS, ElementCollector, site_markdown
from tests.support.site_models import HOSTILE_TEMPLATES, PWN, hostile_model, sample_model

STEM = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def hostile_templates() -> list[str]:
    """Well over 100 templates that try to escape docs/ or collide."""
    pieces = ["..", "%2e%2e", "%2E%2E", "%2f", "%2F", "..%2f..", "\\", "..\\..", "\x00",
              "\x01\x1f", ".", "...", "~", "$HOME", "a/../../b", "CON", "nul", "-", "_",
              "\u202e", "\u00e9t\u00e9", "\U0001f600", "x" * 300, "{id}", "{}", "{{a}}", " ",
              "a b", "a\nb", "a\tb", ";", "|", "*", "?", ":", "<>", '"', "'", "`"]
    templates = [f"/api/v2/{p}" for p in pieces] + [f"/{p}/{p}" for p in pieces]
    templates += ["", "/", "//", "///x", "/api/v2", "/api/v2/", "/" + "/".join(["a"] * 500),
                  "/Users", "/users", "/USERS", "/uSeRs", "/users/", "/users//",
                  "/api/v2/me/calls/{callId}", "/api/v2/me/calls/{CALLID}",
                  "/api/v2/me/calls/callid", "/a-b", "/a/b", "/a_b", "/a.b",
                  *HOSTILE_TEMPLATES]
    return templates


def test_at_least_100_hostile_templates_get_distinct_safe_names(tmp_path: Path) -> None:
    templates = hostile_templates()
    keys = [(m, t) for t in templates for m in ("GET", "get", "POST", "<script>", "")]
    assert len(set(keys)) >= 100
    stems = assign_pages(keys)
    assert len({s.lower() for s in stems.values()}) == len(set(keys))  # case-insensitively
    for stem in stems.values():
        assert STEM.fullmatch(stem), stem
        assert len(stem) <= MAX_SLUG + 1 + 64
    for method, template in set(keys):
        name = page_name(method, template)
        assert name == page_name(method, template)  # deterministic
        assert STEM.fullmatch(name) and len(name) <= MAX_SLUG + 9, name
    # Written for real: every file lands inside docs/, one file per endpoint.
    model = ApiModel(title="t", endpoints=[Endpoint(m, t) for m, t in sorted(set(keys))])
    files = render_site(model, SiteOptions(), None)
    write_site(tmp_path, files)
    docs = (tmp_path / "docs").resolve()
    written = [p for p in docs.rglob("*.md")
               if p.name != "index.md" and p.name != "authentication.md"]
    assert len(written) == len(set(keys))
    assert all(docs in p.resolve().parents for p in written)
    assert {p.name for p in tmp_path.iterdir()} == {"docs", "mkdocs.yml"}


def test_clean_templates_keep_plain_names_whatever_else_is_recorded() -> None:
    assert page_name("GET", "/api/v2/me/calls/{callId}") == "get-api-v2-me-calls-callid"
    assert page_name("GET", "/users") == "get-users"
    for other in ("/Users", "/USERS", "/users/"):
        assert re.fullmatch(r"get-users-[0-9a-f]{8}", page_name("GET", other))
    alone = assign_pages([("GET", "/users")])
    crowded = assign_pages([("GET", "/users"), ("GET", "/Users"), ("GET", "/USERS")])
    assert alone[("GET", "/users")] == crowded[("GET", "/users")] == "get-users"


def test_long_templates_are_cut_with_a_hash() -> None:
    long_a, long_b = "/" + "a" * 400, "/" + "a" * 399 + "b"
    name_a, name_b = page_name("GET", long_a), page_name("GET", long_b)
    assert name_a != name_b and len(name_a) <= MAX_SLUG + 9


def test_resources_group_by_first_segment_after_the_base() -> None:
    assert resource_of("/api/v2/me/calls/{callId}", "/api/v2") == "me"
    assert resource_of("/api/v2/users/{userId}", "/api/v2") == "users"
    assert resource_of("/api/v2/diagnostics/version", "/api/v2") == "diagnostics"
    assert resource_of("/rest/v1/orders", "") == "orders"
    assert resource_of("/{tenant}/orders", "") == "orders"
    assert resource_of("/api/v2", "/api/v2") == ""


def test_home_page_lists_every_endpoint_with_links() -> None:
    from docgen.infer.descriptions import describe

    model = describe(sample_model())  # as build_model does
    files = render_site(model, SiteOptions(base_url="http://gws:8090"), {"openapi": "3.1.0"})
    home = files["docs/index.md"]
    assert "# Test API" in home and "8.5.202.34" in html.unescape(home)
    assert "[openapi.json](openapi.json)" in home and "docs/openapi.json" in files
    assert "2024-05-01 12:00:00 UTC to 2024-05-01 13:00:00 UTC" in home.replace("&#45;", "-")
    for plan in plan_pages(model):
        assert f"]({plan.path})" in home
        assert f"docs/{plan.path}" in files
    row = next(line for line in home.splitlines() if "channels/voice" in line)
    # NotReady was only ever rejected (400): listed apart on the page, not as an operation.
    assert row.split(" | ")[3] == "Ready"
    assert "200, 400" in row
    assert "Agent state on the voice channel" in row  # purpose, from the profile


def test_endpoint_page_has_examples_fields_and_profile_notes() -> None:
    files = render_site(sample_model(), SiteOptions(base_url="http://gws:8090"), None)
    voice = files["docs/me/post-api-v2-me-channels-voice.md"]
    assert "# POST /api/v2/me/channels/voice" in voice
    assert "## Ready" in voice and "## NotReady" in voice
    assert '=== "200 OK"' in voice and '=== "400 Bad Request"' in voice
    assert re.search(r"curl \\\n +-X POST \\\n +http://gws:8090/api/v2/me/channels/voice", voice)
    assert "requests.request('POST'," in voice
    assert "'http://gws:8090/api/v2/me/channels/voice'" in voice
    for section in ("## Overview", "## Statuses", "## Rejected by the server"):
        assert section in voice
    assert "-d '{\"operationName\": \"Ready\"}'" in voice
    assert "| <code>0</code> | 1 | success (for operations: accepted" in voice
    assert "<code>statusCode</code> <code>0</code>: success" in voice
    assert "parameter not valid for the current state" in voice  # profile meaning of 2
    assert '!!! warning "Request URL longer than 2000 characters"' in voice
    assert '??? note "JSON Schema"' in voice
    assert "| <code>/operationName</code> | string |" in voice
    me = files["docs/me/get-api-v2-me.md"]
    assert '!!! info "Filtering with subresources and fields"' in me
    users = files["docs/users/get-api-v2-users-userid.md"]
    assert "## Path parameters" in users and "shape: hex32" in users


def test_nav_is_grouped_by_resource_and_lists_hand_written_pages() -> None:
    files = render_site(sample_model(), SiteOptions(), None,
                        hand_pages=["intro.md", "me/notes.md", "guides/start.md"])
    config = yaml.safe_load(files["mkdocs.yml"])
    nav = config["nav"]
    assert nav[:3] == [{"Home": "index.md"}, {"Authentication": "authentication.md"}, "intro.md"]
    sections = {next(iter(item)): next(iter(item.values())) for item in nav[3:]}
    assert set(sections) == {"diagnostics", "guides", "me", "users"}
    assert "me/notes.md" in sections["me"]
    assert {"GET me": "me/get-api-v2-me.md"} in sections["me"]  # short label, full path in h1
    assert config["extra_css"] == ["assets/wsdoc.css"] and "docs/assets/wsdoc.css" in files
    assert config["theme"]["font"] is False
    assert "content.code.copy" in config["theme"]["features"]
    assert [p["scheme"] for p in config["theme"]["palette"]] == ["default", "slate"]
    assert config["plugins"] == ["search"]






def test_hostile_model_renders_nothing_unescaped() -> None:
    files = render_site(hostile_model(), SiteOptions(), {"x": PWN})
    config = yaml.safe_load(files["mkdocs.yml"])
    titles = [config["site_name"]] + [
        key for item in config["nav"] if isinstance(item, dict)
        for key in itertools.chain([next(iter(item))], *(
            (list(e) for e in v if isinstance(e, dict)) for v in item.values()
            if isinstance(v, list)))]
    for title in titles:
        assert not set(title) & set("<>&\"'`"), title
    for path, text in files.items():
        if not path.endswith(".md"):
            continue
        assert "\x02" not in text and "\x03" not in text
        collector = ElementCollector()
        collector.feed(site_markdown().convert(text))
        for tag, attrs in collector.elements:
            assert tag in SAFE_TAGS, (path, tag)
            for name, value in attrs:
                assert not name.startswith("on"), (path, tag, name)
                if name in ("href", "src", "action", "formaction", "data"):
                    assert "javascript:" not in (value or "").lower(), (path, tag)
            if tag == "a" and "href" in dict(attrs):
                href = dict(attrs)["href"] or ""
                ours = re.fullmatch(r"[a-z0-9/.-]+\.md(#[a-z0-9_-]+)?", href)
                assert href.startswith("#") or ours or href == "openapi.json", href


def test_mkdocs_strict_build_of_sample_and_hostile_models(tmp_path: Path) -> None:
    for name, model in (("sample", sample_model()), ("hostile", hostile_model())):
        site = tmp_path / name
        write_site(site, render_site(model, SiteOptions(), {"openapi": "3.1.0"}))
        assert run_mkdocs(site) > 0
        index = (site / "public" / "index.html").read_text()
        assert "openapi.json" in index
        pages = list((site / "public").rglob("*.html"))
        assert len(pages) >= len(model.endpoints) + 1
        assert json.loads((site / "public" / "openapi.json").read_text()) == {"openapi": "3.1.0"}


@pytest.mark.parametrize("template", HOSTILE_TEMPLATES)
def test_hostile_titles_never_reach_html_titles(template: str, tmp_path: Path) -> None:
    files = render_site(ApiModel(title="t", endpoints=[Endpoint("GET", template)]),
                        SiteOptions(), None)
    nav_titles = re.findall(r"^  - (.*): ", files["mkdocs.yml"], re.MULTILINE)
    assert nav_titles and all("<" not in t and ">" not in t for t in nav_titles)


def test_operations_only_ever_rejected_are_listed_apart() -> None:
    from docgen.infer.model import Endpoint, Operation, ResponseDoc
    from docgen.infer.profile import PROFILES
    from docgen.publish.site.endpoint import PageContext, render_endpoint

    rejected = Operation("Fly", sample_count=2, responses={400: ResponseDoc(400, 2)})
    accepted = Operation("Hold", sample_count=2, responses={200: ResponseDoc(200, 1),
                                                             400: ResponseDoc(400, 1)})
    ep = Endpoint("POST", "/api/v2/me/calls/{callId}", operations=[accepted, rejected],
                  status_codes={200: 1, 400: 3})
    assert ep.operation_names == ["Hold"] and ep.rejected_operations == [rejected]
    ctx = PageContext("http://localhost:8090", PROFILES["webservices"], "descriptions/x.md")
    page = render_endpoint(ep, ctx)
    overview = page.split("## Overview", 1)[1].split("##", 1)[0]
    assert "Hold" in overview and "Fly" not in overview
    rejected_part = page.split("## Rejected by the server", 1)[1]
    assert "Fly" in rejected_part and "Hold" not in rejected_part


def test_nav_labels_are_short_and_transport_and_unmatched_are_apart() -> None:
    from docgen.publish.site.mkdocs import MAX_LABEL, nav_label

    assert nav_label("POST", "/api/v2/me/calls/{callId}", "me") == "POST calls/{callId}"
    assert nav_label("GET", "/api/v2/users/{userId}", "users") == "GET users/{userId}"
    assert nav_label("GET", "/api/v2/me", "me") == "GET me"
    assert nav_label("POST", "/api/v2/me/devices/{deviceId}/calls", "me") == (
        "POST devices/{id}/calls")
    long = nav_label("GET", "/api/v2/me/" + "/".join(["segment"] * 8), "me")
    assert long.startswith("GET \u2026") and len(long) <= MAX_LABEL + 1
    model = sample_model()
    model.endpoints += [
        Endpoint("GET", "/api/v2/no/such/resource", status_codes={404: 1}),
        Endpoint("POST", "/api/v2/notifications/handshake", status_codes={200: 1},
                 is_notifications=True)]
    files = render_site(model, SiteOptions(), None)
    nav = yaml.safe_load(files["mkdocs.yml"])["nav"]
    sections = [next(iter(item)) for item in nav if isinstance(item, dict)]
    assert "no" not in sections and "notifications" not in sections
    assert {"Unmatched requests": "unmatched-requests/index.md"} in nav
    assert {"POST handshake": "notifications/post-api-v2-notifications-handshake.md"} in next(
        item["Notifications"] for item in nav if "Notifications" in item)
    assert "## GET /api/v2/no/such/resource" in files["docs/unmatched-requests/index.md"]
