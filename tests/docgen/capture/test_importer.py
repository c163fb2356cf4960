"""Import of HAR 1.2 and mitmproxy flow files: detection, base64, redaction, round trip."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from docgen.capture.importer import detect_format, har_entry, import_file, read_flows, read_har
from docgen.capture.redact import Redactor
from docgen.capture.store import Store
from docgen.capture.synthetic import synthetic_traffic
from docgen.errors import WsdocError
from docgen.infer.builder import build_model
from tests.support.har import write_har


@pytest.mark.parametrize("base64_responses", [False, True])
def test_har_round_trip(tmp_path: Path, base64_responses: bool) -> None:
    originals = list(synthetic_traffic(200))
    har = write_har(tmp_path / "capture.data", originals, base64_responses=base64_responses)
    assert detect_format(har) == "har"
    read = list(read_har(har))
    assert len(read) == 200
    for original, copy in zip(originals, read, strict=True):
        assert (copy.method, copy.host, copy.port, copy.path, copy.query, copy.status) == \
            (original.method, original.host, original.port, original.path, original.query,
             original.status)
        assert copy.response_body.content == original.response_body.content
        assert copy.request_body.content == original.request_body.content
        assert copy.response_body.content_type == "application/json"
        assert copy.duration_ms == 12.5
    assert {(e.method, e.template) for e in build_model(read).endpoints} == \
        {(e.method, e.template) for e in build_model(originals).endpoints}


def test_import_redacts_into_the_store(tmp_path: Path) -> None:
    secret = "Basic " + base64.b64encode(b"ksippo:secret").decode()
    exchanges = list(synthetic_traffic(50))
    for ex in exchanges:
        ex.request_headers = [("Authorization", secret), ("Accept", "application/json")]
    har = write_har(tmp_path / "in.har", exchanges)
    with Store(tmp_path / "s.sqlite") as store:
        result = import_file(har, store, Redactor())
        assert (result.format, result.imported, result.skipped) == ("har", 50, 0)
        stored = list(store.exchanges())
    assert len(stored) == 50
    for ex in stored:
        assert ex.header("authorization") != secret
        masked = ex.header("authorization") or ""
        assert "secret" not in base64.b64decode(masked.split()[-1] + "==").decode("latin-1")


def test_har_details() -> None:
    entry = {
        "startedDateTime": "2024-05-01T10:00:00Z",
        "request": {"method": "get", "url": "https://h.example/api/v2/me?fields=*&x=",
                    "headers": [{"name": ":authority", "value": "h"},
                                {"name": "Accept", "value": "application/json"}]},
        "response": {"status": 0, "headers": [], "content": {"size": 10, "mimeType": ""}},
    }
    ex = har_entry(entry)
    assert (ex.method, ex.scheme, ex.port, ex.query) == ("GET", "https", 443,
                                                          [("fields", "*"), ("x", "")])
    assert ex.request_headers == [("Accept", "application/json")]
    assert ex.status is None and ex.error == "no response"
    assert ex.response_body.content is None and ex.response_body.size == 10


@pytest.mark.parametrize("content", [b"", b"hello world", b"<html></html>", b"\x00\x01\x02",
                                     b'{"not": "har"}', b"[1, 2]", b"{broken"])
def test_other_files_get_one_line_errors(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "capture.har"
    path.write_bytes(content)
    with pytest.raises(WsdocError) as caught:
        list(read_har(path)) if detect_format(path) == "har" else list(read_flows(path))
    assert "\n" not in str(caught.value)


def test_mitmproxy_flow_file(tmp_path: Path) -> None:
    from mitmproxy import io
    from mitmproxy.test import tflow

    path = tmp_path / "flows"
    with path.open("wb") as handle:
        writer = io.FlowWriter(handle)
        for index in range(3):
            flow = tflow.tflow(resp=True)
            assert flow.response is not None
            flow.request.path = f"/api/v2/users/1e553fa1b4164908a5f36d43cec9608{index}?fields=*"
            flow.response.set_content(b'{"statusCode": 0}')
            flow.response.headers["content-type"] = "application/json"
            writer.add(flow)
    assert detect_format(path) == "flows"
    exchanges = list(read_flows(path))
    assert [e.query for e in exchanges] == [[("fields", "*")]] * 3
    assert exchanges[0].response_body.content == b'{"statusCode": 0}'
    model = build_model(exchanges)
    assert [e.template for e in model.endpoints] == ["/api/v2/users/{userId}"]
    with Store(tmp_path / "s.sqlite") as store:
        assert import_file(path, store, Redactor()).imported == 3


def test_truncated_flow_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "flows"
    path.write_bytes(b"123:abc")
    with pytest.raises(WsdocError, match="not a readable mitmproxy flow file"):
        list(read_flows(path))
