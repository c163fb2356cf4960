"""Decode and redact imported flows on every core, in order, with memory kept flat.

The parent process only finds where records start and end (`flowfile.record_spans`, by
their length prefixes: bodies are not read there) and inserts finished rows; worker
processes read their stretch of the file themselves and do the costly part: cut it into
records, decode each tnetstring, build the snapshot and the record (`to_exchange`, as the
recorder does), redact it and turn it into a store row. Rows, not `Exchange` objects, come
back because they pickle several times cheaper; the file's bytes never cross a pipe. At most
`2 × workers` chunks are in flight, so a 2 GB file never sits in memory, and results are
taken in file order so ids follow the file.

Workers are forked: they inherit the parent's `Redactor`, session key included, so a
session tag is the same whichever process computed it.
"""

from __future__ import annotations

import io
import os
import pickle
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from docgen.capture import flowfile
from docgen.capture.cores import available_cores, frozen_heap
from docgen.capture.forks import Channel, Forked, Receiver, fork
from docgen.capture.record import Exchange
from docgen.capture.redact import RedactionError, Redactor
from docgen.capture.snapshot import to_exchange
from docgen.capture.store import to_row
from docgen.errors import WsdocError

CHUNK = 500  # records per task: big enough to amortise a round trip, small enough to balance
CHUNK_BYTES = 2 << 20  # and at most this much of the file, so large bodies keep memory flat
ROWS_PER_TRANSACTION = 1000  # the last one is inserted after all work: kept short
MIN_PARALLEL_BYTES = 4 << 20  # below this a pool costs more than it saves
Row = tuple[Any, ...]
Converted = tuple[list[Row], int]  # rows, and how many exchanges could not be redacted
Span = tuple[int, int]  # (start, end) offsets of whole records in the flow file


# -- one chunk (runs in a worker, or in-process for small files) --------------------------

_redactor = Redactor()
_max_body = 0
_source: Path | None = None


def _setup(redactor: Redactor, max_body: int, source: Path) -> None:
    global _redactor, _max_body, _source
    _redactor, _max_body, _source = redactor, max_body, source


def redacted_rows(exchanges: Iterable[Exchange], redactor: Redactor) -> Converted:
    rows, skipped = [], 0
    for exchange in exchanges:
        try:
            rows.append(to_row(redactor.redact(exchange)))
        except RedactionError:
            skipped += 1
    return rows, skipped


def convert_records(chunk: list[bytes]) -> tuple[list[Row], int, int]:
    """Rows of the HTTP flows among raw records, the redaction failures and the number of
    HTTP flows read; FlowFileError for a record that is not a flow."""
    exchanges = []
    for record in chunk:
        snap = flowfile.state_snapshot(flowfile.read_state(record))
        if snap is not None:
            exchanges.append(to_exchange(snap, _max_body))
    rows, skipped = redacted_rows(exchanges, _redactor)
    return rows, skipped, len(exchanges)


def convert_span(span: Span) -> tuple[list[Row], int, int]:
    """`convert_records` of the records between two offsets of the flow file being
    imported, read here; FlowFileError when they are no longer there whole."""
    assert _source is not None, "_setup names the file first"
    start, end = span
    with _source.open("rb") as handle:  # one open per chunk of hundreds of records
        handle.seek(start)
        data = handle.read(end - start)
    return convert_records(list(flowfile.records(io.BytesIO(data))))


# -- the whole file ------------------------------------------------------------------------


def _chunks(path: Path) -> Iterator[Span]:
    """Spans of up to CHUNK records, closed by the record that takes one past CHUNK_BYTES."""
    start = count = 0
    with path.open("rb", buffering=flowfile.READ_SIZE) as handle:
        size = os.fstat(handle.fileno()).st_size
        for record_start, end in flowfile.record_spans(handle, size):
            if not count:
                start = record_start
            count += 1
            if count >= CHUNK or end - start >= CHUNK_BYTES:
                yield start, end
                count = 0
    if count:
        yield start, end


def _in_process(chunks: Iterator[Span]) -> Iterator[tuple[list[Row], int, int]]:
    for chunk in chunks:
        yield convert_span(chunk)


def _in_workers(workers: list[Forked], chunks: Iterator[Span], window: int
                ) -> Iterator[tuple[list[Row], int, int]]:
    """Chunks dealt to the workers in turn, at most `window` in flight, and their results
    taken in the same order. A chunk's offsets are a few bytes, so sending never waits for a
    worker; answers are read ahead (forks.Receiver), so no worker waits on the parent."""
    answers = Receiver()
    pending = 0
    read_all = False
    try:
        for number, chunk in enumerate(chunks):
            worker = workers[number % len(workers)]
            worker.channel.send_bytes(pickle.dumps(chunk))
            answers.expect(worker.channel)
            pending += 1
            if pending >= window:
                pending -= 1
                yield _result(answers)
        for _ in range(pending):
            yield _result(answers)
        read_all = True
    finally:  # after an error its thread may wait in recv until the workers are stopped
        answers.close(timeout=5.0 if read_all else 0.0)


def _result(answers: Receiver) -> tuple[list[Row], int, int]:
    try:
        ok, value = pickle.loads(answers.next())
    except EOFError:
        raise WsdocError("an import worker process ended before its work was done") from None
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


def _serve(channel: Channel) -> None:
    """A worker's whole life: convert each span it is sent, until its parent closes."""
    while True:
        try:
            span = pickle.loads(channel.recv_bytes())
        except EOFError:
            return
        reply: tuple[bool, Any]
        try:
            reply = (True, convert_span(span))
        except Exception as exc:  # noqa: BLE001 - raised in the parent, as from its own work
            reply = (False, exc)
        try:
            payload = pickle.dumps(reply, pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - an exception that does not pickle
            payload = pickle.dumps((False, RuntimeError(repr(reply[1]))))
        channel.send_bytes(payload)


def flow_file_rows(path: Path, redactor: Redactor, max_body: int,
                   workers: int | None = None) -> Iterator[Converted]:
    """Batches of store rows (up to ROWS_PER_TRANSACTION each) from a flow file, in file
    order; WsdocError when the file stops being a readable flow file."""
    if workers is None:
        workers = available_cores() if path.stat().st_size >= MIN_PARALLEL_BYTES else 1
    _setup(redactor, max_body, path)
    with frozen_heap():
        yield from _rows(path, workers, redactor, max_body)


def _rows(path: Path, workers: int, redactor: Redactor, max_body: int
          ) -> Iterator[Converted]:
    forked: list[Forked] = []
    flows = 0
    batch: list[Row] = []
    skipped = 0
    completed = False
    try:
        if workers > 1:
            forked = [fork(_serve) for _ in range(workers)]
        converted = _in_workers(forked, _chunks(path), 2 * workers) if forked else \
            _in_process(_chunks(path))
        for rows, failed, read in converted:
            flows += read
            batch.extend(rows)
            skipped += failed
            if len(batch) >= ROWS_PER_TRANSACTION:
                yield batch, skipped
                batch, skipped = [], 0
        completed = True
    except flowfile.FlowFileError as exc:
        raise WsdocError(f"{path}: not a readable mitmproxy flow file after about {flows} "
                         f"flows ({exc})") from None
    except (ValueError, KeyError, TypeError) as exc:  # an old format mitmproxy cannot
        # migrate, or a state without the fields of an HTTP flow
        raise WsdocError(f"{path}: not a readable mitmproxy flow file after about {flows} "
                         f"flows ({type(exc).__name__}: {exc})") from None
    finally:
        for worker in forked:  # idle when all went well, and then they end; else killed
            worker.stop(timeout=5.0 if completed else 0.0)
    if batch or skipped:
        yield batch, skipped
