"""`wsdoc build`, `wsdoc serve` and `wsdoc demo` as a user runs them, and the end-to-end
check: a real curl session recorded through `wsdoc record` becomes a site whose curl
examples, run against the simulator, get the recorded status."""

from __future__ import annotations

import html
import json
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from docgen.capture.store import Store
from docgen.cli.site import make_server
from docgen.errors import WsdocError
from gwssim.process import run_gwssim
from tests.support.recorded_site import WSDOC, build, record_session
from tests.support.replay import (
    Example,
    first_requests,
    page_examples,
    run_curl,
    run_python,
    session_env,
)
from tests.support.site_models import exchange

needs_curl = pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
TAG = re.compile(r"<[^>]+>")


def synthetic_store(path: Path) -> Path:
    with Store(path) as store:
        store.append([
            exchange("GET", "/api/v2/diagnostics/version", 200,
                     {"statusCode": 0, "version": "8.5.202.34"}),
            exchange("GET", "/api/v2/me", 200, {"statusCode": 0, "user": {"userName": "k"}}),
            exchange("POST", "/api/v2/me/channels/voice", 200, {"statusCode": 0},
                     {"operationName": "Ready"}),
            exchange("POST", "/api/v2/me/channels/voice", 400,
                     {"statusCode": 2, "statusMessage": "no session"},
                     {"operationName": "NotReady"}, reason="Bad Request"),
        ])
    return path


def test_build_writes_config_docs_and_public(tmp_path: Path) -> None:
    store = synthetic_store(tmp_path / "s.sqlite")
    done = build(store, tmp_path / "site", "--base-url", "http://gws.example:8090/")
    assert done.returncode == 0, done.stderr
    site = tmp_path / "site"
    assert "site built" in done.stdout and "wsdoc serve --out" in done.stdout
    assert (site / "mkdocs.yml").is_file() and (site / "docs/.wsdoc-manifest.json").is_file()
    assert (site / "descriptions/index.md").is_file()
    page = (site / "public/me/post-api-v2-me-channels-voice.html").read_text()
    assert "http://gws.example:8090/api/v2/me/channels/voice" in html.unescape(TAG.sub("", page))
    assert json.loads((site / "public/openapi.json").read_text())["openapi"].startswith("3.")


def test_rebuild_keeps_descriptions_and_hand_written_pages(tmp_path: Path) -> None:
    store = synthetic_store(tmp_path / "s.sqlite")
    site = tmp_path / "site"
    assert build(store, site).returncode == 0
    (site / "descriptions/get-api-v2-me.md").write_text("The **logged-in** agent.\n")
    (site / "docs/intro.md").write_text("# Introduction\n\nRead me first.\n")
    done = build(store, site)
    assert done.returncode == 0, done.stderr
    assert "1 hand-written pages kept" in done.stdout
    assert "The <strong>logged-in</strong> agent." in (
        site / "public/me/get-api-v2-me.html").read_text()
    assert "Read me first." in (site / "public/intro.html").read_text()
    assert (site / "descriptions/get-api-v2-me.md").read_text() == "The **logged-in** agent.\n"


@pytest.mark.parametrize(("args", "message"), [
    (["--store", "missing.sqlite"], "no store at missing.sqlite"),
    (["--base-url", "ftp://x"], "--base-url must be an http"),
])
def test_build_errors_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    synthetic_store(tmp_path / "wsdoc.sqlite")
    done = subprocess.run([WSDOC, "build", "--out", "site", *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"wsdoc: error: {done.stderr.split(': ', 2)[2]}"
                                                .strip()]
    assert message in done.stderr


def test_strict_mkdocs_failure_reports_its_first_error(tmp_path: Path) -> None:
    store = synthetic_store(tmp_path / "s.sqlite")
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "docs/broken.md").write_text("# Broken\n\n[x](no-such-page.md)\n")
    done = build(store, site)
    assert done.returncode == 2
    assert "mkdocs build failed: WARNING" in done.stderr and "no-such-page.md" in done.stderr


def test_serve_answers_on_loopback(tmp_path: Path) -> None:
    with pytest.raises(WsdocError, match="no built site"):
        make_server(tmp_path, 0)
    (tmp_path / "public").mkdir()
    (tmp_path / "public/index.html").write_text("<h1>hi</h1>")
    server = make_server(tmp_path, 0)
    host, port = server.server_address[:2]
    assert host == "127.0.0.1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as answer:
            assert answer.read() == b"<h1>hi</h1>"
    finally:
        server.shutdown()
        server.server_close()


def serve_until_sigint(folder: Path, command: list[str]) -> str:
    """Start `wsdoc serve` as a shell's background job starts it (SIGINT ignored, which
    Python then keeps ignoring unless told otherwise), fetch its index page, stop it with
    SIGINT; the page. The server must stop, quietly, within 10 s."""
    proc = subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert url, line
        with urllib.request.urlopen(url.group(0), timeout=10) as answer:
            page = answer.read().decode()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=10)
        assert proc.returncode == 0 and "Traceback" not in err, err
        return page
    finally:
        proc.kill()
        proc.wait(10)


def test_serve_command_prints_its_url_and_stops_on_sigint(tmp_path: Path) -> None:
    (tmp_path / "site/public").mkdir(parents=True)
    (tmp_path / "site/public/index.html").write_text("ok")
    assert serve_until_sigint(tmp_path, [WSDOC, "serve", "--out", "site", "--port", "0"]) == "ok"


# --- end to end: gwssim + wsdoc record + real curl + wsdoc build --------------------------

# Operations whose recorded outcome needs a state first: the same command with this body
# runs before (e.g. DoNotDisturbOff only succeeds after DoNotDisturbOn).
PRECONDITIONS = {
    '"DoNotDisturbOff"': '"DoNotDisturbOn"',
    '"ForwardCallsOff"}': '"ForwardCallsOn","destination":{"phoneNumber":"5999"}}',
    '"StartContactCenterSession","channels":["voice"]}': '"EndContactCenterSession"}',
}


def replay(example: Example, blocks: list[str], workdir: Path, python: bool) -> int:
    """Run one example as a reader would: the first-requests block as the example's user,
    the page's contact center session command for operations, the state the example needs,
    then the example."""
    block, start = blocks
    env = session_env(block, example.user, str(workdir))
    if "-X POST" in example.curl and "StartContactCenterSession" not in example.curl:
        run_curl(start, env)
    for needs, before in PRECONDITIONS.items():
        if needs in example.curl:
            run_curl(example.curl.replace(needs, before), env)
            env = session_env(block, example.user, str(workdir))  # End ends the session
    return run_python(example.python, env) if python else run_curl(example.curl, env)


@pytest.fixture(scope="module")
def recorded_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A site built from a real recorded session; its examples point at a fresh gwssim."""
    folder = tmp_path_factory.mktemp("e2e")
    with run_gwssim() as upstream:
        session, proxy_log = record_session(upstream, folder / "demo.sqlite", users=2)
    assert "curl_session: done" in session
    assert re.search(r"wsdoc: stopped; recorded \d+", proxy_log)
    with run_gwssim() as replay_base:
        done = build(folder / "demo.sqlite", folder / "site", "--base-url", replay_base)
        assert done.returncode == 0, done.stderr
        yield folder / "site", replay_base


@needs_curl
def test_recorded_session_becomes_pages(recorded_site: tuple[Path, str]) -> None:
    site, _ = recorded_site
    public = site / "public"
    home = html.unescape(TAG.sub("", (public / "index.html").read_text()))
    for template in ("/api/v2/diagnostics/version", "/api/v2/me", "/api/v2/users/{userId}",
                     "/api/v2/me/calls/{callId}", "/api/v2/me/devices/{deviceId}/calls"):
        assert template in home
    assert "Server version: 8.5." in home
    calls = html.unescape(TAG.sub("", (public / "me/post-api-v2-me-calls-callid.html")
                                  .read_text()))
    for expected in ("Answer", "Hangup", "Hold", "Retrieve", "Request body", "/operationName",
                     "Path parameters", "callId", '"statusCode": 0',
                     "statusCode 0: success (for operations: accepted",
                     "parameter not valid for the current state"):
        assert expected in calls, expected
    users = html.unescape(TAG.sub("", (public / "users/get-api-v2-users.html").read_text()))
    assert "Query parameters" in users and "subresources" in users and "Filtering with" in users
    me = html.unescape(TAG.sub("", (public / "me/get-api-v2-me.html").read_text()))
    assert "-u ksippo:" in me  # the empty password is shown as recorded
    # Secrets in examples are placeholders; only header tables show the recorder's mask.
    for page in ("me/post-api-v2-me-calls-callid.html", "me/get-api-v2-me.html"):
        for example in page_examples((public / page).read_text()):
            assert "[REDACTED]" not in example.curl + example.python


def site_examples(public: Path) -> list[Example]:
    return [example for page in sorted(public.rglob("*.html"))
            for example in page_examples(page.read_text())]


@needs_curl
@pytest.mark.parametrize("python", [False, True], ids=["curl", "python"])
def test_recorded_examples_replay_with_the_recorded_status(
        recorded_site: tuple[Path, str], tmp_path: Path, python: bool) -> None:
    """The first-requests block, then every example of the site: each gets the status shown
    beside it, except those the page marks as naming an id of the recorded session only."""
    site, base = recorded_site
    blocks = first_requests((site / "public/authentication.html").read_text())
    block = blocks[0]
    assert "export JSESSIONID=" in block and "export CSRF_TOKEN=" in block
    assert len(blocks) == 2 and "StartContactCenterSession" in blocks[1]
    examples = site_examples(site / "public")
    assert len(examples) >= 30
    results = [(example, replay(example, blocks, tmp_path, python))
               for example in examples]
    checked = [(e, got) for e, got in results if not e.recorded_only]
    assert len(checked) >= 20
    mismatched = [(e.curl, e.status, got) for e, got in checked
                  if got != e.status]
    assert mismatched == []
    same = sum(1 for e, got in results if got == e.status)
    kind = "Python" if python else "curl"
    print(f"\n{kind}: {len(results)} examples run, {same} with the recorded status; "
          f"{len(checked)} not marked recorded-only, all matched", file=sys.stderr)


@needs_curl
def test_demo_records_and_builds(tmp_path: Path) -> None:
    done = subprocess.run([WSDOC, "demo", "--out", "site", "--users", "1"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "curl_session: done" in done.stdout
    assert re.search(r"wsdoc: stopped; recorded \d+", done.stdout)
    assert (tmp_path / "site/public/index.html").is_file()
    assert (tmp_path / "demo.sqlite").is_file()
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("wsdoc: serve it with: ") and last.endswith(" serve --out site")
    command = shlex.split(last.removeprefix("wsdoc: serve it with: "))
    serving = serve_until_sigint(tmp_path, [*command, "--port", "0"])  # runs as printed
    assert "<title>" in serving
