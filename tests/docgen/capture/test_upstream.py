"""Upstream failure kinds and the once-per-kind log line."""

from __future__ import annotations

from mitmproxy import flow
from mitmproxy.test import tflow

from docgen.capture.upstream import UpstreamFailures, failure_kind


def test_kinds_from_mitmproxy_messages() -> None:
    assert failure_kind("[Errno 111] Connect call failed ('127.0.0.1', 1)") == \
        "refused the connection"
    assert failure_kind("TimeoutError: timed out") == "timed out"
    assert failure_kind("[Errno -2] Name or service not known") == \
        "has a name that does not resolve"
    assert failure_kind("TLS handshake failed: certificate verify failed") == "failed TLS"
    assert failure_kind("Server disconnected.") == "closed the connection"
    assert failure_kind("Client disconnected.") is None  # the client's doing, not the server's
    assert failure_kind("something new") == "failed"


def test_one_line_per_kind() -> None:
    failures = UpstreamFailures()

    def failed(message: str) -> tflow.http.HTTPFlow:
        f = tflow.tflow()
        f.error = flow.Error(message)
        return f

    first = failures.first(failed("[Errno 111] Connect call failed"))
    assert first is not None and "refused the connection" in first and "GET /path" in first
    assert failures.first(failed("[Errno 111] Connect call failed")) is None
    assert failures.first(failed("Server disconnected.")) is not None
    assert failures.first(failed("Client disconnected.")) is None
