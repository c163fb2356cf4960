"""The addon in-process, with mitmproxy's own test helpers (taddons / tflow)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from mitmproxy import exceptions
from mitmproxy.test import taddons, tflow

from addons.recorder import Recorder
from docgen.capture.store import Store
from tests.asyncrun import run_async
from tests.support.hooks import fail, respond


def test_records_response_and_error_flows(tmp_path: Path) -> None:
    async def scenario() -> Recorder:
        recorder = Recorder()
        with taddons.context(recorder) as tctx:
            tctx.configure(recorder, wsdoc_store=str(tmp_path / "a.sqlite"))
            recorder.running()
            await respond(recorder, tflow.tflow(resp=True))
            await fail(recorder, tflow.tflow(err=True))
            flow = tflow.tflow(resp=True)
            await respond(recorder, flow)
            await fail(recorder, flow)  # the same flow is never recorded twice
            recorder.done()
        return recorder

    recorder = run_async(scenario())
    assert recorder.recorded == 3
    with Store(tmp_path / "a.sqlite") as store:
        records = list(store.exchanges())
    assert [r.error is not None for r in records] == [False, True, False]
    assert records[0].status == 200 and records[0].response_body.content == b"message"


def test_filter_skips_and_counts(tmp_path: Path) -> None:
    async def scenario() -> Recorder:
        recorder = Recorder()
        with taddons.context(recorder) as tctx:
            tctx.configure(recorder, wsdoc_store=str(tmp_path / "f.sqlite"),
                           wsdoc_filter="~m POST")
            recorder.running()
            await respond(recorder, tflow.tflow(resp=True))  # a GET
            recorder.done()
        return recorder

    recorder = run_async(scenario())
    assert (recorder.recorded, recorder.skipped) == (0, 1)


@pytest.mark.parametrize("option,value", [
    ("wsdoc_filter", "~q ~~("),
    ("wsdoc_max_body", -1),
    ("wsdoc_redact", ["re:(unclosed"]),
    ("wsdoc_store", "/proc/nowhere/x.sqlite"),
    ("wsdoc_durability", "sometimes"),
])
def test_bad_options_raise_options_error(tmp_path: Path, option: str, value: object) -> None:
    async def scenario() -> None:
        recorder = Recorder()
        with taddons.context(recorder) as tctx:
            tctx.configure(recorder, wsdoc_store=str(tmp_path / "o.sqlite"))
            with pytest.raises(exceptions.OptionsError):
                tctx.configure(recorder, **{option: value})
            recorder.done()

    run_async(scenario())


def test_async_durability_still_records_everything(tmp_path: Path) -> None:
    async def scenario() -> None:
        recorder = Recorder()
        with taddons.context(recorder) as tctx:
            tctx.configure(recorder, wsdoc_store=str(tmp_path / "y.sqlite"),
                           wsdoc_durability="async")
            recorder.running()
            for _ in range(20):
                await respond(recorder, tflow.tflow(resp=True))
            recorder.done()  # flushes the queue

    run_async(scenario())
    with Store(tmp_path / "y.sqlite") as store:
        assert store.count() == 20


def test_running_freezes_start_up_objects_out_of_full_collections(tmp_path: Path) -> None:
    gc.unfreeze()
    recorder = Recorder()

    async def scenario() -> int:
        with taddons.context(recorder) as tctx:
            tctx.configure(recorder, wsdoc_store=str(tmp_path / "f.sqlite"))
            recorder.running()
            frozen = gc.get_freeze_count()
            recorder.done()
        return frozen

    assert run_async(scenario()) > 10_000  # mitmproxy's and wsdoc's modules, at least
