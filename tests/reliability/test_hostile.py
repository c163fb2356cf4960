"""Hostile traffic through the real recorder: the client gets exactly what it would get
without the proxy, the proxy never logs an addon error, keeps serving, and every case
is recorded (with at most one warning)."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from docgen.capture.store import Store
from docgen.cli.processes import Proxy, run_proxy
from tests.reliability.hostile_cases import Case, all_cases
from tests.support.upstream import ECHO, serve

CASES = all_cases()


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Proxy, Path]]:
    folder = tmp_path_factory.mktemp("hostile")
    routes = {f"/case/{i}": case.route for i, case in enumerate(CASES) if case.route}
    with serve(routes) as upstream, run_proxy(upstream, folder / "h.sqlite") as proxy:  # type: ignore[arg-type]
        yield upstream, proxy, folder


def target(index: int, case: Case) -> str:
    return f"/case/{index}" if case.route else f"{ECHO}/{index}{case.path}"


def fetch(base: str, index: int, case: Case, folder: Path) -> tuple[str, str]:
    out = folder / f"out-{index}"
    out.unlink(missing_ok=True)
    args = ["curl", "-sS", "--path-as-is", "-g", "--max-time", "60", "-o", str(out),
            "-w", "%{http_code}", "-X", case.method]
    for header in case.headers:
        args += ["-H", header]
    if case.body is not None:
        payload = folder / f"body-{index}"
        payload.write_bytes(case.body)
        args += ["--data-binary", f"@{payload}"]
    done = subprocess.run([*args, base + target(index, case)], capture_output=True,
                          timeout=90)
    body = out.read_bytes() if out.exists() else b""
    return done.stdout.decode(), hashlib.sha256(body).hexdigest()


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c.name for c in CASES])
def test_client_gets_identical_bytes(setup: tuple[str, Proxy, Path], index: int) -> None:
    upstream, proxy, folder = setup
    case = CASES[index]
    assert fetch(upstream, index, case, folder) == fetch(proxy.url, index, case, folder)


def test_proxy_kept_serving_and_recorded_every_case(setup: tuple[str, Proxy, Path]) -> None:
    upstream, proxy, folder = setup
    health = fetch(proxy.url, 0, CASES[0], folder)
    assert health[0] == "200"
    log = proxy.stop()
    assert "Addon error" not in log and "Traceback" not in log
    with Store(folder / "h.sqlite") as store:
        paths = [ex.path + ("?" if ex.query else "") for ex in store.exchanges()]
    for index, case in enumerate(CASES):
        prefix = target(index, case).partition("?")[0]
        assert any(p.startswith(prefix) for p in paths), case.name
    warnings = [line for line in log.splitlines() if "wsdoc:" in line and "recorded as is" in line]
    for index, case in enumerate(CASES):
        path = target(index, case).partition("?")[0]
        mine = [w for w in warnings if f" {path}:" in w or f" {path[:80]}:" in w]
        assert len(mine) <= 2, (case.name, mine)  # at most one per message (request, response)
