"""The Authentication page and its first-requests block, built from inferred sessions; the
block really sets what the examples need (run in bash against gwssim in tests/docgen/cli)."""

from __future__ import annotations

import subprocess

from docgen.infer.builder import build_model
from docgen.infer.config import Config
from docgen.infer.model import ApiModel
from docgen.infer.session_doc import SessionCookie, SessionDoc, SessionHeader
from docgen.publish.site.auth import first_requests, render_auth
from tests.support.site_models import exchange, session_capture


def test_page_shows_schemes_session_and_open_endpoints() -> None:
    model = build_model(session_capture(), Config())
    page = render_auth(model, "http://localhost:8090", ["JSESSIONID", "CSRF_TOKEN"],
                       ["ksippo"])
    assert "| HTTP Basic (curl -u user:password) | 4 |" in page
    assert "Header <code>X-CSRF-TOKEN</code>" in page and "HTTP 403 &#215;1" in page
    assert "Cookie <code>JSESSIONID</code>" in page
    assert "<code>/api/v2/diagnostics/version</code> (1 request)" in page
    block = page.split("## First requests", 1)[1]
    assert ('curl -sS -o /dev/null -c jar -D headers -u "$USERNAME:$PASSWORD" '
            "http://localhost:8090/api/v2/me") in block
    assert "export JSESSIONID=$(awk '$6 == \"JSESSIONID\" {print $7}' jar)" in block
    assert "export CSRF_TOKEN=" in block


def test_block_reads_cookie_and_header_files_in_bash(tmp_path) -> None:
    """The export lines read curl's jar and header dump as curl writes them."""
    doc = SessionDoc(cookies=[SessionCookie("JSESSIONID", sent=1)],
                     headers=[SessionHeader("X-CSRF-TOKEN", sent=1)],
                     login=exchange("GET", "/api/v2/me", 200, {"statusCode": 0}))
    lines = first_requests(ApiModel(title="t", session=doc), "http://h", ["JSESSIONID",
                                                                        "CSRF_TOKEN"], [])
    exports = [line for line in lines.splitlines() if line.startswith("export ")]
    (tmp_path / "jar").write_text("#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t0\tJSESSIONID\tabc\n")
    (tmp_path / "headers").write_bytes(b"HTTP/1.1 200 OK\r\nX-CSRF-TOKEN: t-1\r\n\r\n")
    script = "\n".join([*(e for e in exports), 'echo "$JSESSIONID $CSRF_TOKEN"'])
    out = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True,
                         text=True, check=True, timeout=30).stdout
    assert out.strip() == "abc t-1"


def test_unknown_placeholders_are_asked_for_and_odd_names_never_reach_the_shell() -> None:
    doc = SessionDoc(cookies=[SessionCookie("x'; rm -rf /", sent=1)])
    block = first_requests(ApiModel(title="t", session=doc), "http://h", ["TOKEN"], [])
    assert '[ -n "${TOKEN+set}" ] || read -rsp "TOKEN: " TOKEN; export TOKEN' in block
    assert "rm -rf" not in block
