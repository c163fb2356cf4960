"""Session inference: Basic in, JSESSIONID and X-CSRF-TOKEN out, sent back later; what works
without credentials; response headers per status; client defaults never required."""

from __future__ import annotations

from dataclasses import replace

from docgen.infer.builder import build_model
from docgen.infer.config import Config
from docgen.infer.session import sent_cookies
from tests.support.site_models import MASK, session_capture


def test_session_flow_is_inferred_from_traffic() -> None:
    model = build_model(session_capture(), Config())
    session = model.session
    assert session is not None
    assert session.schemes == {"basic": 4, "none": 1}
    assert [c.name for c in session.cookies] == ["JSESSIONID"]
    assert session.cookies[0].set_by == ["GET /api/v2/me"] and session.cookies[0].sent == 3
    assert [h.name for h in session.headers] == ["X-CSRF-TOKEN"]  # X-CSRF-HEADER never sent
    csrf = session.headers[0]
    assert csrf.answered_methods == {"GET": 2} and csrf.sent_methods == {"POST": 1}
    assert csrf.example == MASK and csrf.missing == {403: 1}
    assert [(e.method, e.template) for e in session.open_endpoints] == [
        ("GET", "/api/v2/diagnostics/version")]
    assert session.login is not None and session.login.path == "/api/v2/me"


def test_response_headers_per_status_and_defaults_not_required() -> None:
    model = build_model(session_capture(), Config())
    me = model.endpoint("GET", "/api/v2/me")
    assert me is not None
    headers = {h.name: h for h in me.responses[200].headers}
    assert "Date" not in headers  # says nothing about the API
    assert (headers["X-CSRF-TOKEN"].seen, headers["X-CSRF-TOKEN"].total) == (2, 2)
    assert headers["X-CSRF-TOKEN"].examples == [MASK]
    assert (headers["Set-Cookie"].seen, headers["Set-Cookie"].required) == (1, False)
    # curl's `Accept: */*` is what every client sends: never documented as required.
    assert [p.name for p in me.operations[0].request_headers] == []
    typed = replace(session_capture()[1], request_headers=[("Accept", "application/json")])
    model = build_model([typed], Config())
    ep = model.endpoint("GET", "/api/v2/me")
    assert ep is not None and [p.name for p in ep.operations[0].request_headers] == ["accept"]


def test_sent_cookie_names_and_a_header_that_does_not_parse() -> None:
    assert sent_cookies("JSESSIONID=[REDACTED]; lang=en") == ("JSESSIONID", "lang")
    assert sent_cookies("JSESSIONID=[REDACTED]; lang=en") == ("JSESSIONID", "lang")  # cached
    assert sent_cookies('a="unterminated') == () and sent_cookies("") == ()
