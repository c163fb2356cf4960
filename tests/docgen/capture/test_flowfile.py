"""The fast flow-file reader against mitmproxy's own: same values, same records, same errors.

The reference is the import as it was before the fast reader: mitmproxy's `FlowReader`
builds each `HTTPFlow`, `snapshot` + `to_exchange` make the record (as the recorder does),
the same `Redactor` redacts it and `Store.append` writes it. The fast path
(`import_file`, in-process and on worker processes) must leave the very same rows.
Inputs: mitmproxy's own test flow files (tests/fixtures/mitmproxy_flows, flow format
versions 7 to 21, HTTP/2, websockets, errors, corrupted gzip), a flow file of synthetic
Web Services traffic large enough for several worker chunks, and a real session recorded
here by `mitmdump -w` in front of gwssim.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mitmproxy import http
from mitmproxy.io import tnetstring

from docgen.capture import flowfile, import_pool
from docgen.capture.importer import import_file, read_flows
from docgen.capture.redact import RedactionError, Redactor
from docgen.capture.store import COLUMNS, Store
from docgen.errors import WsdocError
from tests.support.flow_files import write_flow_file
from tests.support.recorded_session import RecordedSession, record_session

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "mitmproxy_flows"
FLOW_FILES = sorted(FIXTURES.glob("*.mitm"))
UNREADABLE = {"dumpfile-010.mitm"}  # a format older than mitmproxy 11 can migrate
READABLE = [path for path in FLOW_FILES if path.name not in UNREADABLE]
REDACT_RULES = ("re:[Mm]ozilla", "wrvUserID")  # so redaction changes these files too


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # A flow without a request timestamp is recorded as started "now" by both readers.
    monkeypatch.setattr(time, "time", lambda: 1_700_000_000.0)


def rows_of(store_path: Path) -> list[tuple[object, ...]]:
    with Store(store_path, readonly=True) as store:
        return store.conn.execute(f"SELECT id, {COLUMNS} FROM exchanges ORDER BY id").fetchall()


def reference_import(path: Path, store_path: Path, redactor: Redactor) -> None:
    """The import through mitmproxy's FlowReader, as `wsdoc import` did it before."""
    redacted = []
    for exchange in read_flows(path):
        try:
            redacted.append(redactor.redact(exchange))
        except RedactionError:
            continue
    with Store(store_path) as store:
        store.append(redacted)


def assert_same_records(path: Path, tmp_path: Path, workers: int) -> int:
    redactor = Redactor(REDACT_RULES)  # one session key for both imports
    reference_import(path, tmp_path / "reference.sqlite", redactor)
    with Store(tmp_path / "fast.sqlite") as store:
        result = import_file(path, store, redactor, workers=workers)
    expected = rows_of(tmp_path / "reference.sqlite")
    assert rows_of(tmp_path / "fast.sqlite") == expected
    assert result.imported == len(expected)
    return len(expected)


@pytest.mark.parametrize("path", FLOW_FILES, ids=lambda path: path.name)
def test_decoder_gives_mitmproxys_values(path: Path) -> None:
    data = path.read_bytes()
    expected, stream = [], io.BytesIO(data)
    while stream.tell() < len(data):
        expected.append(tnetstring.load(stream))
    assert [flowfile.loads(record) for record in flowfile.records(io.BytesIO(data))] == expected


@pytest.mark.parametrize("path", READABLE, ids=lambda path: path.name)
@pytest.mark.parametrize("workers", [1, 2])
def test_same_records_as_flowreader(path: Path, tmp_path: Path, workers: int) -> None:
    assert_same_records(path, tmp_path, workers)


@pytest.mark.parametrize("path", [FIXTURES / name for name in sorted(UNREADABLE)],
                         ids=lambda path: path.name)
def test_unreadable_by_both(path: Path, tmp_path: Path) -> None:
    with pytest.raises(WsdocError):
        list(read_flows(path))
    with Store(tmp_path / "fast.sqlite") as store, pytest.raises(WsdocError) as caught:
        import_file(path, store, Redactor())
    assert "not a readable mitmproxy flow file" in str(caught.value)


def test_many_flows_over_several_workers(tmp_path: Path) -> None:
    def edit(index: int, flow: http.HTTPFlow) -> None:
        flow.request.path = f"/api/v2/users/{index:032x}?fields=*&n={index}"
        flow.request.headers["Cookie"] = f"JSESSIONID=s{index % 3}"
        assert flow.response is not None
        flow.response.set_content(b'{"statusCode": 0, "password": "p%d"}' % index)
        flow.response.headers["content-type"] = "application/json"

    path = write_flow_file(tmp_path / "many.mitm", 3 * import_pool.CHUNK + 7, edit,
                           err=lambda index: index % 50 == 0)
    assert assert_same_records(path, tmp_path, workers=2) == 3 * import_pool.CHUNK + 7


def test_a_worker_that_dies_is_an_error_not_a_wait(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_flow_file(tmp_path / "some.mitm", 2 * import_pool.CHUNK + 1, lambda i, f: None)
    convert = import_pool.convert_span

    def dies_on_its_second_chunk(span: import_pool.Span) -> Any:
        if span[0] > 0:
            os._exit(3)  # as if killed: no answer, its channel closes
        return convert(span)

    monkeypatch.setattr(import_pool, "convert_span", dies_on_its_second_chunk)  # forked too
    with Store(tmp_path / "s.sqlite") as store, pytest.raises(WsdocError) as caught:
        import_file(path, store, Redactor(), workers=2)
    assert "an import worker process ended before its work was done" in str(caught.value)


def test_tasks_are_cut_by_records_and_by_bytes(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def edit(index: int, flow: http.HTTPFlow) -> None:
        assert flow.response is not None
        flow.response.set_content(b"x" * (50_000 if index % 10 == 0 else 100))

    path = write_flow_file(tmp_path / "sizes.mitm", 40, edit)
    monkeypatch.setattr(import_pool, "CHUNK", 8)
    monkeypatch.setattr(import_pool, "CHUNK_BYTES", 40_000)
    data = path.read_bytes()
    chunks = [list(flowfile.records(io.BytesIO(data[start:end])))
              for start, end in import_pool._chunks(path)]
    assert b"".join(b"".join(chunk) for chunk in chunks) == data  # whole records, in order
    assert sum(map(len, chunks)) == 40
    assert all(len(chunk) <= 8 for chunk in chunks)
    # a chunk closes on the record that takes it past the byte bound: a big body ends one
    assert all(sum(map(len, chunk[:-1])) < 40_000 for chunk in chunks)
    assert [len(chunk) for chunk in chunks] == [1, 8, 2, 8, 2, 8, 2, 8, 1]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> RecordedSession:
    return record_session(tmp_path_factory.mktemp("recorded"))


def test_same_records_on_flows_recorded_from_gwssim(recorded: RecordedSession,
                                                    tmp_path: Path) -> None:
    assert assert_same_records(recorded.flows, tmp_path, workers=2) > 100


@pytest.mark.parametrize("data", [
    b"5:hello", b"5:hello!", b"3:abc,x", b"x:abc,", b"3:a,}", b"1:x^", b"4:true~",
    b"7:1:a,1:b,]", b"9:1:a,1:b,}", b"6:3:abc,}", b"0:~0:~",
])
def test_bad_tnetstrings_are_errors(data: bytes) -> None:
    with pytest.raises(flowfile.FlowFileError):
        flowfile.loads(data)


def test_cut_short_file_is_an_error() -> None:
    with pytest.raises(flowfile.FlowFileError, match="cut short"):
        list(flowfile.records(io.BytesIO(b"10:abc")))


@pytest.mark.parametrize("data", [
    b"", b"5:hello,3:abc,", b"5:hello,3:abc", b"10:abc", b"abc", b"x" * 20,
    b"5:hello,1x:a,", b"5:hello," + b"9" * 20,
])
def test_record_spans_cut_where_records_do_with_the_same_errors(data: bytes) -> None:
    def outcome(read: Callable[[], list[bytes]]) -> tuple[list[bytes], str]:
        cut: list[bytes] = []
        try:
            cut.extend(read())
        except flowfile.FlowFileError as exc:
            return cut, str(exc)
        return cut, ""

    spans = outcome(lambda: [data[start:end] for start, end in
                             flowfile.record_spans(io.BytesIO(data), len(data))])
    assert spans == outcome(lambda: list(flowfile.records(io.BytesIO(data))))


def test_records_across_read_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    values = [{"a": [1, 2.5, None, True, False], "b": b"x" * 40, "c": "\u00e9t\u00e9"}] * 9
    data = b"".join(tnetstring.dumps(value) for value in values)
    monkeypatch.setattr(flowfile, "READ_SIZE", 7)
    assert [flowfile.loads(r) for r in flowfile.records(io.BytesIO(data))] == values
