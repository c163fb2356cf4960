"""mitmproxy flow files written from mitmproxy's own test flows, for the import tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mitmproxy import http
from mitmproxy import io as mitmproxy_io
from mitmproxy.test import tflow


def write_flow_file(path: Path, count: int, edit: Callable[[int, http.HTTPFlow], None],
                    err: Callable[[int], bool] = lambda index: False) -> Path:
    """`count` test flows with a response (an error too where `err(index)`), each changed
    by `edit(index, flow)` (whose `flow.response` is set), written with FlowWriter."""
    with path.open("wb") as handle:
        writer = mitmproxy_io.FlowWriter(handle)
        for index in range(count):
            flow = tflow.tflow(resp=True, err=err(index))
            assert flow.response is not None
            edit(index, flow)
            writer.add(flow)
    return path
