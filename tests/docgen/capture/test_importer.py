"""Import of HAR 1.2 and mitmproxy flow files: detection, base64, redaction, round trip."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from copy import deepcopy
from pathlib import Path
from typing import Any

import pytest

from docgen.capture.importer import detect_format, har_entry, import_file, read_flows, read_har
from docgen.capture.redact import Redactor
from docgen.capture.store import Store
from docgen.capture.synthetic import synthetic_traffic
from docgen.errors import WsdocError
from docgen.infer.builder import build_model
from tests.support.flow_files import write_flow_file
from tests.support.har import write_har

CORPUS = Path(__file__).parents[3] / "tests" / "corpus"
WSDOC = str(Path(sys.executable).parent / "wsdoc")


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
    def edit(index: int, flow: Any) -> None:
        flow.request.path = f"/api/v2/users/1e553fa1b4164908a5f36d43cec9608{index}?fields=*"
        flow.response.set_content(b'{"statusCode": 0}')
        flow.response.headers["content-type"] = "application/json"

    path = write_flow_file(tmp_path / "flows", 3, edit)
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


def test_odd_entries_of_a_real_export_cost_one_warning_each(tmp_path: Path) -> None:
    """Entries of a real capture (tests/corpus), made odd the ways real exports are odd:
    each costs one warning, none stops the import, the good entries all arrive."""
    real = json.loads((CORPUS / "jsonplaceholder-pollyjs.har").read_text(encoding="utf-8"))
    good = real["log"]["entries"]
    odd = [deepcopy(good[0]) for _ in range(7)]
    odd[0]["request"]["method"] = "PROPFIND"  # non-standard method: imported
    odd[1]["request"]["postData"] = {"mimeType": "multipart/form-data; boundary=x",
                                     "params": [{"name": "file", "fileName": "a.txt"}]}
    odd[2]["response"]["content"] = {"mimeType": "application/json", "encoding": "base64",
                                     "text": "not*base64!"}
    del odd[3]["response"]["content"]  # missing content
    odd[4]["response"] = {"status": 0, "headers": []}  # no response
    odd[5]["request"]["method"] = "GET /x HTTP/1.1"  # not a method: skipped
    odd[6]["request"]["postData"] = {"mimeType": "application/x-www-form-urlencoded",
                                     "params": [{"name": "a", "value": "1 2"}]}
    real["log"]["entries"] = [*good, *odd, deepcopy(good[1])]  # and a duplicate
    har = tmp_path / "odd.har"
    har.write_text(json.dumps(real), encoding="utf-8")
    with Store(tmp_path / "s.sqlite") as store:
        result = import_file(har, store, Redactor())
        stored = list(store.exchanges())
    # All but the unreadable one and the exact copy, which the store holds once.
    assert (result.imported, result.duplicates) == (len(good) + 6, 1)
    assert len(result.warnings) == 7  # the form body given as params is simply read
    assert [w.split(":")[0] for w in result.warnings] == \
        [f"HAR entry {i}" for i in (2, 3, 4, 5, 6, 7, 9)]
    assert "non-standard method PROPFIND" in result.warnings[0]
    assert "skipped" in result.warnings[5]
    assert "same as entry 1" in result.warnings[6]
    form = next(e for e in stored if e.request_body.content_type.endswith("urlencoded"))
    assert form.request_body.content == b"a=1+2"
    assert sum(e.status is None for e in stored) == 1


def test_import_command_prints_one_warning_per_odd_entry(tmp_path: Path) -> None:
    real = json.loads((CORPUS / "jsonplaceholder-pollyjs.har").read_text(encoding="utf-8"))
    real["log"]["entries"].append({"request": {"method": "GET"}})  # no URL: skipped
    har = tmp_path / "odd.har"
    har.write_text(json.dumps(real), encoding="utf-8")
    done = subprocess.run([WSDOC, "import", str(har), "--store", str(tmp_path / "s.sqlite")],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("wsdoc: warning:") == 1
    assert "HAR entry 2: skipped (KeyError" in done.stderr
    assert done.stdout.startswith("imported 2 exchanges")
