"""The built site in a real browser: pages, examples, theme features, no network, and no
script from recorded content ever runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.recorded_site import serve_folder
from tests.support.site_models import HOSTILE_STRINGS

pytestmark = pytest.mark.browser

SCRIPTS_JS = """() => Array.from(document.scripts).map(
    s => s.src ? new URL(s.src).pathname.split('/').slice(-2).join('/') : 'inline')"""
HANDLER_ATTRIBUTES_JS = """() => Array.from(document.querySelectorAll('*')).flatMap(
    el => Array.from(el.attributes).filter(a => a.name.toLowerCase().startsWith('on'))
        .map(a => el.tagName + ' ' + a.name))"""
SCRIPT_URLS_JS = """() => Array.from(document.querySelectorAll('[href], [src], [action]'))
    .map(el => el.getAttribute('href') || el.getAttribute('src') || el.getAttribute('action'))
    .filter(v => /^\\s*(javascript|data|vbscript):/i.test(v))"""


class Watch:
    """A page that records dialogs and every request leaving the site's origin."""

    def __init__(self, browser: Any, base: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.route("**/*", lambda route: self._route(route, base))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route: Any, base: str) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:  # nothing may leave the machine: record and block it
            self.foreign.append(route.request.url)
            route.abort()

    def open(self, url: str, quick: bool = False) -> Any:
        """Load a page; `quick` stops at the load event (every inline script, handler of a
        failed image and the theme's bundle have run by then) instead of network idle."""
        self.page.goto(url, wait_until="load")
        if quick:
            self.page.wait_for_timeout(50)
        else:
            self.page.wait_for_load_state("networkidle")
        return self.page


@pytest.fixture
def watch_factory(browser: Any) -> Iterator[Any]:
    watches: list[Watch] = []

    def make(base: str) -> Watch:
        watches.append(Watch(browser, base))
        return watches[-1]

    yield make
    for watch in watches:
        watch.context.close()


def test_home_and_endpoint_pages_show_real_examples(
        recorded_public: Path, watch_factory: Any, artifacts: Path) -> None:
    with serve_folder(recorded_public) as base:
        watch = watch_factory(base)
        page = watch.open(base)
        assert "Genesys Web Services" in page.locator("h1").first.inner_text()
        table = page.locator("table").filter(has_text="Status codes")
        voice = table.locator('a[href="me/post-api-v2-me-channels-voice.html"]')
        assert voice.inner_text() == "/api/v2/me/channels/voice"
        assert page.locator('a[href="openapi.json"]').count() == 1
        page.screenshot(path=str(artifacts / "site-home.png"), full_page=True)

        voice.click()
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").first.inner_text().rstrip("¶") == "POST /api/v2/me/channels/voice"
        assert page.locator(".language-bash code").first.is_hidden()  # details start folded
        for summary in page.locator("details.example > summary").all():
            summary.click()  # open every operation's details
        curl = page.locator(".language-bash code").first
        assert curl.inner_text().startswith("curl")
        assert "-X POST" in curl.inner_text() and "operationName" in curl.inner_text()
        responses = page.locator(".language-json code").filter(has_text='"statusCode": 0')
        assert responses.count() >= 4
        assert any(response.is_visible() for response in responses.all())
        assert page.get_by_text("success (for operations: accepted").count() >= 1
        curl.scroll_into_view_if_needed()  # the theme adds copy buttons to visible code
        page.locator('button[data-md-type="copy"], button.md-clipboard').first.wait_for(
            timeout=10_000)
        page.screenshot(path=str(artifacts / "site-endpoint.png"), full_page=False)

        scheme = page.locator("body").get_attribute("data-md-color-scheme")
        page.locator("label.md-header__button[for^='__palette']").first.click()
        assert page.locator("body").get_attribute("data-md-color-scheme") != scheme
        page.screenshot(path=str(artifacts / "site-endpoint-dark.png"))

        page.locator("input.md-search__input").click()
        page.locator("input.md-search__input").press_sequentially("version", delay=20)
        page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
        assert page.locator(".md-search-result__item").count() >= 1
        page.screenshot(path=str(artifacts / "site-search.png"))
        assert watch.dialogs == [] and watch.foreign == []


def theme_scripts(watch: Watch, url: str) -> list[str]:
    return sorted(watch.open(url, quick=True).evaluate(SCRIPTS_JS))


def test_hostile_recorded_content_never_runs(
        hostile_public: Path, sample_public: Path, watch_factory: Any, artifacts: Path) -> None:
    with serve_folder(sample_public) as clean_base:
        clean = watch_factory(clean_base)
        expected_home = theme_scripts(clean, clean_base)
        expected_page = theme_scripts(clean, clean_base + "me/get-api-v2-me.html")
    pages = sorted(p.relative_to(hostile_public).as_posix()
                   for p in hostile_public.rglob("*.html") if p.name != "404.html")
    assert len(pages) >= 9
    with serve_folder(hostile_public) as base:
        watch = watch_factory(base)
        for relative in pages:
            page = watch.open(base + relative, quick=True)
            assert page.evaluate("() => typeof window.__wsdoc_pwned") == "undefined", relative
            scripts = sorted(page.evaluate(SCRIPTS_JS))
            assert scripts == (expected_home if relative == "index.html" else expected_page)
            assert page.evaluate(HANDLER_ATTRIBUTES_JS) == [], relative
            assert page.evaluate(SCRIPT_URLS_JS) == [], relative
            page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
            for tab in page.locator(".tabbed-labels label").all():
                tab.click()  # reveal every tab; hovering a payload must do nothing either
                tab.hover()
        page = watch.open(base + pages[-1])
        assert "<script>" in page.locator("h1").first.inner_text()  # shown, as text
        page.screenshot(path=str(artifacts / "site-hostile-endpoint.png"), full_page=True)
        page = watch.open(base)
        page.screenshot(path=str(artifacts / "site-hostile-home.png"), full_page=True)
        page.locator("input.md-search__input").click()
        for query in HOSTILE_STRINGS[:8] + ["script", "javascript", "onerror"]:
            page.locator("input.md-search__input").fill("")
            page.locator("input.md-search__input").press_sequentially(query, delay=5)
            page.wait_for_timeout(300)
            for item in page.locator(".md-search-result__item").all()[:5]:
                item.hover()
        page.screenshot(path=str(artifacts / "site-hostile-search.png"))
        assert page.evaluate("() => typeof window.__wsdoc_pwned") == "undefined"
        assert page.evaluate(HANDLER_ATTRIBUTES_JS) == []
        assert watch.dialogs == [] and watch.foreign == []
