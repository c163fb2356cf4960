"""wsdoc inference vs mitmproxy2swagger on the same synthetic Web Services flows.

    .venv/bin/python bench/bench_m2s.py [--sizes 10000,30000,100000] [--budget 600]
                                        [--workdir DIR] [--json OUT]

For each size, bench_infer's synthetic store (gwssim traffic patterns) is written once, the
same exchanges are written as a mitmproxy flow file (`mitmproxy.io.FlowWriter`, HTTPFlows
built the way `mitmproxy.test.tflow` builds them), and on the same machine, in the same run,
each measured command runs in its own process under GNU time (wall and CPU seconds, the
process's own peak RSS):

* wsdoc: `build_model` over the store (bench_infer --measure); then, for Python-level
  memory, tracemalloc peaks of `build_model` and of endpoint inference alone (ModelBuilder,
  without the notification correlation of docgen.infer.events);
* mitmproxy2swagger (PyPI, in its own venv bench/.m2s-venv, created on demand): pass 1
  `-i FLOWS -o spec.yaml -p http://gws.example:8090/api/v2 -r ID_REGEX -s -f flow` lists the
  paths as `ignore:` entries of `x-path-templates`; every `ignore:` prefix is removed (its
  README's way of enabling templates); pass 2, same arguments, writes the endpoints;
* for reference, `wsdoc import` of the same flow file (read, redact, store): the cost of
  starting from a flow file instead of a store the recorder wrote.

A process still running after --budget seconds is killed and reported as over budget; no
figure is extrapolated. Each size reports the ratios mitmproxy2swagger / wsdoc (wall, CPU,
peak RSS); `wsdoc_memory` compares wsdoc at the smallest and the largest size (flat: ~1).
Wall time suffers when other work shares the machine; CPU seconds much less.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import bench_infer  # noqa: E402
from docgen.capture.record import Exchange  # noqa: E402
from docgen.capture.store import Store  # noqa: E402
from docgen.capture.synthetic import HOST, PORT  # noqa: E402

M2S_VENV = ROOT / "bench" / ".m2s-venv"
M2S_REQUIREMENT = "mitmproxy2swagger==0.14.0"  # the newest release for Python 3.11
API_PREFIX = f"http://{HOST}:{PORT}/api/v2"
# mitmproxy2swagger's -r: path segments matching it become {id} (default: digits only).
# Given the same id shapes wsdoc knows, so both tools can find the same templates.
ID_REGEX = ("[0-9]+|[0-9a-fA-F]{32}|[0-9A-Z]{32}"
            "|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
DEFAULT_BUDGET_S = 600.0
TIME = "/usr/bin/time"  # GNU time: the measured command's own peak RSS
INSTALL_TIMEOUT_S = 600


def ensure_m2s() -> Path:
    """mitmproxy2swagger's executable, installed into its own venv when missing."""
    executable = M2S_VENV / "bin" / "mitmproxy2swagger"
    if not executable.exists():  # bench/.m2s-venv is gitignored
        python = shutil.which("python3") or sys.executable
        subprocess.run([python, "-m", "venv", str(M2S_VENV)], check=True,
                       timeout=INSTALL_TIMEOUT_S)
        subprocess.run([str(M2S_VENV / "bin" / "pip"), "install", "-q", M2S_REQUIREMENT],
                       check=True, timeout=INSTALL_TIMEOUT_S)
    return executable


def m2s_version() -> str:
    code = "import importlib.metadata as m; print(m.version('mitmproxy2swagger'))"
    done = subprocess.run([str(M2S_VENV / "bin" / "python"), "-c", code], check=True,
                          capture_output=True, text=True, timeout=60)
    return done.stdout.strip()


# -- the flow file -------------------------------------------------------------------------


def to_flow(exchange: Exchange) -> Any:
    """An HTTPFlow carrying one exchange (client/server connections as tflow makes them)."""
    from mitmproxy import http
    from mitmproxy.test import tflow

    ended = exchange.started + (exchange.duration_ms or 0) / 1000
    query = f"?{urlencode(exchange.query)}" if exchange.query else ""
    request = http.Request(
        exchange.host, exchange.port, exchange.method.encode(), exchange.scheme.encode(),
        b"", (exchange.path + query).encode(), b"HTTP/1.1", _headers(exchange.request_headers),
        exchange.request_body.content or b"", None, exchange.started, ended)
    response = http.Response(
        b"HTTP/1.1", exchange.status or 502, exchange.reason.encode(),
        _headers(exchange.response_headers), exchange.response_body.content or b"", None,
        exchange.started, ended)
    return tflow.tflow(req=request, resp=response)


def _headers(pairs: list[tuple[str, str]]) -> Any:
    from mitmproxy import http

    return http.Headers([(name.encode(), value.encode()) for name, value in pairs])


def write_flows(store_path: Path, flows_path: Path) -> None:
    """The store's exchanges as a mitmproxy flow file (kept for the next run)."""
    from mitmproxy import io

    if flows_path.exists():
        return
    partial = flows_path.with_name(flows_path.name + ".partial")
    with Store(store_path, readonly=True) as store, partial.open("wb") as handle:
        writer = io.FlowWriter(handle)
        for exchange in store.exchanges():
            writer.add(to_flow(exchange))
    partial.rename(flows_path)


# -- measuring a child process ----------------------------------------------------------


def run_measured(command: list[str], budget: float, cwd: Path) -> dict[str, Any]:
    """Run one command under /usr/bin/time: wall and CPU seconds, its own peak RSS, stdout.

    The wrapper matters: a child's maximum RSS starts from its parent's at fork, so this
    (large) benchmark process must not be the measured command's parent."""
    report, output = cwd / ".time-report", cwd / ".stdout"
    started = time.perf_counter()
    with output.open("wb") as stdout:
        proc = subprocess.Popen([TIME, "-f", "%U %S %M", "-o", str(report), *command],
                                cwd=cwd, stdout=stdout, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        # A blocking wait, and a timer for the budget: Popen.wait(timeout) polls, sleeping
        # up to 50 ms between looks, which added 25 ms a command on average (5 % of a
        # 10,000-flow wsdoc run) and rounded every time up to a 50 ms step.
        killed = threading.Event()
        watchdog = threading.Timer(budget, _kill_group, (proc.pid, killed))
        watchdog.start()
        try:
            proc.wait()
        finally:
            watchdog.cancel()
    seconds = time.perf_counter() - started
    if killed.is_set():
        return {"status": f"over budget: killed after {budget:g} s",
                "seconds": round(seconds, 2)}
    if proc.returncode != 0:
        raise RuntimeError(f"{command[0]} exited {proc.returncode}: {report.read_text()}")
    user, system, max_rss_kb = report.read_text().split()[-3:]
    return {"status": "ok", "seconds": round(seconds, 3),
            "cpu_seconds": round(float(user) + float(system), 2),
            "peak_rss_mb": round(int(max_rss_kb) / 1024, 1),
            "stdout": output.read_text(errors="replace")}


def _kill_group(pid: int, killed: threading.Event) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:  # it ended as the budget ran out
        return
    killed.set()


# -- the tools -----------------------------------------------------------------------------


def run_wsdoc(store: Path, budget: float) -> dict[str, Any]:
    """build_model over the store (timed run, then traced runs for Python-level memory)."""
    measure = [sys.executable, str(ROOT / "bench" / "bench_infer.py"), "--measure", str(store)]
    timed = run_measured(measure, budget, store.parent)
    traced = run_measured([*measure, "--trace"], budget, store.parent)
    alone = run_measured([sys.executable, __file__, "--trace-inference", str(store)], budget,
                         store.parent)
    result = json.loads(timed.pop("stdout"))
    return {
        "seconds": timed["seconds"], "cpu_seconds": timed["cpu_seconds"],
        "flows_per_s": round(result["flows"] / timed["seconds"]),
        "peak_rss_mb": timed["peak_rss_mb"], "endpoints": result["endpoints"],
        "traced_peak_mb": json.loads(traced["stdout"])["traced_peak_mb"],
        "traced_peak_mb_endpoints_only": json.loads(alone["stdout"])["traced_peak_mb"],
    }


def trace_inference(store: Path) -> dict[str, Any]:
    """Traced peak of endpoint inference alone (ModelBuilder, no notification correlation)."""
    from docgen.infer.builder import ModelBuilder

    tracemalloc.start()
    builder = ModelBuilder()
    with Store(store, readonly=True) as opened:
        for exchange in opened.exchanges():
            builder.add(exchange)
    endpoints = len(builder.finish().endpoints)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"endpoints": endpoints, "traced_peak_mb": round(peak / 2**20, 2)}


def run_m2s(flows: Path, size: int | str, budget: float, prefix: str = API_PREFIX,
            file_format: str = "flow") -> dict[str, Any]:
    """Both passes of mitmproxy2swagger; their times, peak memory and the paths found.
    `size` is the number of flows (or a tag naming the capture)."""
    executable = ensure_m2s()
    spec = flows.with_name(f"m2s-{size}.yaml")
    spec.unlink(missing_ok=True)
    command = [str(executable), "-i", str(flows), "-o", str(spec), "-p", prefix,
               "-r", ID_REGEX, "-s", "-f", file_format]
    passes = []
    for number in (1, 2):
        measured = run_measured(command, budget, flows.parent)
        measured.pop("stdout", None)  # a progress bar
        passes.append(measured)
        if measured["status"] != "ok":
            return {"status": f"pass {number} {measured['status']}", "passes": passes}
        if number == 1:
            enable_templates(spec)
    return {"status": "ok", "passes": passes,
            "seconds": round(sum(p["seconds"] for p in passes), 2),
            "cpu_seconds": round(sum(p["cpu_seconds"] for p in passes), 2),
            "flows_per_s": (round(size / sum(p["seconds"] for p in passes))
                            if isinstance(size, int) else None),
            "peak_rss_mb": max(p["peak_rss_mb"] for p in passes),
            "endpoints": _spec_endpoints(spec)}


def enable_templates(spec: Path) -> None:
    """Enable every template pass 1 proposed: drop the `ignore:` prefixes (its README's way)."""
    text = spec.read_text()
    spec.write_text(re.sub(r"^(\s*-\s+)ignore:", r"\1", text, flags=re.MULTILINE))


def _spec_endpoints(spec: Path) -> list[str]:
    import yaml

    document = yaml.safe_load(spec.read_text())
    return sorted(f"{method.upper()} {path}" for path, item in (document.get("paths") or {})
                  .items() for method in item)


def run_wsdoc_import(flows: Path, size: int, budget: float) -> dict[str, Any]:
    """`wsdoc import` of the flow file into a fresh store (read, redact, write)."""
    store = flows.with_name(f"imported-{size}.sqlite")
    for stale in flows.parent.glob(store.name + "*"):
        stale.unlink()
    wsdoc = str(Path(sys.executable).parent / "wsdoc")
    measured = run_measured([wsdoc, "import", str(flows), "--store", str(store)], budget,
                            flows.parent)
    measured.pop("stdout", None)
    if measured["status"] == "ok":
        measured["flows_per_s"] = round(size / max(measured["seconds"], 0.01))
    return measured


# -- the report --------------------------------------------------------------------------


def measure_size(size: int, workdir: Path, budget: float) -> dict[str, Any]:
    store = workdir / f"bench-{size}.sqlite"
    bench_infer.make_store(store, size)
    flows = store.with_suffix(".mitm")
    write_flows(store, flows)
    wsdoc = run_wsdoc(store, budget)
    m2s = run_m2s(flows, size, budget)
    row: dict[str, Any] = {"flows": size, "flow_file_mb": round(flows.stat().st_size / 2**20, 1),
                           "wsdoc": wsdoc, "mitmproxy2swagger": m2s,
                           "wsdoc_import_of_flow_file": run_wsdoc_import(flows, size, budget)}
    if m2s["status"] == "ok":
        row["ratio"] = {
            "wall": round(m2s["seconds"] / wsdoc["seconds"], 1),
            "cpu": round(m2s["cpu_seconds"] / max(wsdoc["cpu_seconds"], 0.01), 1),
            "peak_rss": round(m2s["peak_rss_mb"] / wsdoc["peak_rss_mb"], 2),
        }
    return row


def memory_flatness(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """wsdoc's memory at the smallest and the largest size (flat: ratios close to 1)."""
    first, last = rows[0]["wsdoc"], rows[-1]["wsdoc"]
    keys = ("peak_rss_mb", "traced_peak_mb", "traced_peak_mb_endpoints_only")
    return {
        "flows": [rows[0]["flows"], rows[-1]["flows"]],
        **{key: [first[key], last[key]] for key in keys},
        **{f"{key}_ratio": round(last[key] / max(first[key], 0.01), 2) for key in keys},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--budget", type=float, default=DEFAULT_BUDGET_S,
                        help="seconds per measured process (each mitmproxy2swagger pass)")
    parser.add_argument("--workdir", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--json", help="also write the report here")
    parser.add_argument("--trace-inference", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.trace_inference:
        print(json.dumps(trace_inference(Path(args.trace_inference))))
        return
    if not Path(TIME).exists():
        raise SystemExit(f"{TIME} is needed to measure peak memory (apt-get install time)")
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"mitmproxy2swagger_version": m2s_version(), "sizes": []}
    for size in (int(text) for text in args.sizes.split(",")):
        report["sizes"].append(measure_size(size, workdir, args.budget))
        print(json.dumps(report["sizes"][-1]), flush=True)
    report["wsdoc_memory"] = memory_flatness(report["sizes"])
    print(json.dumps(report["wsdoc_memory"]))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
