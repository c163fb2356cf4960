"""wsdoc inference vs mitmproxy2swagger on the same synthetic Web Services flows.

    .venv/bin/python bench/bench_m2s.py [--sizes 10000,30000,100000] [--budget 600]
                                        [--workdir DIR] [--json OUT]

For each size, bench_infer writes its synthetic store (gwssim traffic patterns), this script
writes the same exchanges as a mitmproxy flow file (`mitmproxy.io.FlowWriter`, HTTPFlows built
the way `mitmproxy.test.tflow` builds them), and both tools run on the same machine, in the
same run, each in a fresh process:

* wsdoc: `build_model` over the store (bench_infer: seconds, flows/s, peak RSS, and the
  tracemalloc peak of inference in a second run);
* wsdoc import: `wsdoc import FLOWS` (read, redact, store) of the same flow file, for
  reference: the cost of starting from a flow file instead of a recorded store;
* mitmproxy2swagger (PyPI, in its own venv bench/.m2s-venv, created on demand): pass 1
  `-i FLOWS -o spec.yaml -p http://gws.example:8090/api/v2 -r ID_REGEX -s` lists the paths
  as `ignore:` entries of `x-path-templates`; every `ignore:` prefix is removed (its README's
  way of enabling templates); pass 2 with the same arguments writes the endpoints.

Time is wall clock; peak memory is each child's own maximum RSS (os.wait4). A pass still
running after --budget seconds is killed and reported as over budget: never extrapolated.
The summary gives the speed ratio (mitmproxy2swagger seconds / wsdoc seconds) per size and
wsdoc's memory at the largest size against the smallest (flat means close to 1).
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
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import bench_infer  # noqa: E402
from docgen.record import Exchange  # noqa: E402
from docgen.store import Store  # noqa: E402
from tests.docgen.ws_traffic import HOST, PORT  # noqa: E402

M2S_VENV = ROOT / "bench" / ".m2s-venv"
M2S_REQUIREMENT = "mitmproxy2swagger==0.14.0"  # the newest release for Python 3.11
API_PREFIX = f"http://{HOST}:{PORT}/api/v2"
# mitmproxy2swagger's -r: path segments matching it become {id} (default: digits only).
# Given the same id shapes wsdoc knows, so both tools can find the same templates.
ID_REGEX = ("[0-9]+|[0-9a-fA-F]{32}|[0-9A-Z]{32}"
            "|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
DEFAULT_BUDGET_S = 600.0
POLL_S = 0.1
INSTALL_TIMEOUT_S = 600


def ensure_m2s() -> Path:
    """mitmproxy2swagger's executable, installed into its own venv when missing."""
    executable = M2S_VENV / "bin" / "mitmproxy2swagger"
    if not executable.exists():
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
    """Run one command; wall seconds and its own peak RSS, or killed when over budget."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    deadline = started + budget
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            _, status, usage = os.wait4(proc.pid, 0)
            return {"status": f"over budget: killed after {budget:g} s",
                    "seconds": round(time.perf_counter() - started, 2)}
        time.sleep(POLL_S)
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{command[0]} exited {proc.returncode}: {stderr[-2000:]}")
    return {"status": "ok", "seconds": round(time.perf_counter() - started, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


# -- the two tools -----------------------------------------------------------------------


def run_m2s(flows: Path, size: int, budget: float) -> dict[str, Any]:
    """Both passes of mitmproxy2swagger; their times, peak memory and the paths found."""
    executable = ensure_m2s()
    spec = flows.with_name(f"m2s-{size}.yaml")
    spec.unlink(missing_ok=True)
    command = [str(executable), "-i", str(flows), "-o", str(spec), "-p", API_PREFIX,
               "-r", ID_REGEX, "-s", "-f", "flow"]
    first = run_measured(command, budget, flows.parent)
    result: dict[str, Any] = {"version": m2s_version(), "pass1": first}
    if first["status"] != "ok":
        return {**result, "status": first["status"]}
    text = spec.read_text()
    spec.write_text(re.sub(r"^(\s*-\s+)ignore:", r"\1", text, flags=re.MULTILINE))
    second = run_measured(command, budget, flows.parent)
    result["pass2"] = second
    if second["status"] != "ok":
        return {**result, "status": second["status"]}
    seconds = first["seconds"] + second["seconds"]
    return {**result, "status": "ok", "seconds": round(seconds, 2),
            "flows_per_s": round(size / seconds),
            "peak_rss_mb": max(first["peak_rss_mb"], second["peak_rss_mb"]),
            "endpoints": _spec_endpoints(spec)}


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
    if measured["status"] == "ok":
        measured["flows_per_s"] = round(size / max(measured["seconds"], 0.01))
    return measured


def compare(store_path: Path, size: int, budget: float) -> dict[str, Any]:
    """bench_infer comparator: the same flows through mitmproxy2swagger (and wsdoc import)."""
    flows = store_path.with_suffix(".mitm")
    write_flows(store_path, flows)
    return {"mb": round(flows.stat().st_size / 2**20, 1),
            "mitmproxy2swagger": run_m2s(flows, size, budget),
            "wsdoc_import": run_wsdoc_import(flows, size, budget)}


# -- the report --------------------------------------------------------------------------


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per size: both tools side by side and the ratios; wsdoc's memory flatness."""
    sizes = []
    for row in rows:
        other = row["flow_file"]["mitmproxy2swagger"]
        entry: dict[str, Any] = {
            "flows": row["flows"],
            "wsdoc": {key: row[key] for key in ("seconds", "flows_per_s", "peak_rss_mb",
                                                 "traced_peak_mb", "endpoints")},
            "mitmproxy2swagger": {key: other.get(key) for key in (
                "status", "seconds", "flows_per_s", "peak_rss_mb")},
            "mitmproxy2swagger_endpoints": len(other.get("endpoints") or []),
            "wsdoc_import_of_flow_file": row["flow_file"]["wsdoc_import"],
        }
        if other["status"] == "ok":
            entry["speed_ratio"] = round(other["seconds"] / max(row["seconds"], 0.01), 1)
            entry["peak_rss_ratio"] = round(other["peak_rss_mb"] / row["peak_rss_mb"], 2)
        sizes.append(entry)
    first, last = rows[0], rows[-1]
    return {
        "sizes": sizes,
        "wsdoc_memory": {
            "flows": [first["flows"], last["flows"]],
            "traced_peak_mb": [first["traced_peak_mb"], last["traced_peak_mb"]],
            "peak_rss_mb": [first["peak_rss_mb"], last["peak_rss_mb"]],
            "traced_ratio": round(last["traced_peak_mb"] / max(first["traced_peak_mb"], 0.1), 2),
        },
        "mitmproxy2swagger_version": first["flow_file"]["mitmproxy2swagger"].get("version"),
        "mitmproxy2swagger_endpoints_at_largest":
            last["flow_file"]["mitmproxy2swagger"].get("endpoints"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--budget", type=float, default=DEFAULT_BUDGET_S,
                        help="seconds per mitmproxy2swagger pass before it is killed")
    parser.add_argument("--workdir", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--json", help="also write the summary here")
    args = parser.parse_args()
    ensure_m2s()
    bench_infer.COMPARATORS["flow_file"] = (
        lambda path, size: compare(path, size, args.budget))
    rows = bench_infer.run([int(s) for s in args.sizes.split(",")], Path(args.workdir))
    summary = summarise(rows)
    print(json.dumps(summary, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
