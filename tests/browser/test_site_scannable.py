"""The demo site as a reader uses it (Chromium at 1400 px): an Authentication page with the
session headers, response headers on GET /me, endpoint pages short enough to scan with their
details folded, nav labels that fit, and no nav section for the notification transport or a
deliberate 404."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.recorded_site import serve_folder

pytestmark = pytest.mark.browser

WIDTH = 1400
MAX_HEIGHT = 8_000
NAV_LABELS_JS = """() => Array.from(document.querySelectorAll(
    '.md-sidebar--primary .md-nav__link .md-ellipsis')).filter(el => el.offsetParent !== null)
    .map(el => ({text: el.textContent.trim(), cut: el.scrollWidth > el.clientWidth + 1,
                 lines: Math.round(el.getBoundingClientRect().height /
                                   parseFloat(getComputedStyle(el).lineHeight))}))"""
SECTIONS_JS = """() => Array.from(document.querySelectorAll(
    '.md-sidebar--primary .md-nav__item--section > label, '
    + '.md-sidebar--primary .md-nav__item--section > .md-nav__link'))
    .map(el => el.textContent.trim())"""


def endpoint_pages(public: Path) -> list[str]:
    """Every page that documents endpoints (not the home, auth, search or channel pages)."""
    skip = {"index.html", "404.html", "authentication.html"}
    return sorted(p.relative_to(public).as_posix() for p in public.rglob("*.html")
                  if p.name not in skip and "notification-channels" not in p.parts
                  or p.parent.name == "unmatched-requests")


@pytest.fixture
def page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": WIDTH, "height": 900})
    yield context.new_page()
    context.close()


def test_authentication_page_lists_the_session(demo_public: Path, page: Any,
                                               artifacts: Path) -> None:
    with serve_folder(demo_public) as base:
        page.goto(base, wait_until="load")
        page.locator(".md-sidebar--primary a", has_text="Authentication").first.click()
        page.wait_for_load_state("load")
        assert page.locator("h1").first.inner_text().startswith("Authentication and session")
        session = page.locator("table").filter(has_text="Session value")
        assert session.locator("td", has_text="X-CSRF-TOKEN").count() == 1
        assert session.locator("td", has_text="JSESSIONID").count() == 1
        block = page.locator("#first-requests ~ div.language-bash code").first.inner_text()
        assert "-c jar -D headers" in block
        assert "export JSESSIONID=" in block and "export CSRF_TOKEN=" in block
        assert page.get_by_text("/api/v2/diagnostics/version").count() >= 1  # works without
        page.screenshot(path=str(artifacts / "site-authentication.png"), full_page=True)


def test_get_me_documents_the_csrf_response_header(demo_public: Path, page: Any,
                                                   artifacts: Path) -> None:
    with serve_folder(demo_public) as base:
        page.goto(base + "me/get-api-v2-me.html", wait_until="load")
        headers = page.locator("details", has_text="Response headers").first
        headers.locator("summary").click()
        table = headers.locator("table")
        assert table.locator("td", has_text="X-CSRF-TOKEN").first.is_visible()
        assert table.locator("td", has_text="Set-Cookie").count() == 1
        headers.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "site-me-response-headers.png"))


def test_endpoint_pages_fit_8000_px_with_details_folded(demo_public: Path, page: Any,
                                                        artifacts: Path) -> None:
    pages = endpoint_pages(demo_public)
    assert len(pages) >= 15
    heights = {}
    with serve_folder(demo_public) as base:
        for relative in pages:
            page.goto(base + relative, wait_until="load")
            heights[relative] = page.evaluate("() => document.documentElement.scrollHeight")
        tallest = max(heights, key=lambda r: heights[r])
        page.goto(base + tallest, wait_until="load")
        page.screenshot(path=str(artifacts / "site-tallest-endpoint.png"), full_page=True)
        page.goto(base + "me/post-api-v2-me-calls-callid.html", wait_until="load")
        page.locator("details.example summary").first.click()  # open one operation
        page.screenshot(path=str(artifacts / "site-call-operation-open.png"))
    print(f"\ntallest endpoint page: {tallest} {heights[tallest]} px at {WIDTH} px")
    assert heights[tallest] <= MAX_HEIGHT, heights


def test_nav_labels_fit_and_transport_is_not_a_section(demo_public: Path, page: Any,
                                                       artifacts: Path) -> None:
    with serve_folder(demo_public) as base:
        page.goto(base + "me/post-api-v2-me-devices-deviceid-calls.html", wait_until="load")
        labels = page.evaluate(NAV_LABELS_JS)
        assert len(labels) >= 20
        assert [label for label in labels if label["cut"] or label["lines"] > 1] == []
        sections = [s.lower() for s in page.evaluate(SECTIONS_JS)]
        assert "me" in sections and "notifications" in sections
        assert not {"no", "(root)"} & set(sections)
        assert sections.count("notifications") == 1  # the CometD endpoints folded in there
        texts = [label["text"] for label in labels]
        assert "POST handshake" in texts and "Unmatched requests" in texts
        assert not [t for t in texts if "such/resource" in t]
        page.screenshot(path=str(artifacts / "site-nav.png"))
