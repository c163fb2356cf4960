"""Issue 5's XSS and path checks end to end: ≥ 50 payloads and ≥ 100 hostile paths go
through the real recorder (path, query, headers, JSON keys and values), `wsdoc build`
builds the site, and every page is opened in headless Chromium."""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from docgen.cli.processes import run_proxy
from tests.support.recorded_site import build, serve_folder
from tests.support.upstream import serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PWN = "window.__wsdoc_pwned=1;alert(1)"
TAGS = ["script", "img", "svg", "iframe", "body", "details", "video", "math", "a", "style"]
PAYLOADS = ([f"<{tag} src=x onerror={PWN} onload={PWN}>" for tag in TAGS]
            + [f"<script>{PWN}</script>", f"javascript:{PWN}", f"[x](javascript:{PWN})",
               "``````", "```\n<script>alert(1)</script>\n```", f"\"><script>{PWN}</script>",
               f"'--><svg/onload={PWN}>", f"</textarea><script>{PWN}</script>",
               f"{{{{ {PWN} }}}}", f"<!--<script>{PWN}</script>-->"])
PAYLOADS = [f"{p} #{i}" for i, p in enumerate(PAYLOADS * 3)][:60]


class MarkupAudit(HTMLParser):
    """What the HTML really contains as markup (text inside attributes is not markup)."""

    def __init__(self) -> None:
        super().__init__()
        self.findings: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action") and re.match(r"\s*javascript:", value or "", re.I):
                self.findings.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and "__wsdoc" in data:
            self.findings.append(f"<script>{data[:60]}")


def hostile_paths() -> list[str]:
    pieces = ["..", "%2e%2e", "%2f", "%5c", "%00", ".", "~", "CON", "a" * 300, "%252e%252e"]
    paths = [f"/api/v2/{a}/{b}" for a in pieces for b in pieces[:9]]
    paths += [f"/api/v2/Case{i}" for i in range(10)] + [f"/api/v2/case{i}" for i in range(10)]
    return paths  # 110


def curl(*args: str) -> None:
    subprocess.run(["curl", "-sS", "-g", "--path-as-is", "-o", "/dev/null", "--max-time", "30",
                    *args], check=True, timeout=60)


def record(folder: Path, name: str, send: Any, routes: dict[str, Any]) -> Path:
    store = folder / f"{name}.sqlite"
    with serve(routes) as upstream, run_proxy(upstream, store) as proxy:
        send(proxy.url)
    out = folder / name
    done = build(store, out)
    assert done.returncode == 0, done.stderr
    return out


def send_payloads(base: str) -> None:
    """Each payload in a path segment, a query name and value, a header, a JSON key and
    value of the request; the upstream echoes them in headers and JSON keys and values."""
    for i, payload in enumerate(PAYLOADS):
        body = json.dumps({"operationName": f"Op{i % 3}", payload: payload})
        curl(f"{base}/api/v2/p{i % 6}?{quote(payload)}={quote(payload)}",
             "-H", f"X-Payload: {payload.splitlines()[0][:100]}",
             "-H", "Content-Type: application/json", "-d", body)
        curl(f"{base}/api/v2/items/{quote(payload, safe='')}")


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    answers = {f"/api/v2/p{i % 6}": (200, [("Content-Type", "application/json"),
                                           ("X-Evil", p.splitlines()[0][:60])],
                                     json.dumps({"statusCode": 0, p: p, "list": [{p: p}]}).encode())
               for i, p in enumerate(PAYLOADS)}
    return record(tmp_path_factory.mktemp("xss"), "site", send_payloads, answers)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def send(base: str) -> None:
        for path in hostile_paths():
            curl(base + path)
    # Answered 200, so each stays an endpoint page of its own (never-2xx requests would all
    # share the one "Unmatched requests" page and their file names would go untested).
    ok = (200, [("Content-Type", "application/json")], b'{"statusCode":0}')
    return record(tmp_path_factory.mktemp("paths"), "site", send,
                  {path.partition("?")[0]: ok for path in hostile_paths()})


def test_files_stay_inside_and_never_collide(hostile_site: Path) -> None:
    files = [p for p in hostile_site.parent.rglob("*") if p.is_file()]
    for path in files:
        assert path.resolve().is_relative_to(hostile_site.parent.resolve()), path
        assert len(path.name) <= 200 and "\0" not in str(path)
    pages = [p for p in (hostile_site / "docs").rglob("*.md")]
    lowered = [str(p).lower() for p in pages]
    assert len(set(lowered)) == len(lowered)  # distinct even on a case-insensitive disk
    endpoints = subprocess.run(
        [str(Path(__import__("sys").executable).parent / "wsdoc"), "endpoints", "--store",
         str(hostile_site.parent / "site.sqlite")], capture_output=True, text=True,
        check=True).stdout
    assert len(pages) >= len([line for line in endpoints.splitlines() if "/api/" in line])


@pytest.mark.parametrize("site", ["xss_site", "hostile_site"])
def test_built_html_holds_no_injected_markup(site: str, request: pytest.FixtureRequest) -> None:
    pages = list((request.getfixturevalue(site) / "public").rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        audit = MarkupAudit()
        audit.feed(page.read_text(errors="replace"))
        assert audit.findings == [], page


def test_no_script_runs_in_chromium(xss_site: Path, browser: Any, artifacts: Path) -> None:
    public = xss_site / "public"
    pages = sorted(p.relative_to(public).as_posix() for p in public.rglob("*.html"))
    dialogs: list[str] = []
    with serve_folder(public) as base:
        context = browser.new_context()
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for relative in pages:
            page.goto(base + relative)
            page.wait_for_load_state("load")
            assert page.evaluate("() => typeof window.__wsdoc_pwned") == "undefined", relative
            handlers = page.evaluate("""() => Array.from(document.querySelectorAll('*'))
                .flatMap(e => Array.from(e.attributes).map(a => a.name))
                .filter(n => n.toLowerCase().startsWith('on'))""")
            assert handlers == [], relative
        page.goto(base + pages[len(pages) // 2])
        page.screenshot(path=str(artifacts / "recorded-hostile-page.png"), full_page=True)
        context.close()
    assert dialogs == []
    print(f"{len(PAYLOADS)} payloads, {len(pages)} pages opened, no script ran")
