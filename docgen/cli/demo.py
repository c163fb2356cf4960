"""`wsdoc demo`: record a real curl session against the simulator and build the site.

Steps, each bounded by a timeout, all on 127.0.0.1: start gwssim (`python -m gwssim`), then
a recording session as `wsdoc session` runs one (docgen.cli.recording: `wsdoc record` in
front of gwssim, CometD listeners, `gwssim/curl_session.sh` with real curl at $WSDOC_URL,
the recorder stopped with SIGINT so it commits and prints its summary), stop the simulator,
build the site like `wsdoc build`. On any error every process started here is stopped.
"""

from __future__ import annotations

import re
import shlex
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from shutil import which

import click

from docgen.cli.options import DEFAULT_OUT
from docgen.cli.processes import BIN, started, wait_for
from docgen.cli.recording import Recording, recording, run_command
from docgen.errors import WsdocError
from docgen.pipeline import build_site
from docgen.publish.curl import DEFAULT_BASE_URL

SESSION_TIMEOUT_S = 600.0
SIM_READY = re.compile(r"gwssim listening on (http://127\.0\.0\.1:\d+)")
LISTENING = re.compile(r"cometd_client: \S+ subscribed")
# Pause after each operation so each one's notifications arrive before the next starts
# (otherwise back-to-back operations would share their events).
SESSION_PACE_S = "0.25"


def session_script() -> Path:
    import gwssim

    script = Path(gwssim.__file__).parent / "curl_session.sh"
    if not script.is_file():
        raise WsdocError(f"the demo's curl session is missing: {script}")
    return script


def fresh_store(store: str | None, out: Path) -> Path:
    """The demo's own store (replaced every run), or a user-given path that must not exist."""
    if store is not None:
        path = Path(store)
        if path.exists():
            raise WsdocError(f"{path} exists; the demo records into a new store")
        return path
    path = out.resolve().parent / "demo.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def run_session(rec: Recording, users: int, log: Path) -> str:
    """Run the curl session through the recorder (its $WSDOC_URL); its last line."""
    env = {**rec.environment(), "PYTHON": sys.executable, "CURL_SESSION_PACE": SESSION_PACE_S}
    with log.open("wb") as out:
        status = run_command(["bash", str(session_script()), "--users", str(users)], env,
                             lambda: None, output=out, timeout=SESSION_TIMEOUT_S)
    lines = log.read_text(errors="replace").strip().splitlines()
    if status != 0:
        raise WsdocError(f"curl session failed ({status}): "
                         f"{lines[-1] if lines else 'no output'}")
    return lines[-1] if lines else ""


def start_listeners(stack: ExitStack, proxy_url: str, users: int, logs: Path) -> int:
    """One CometD long-polling client per agent, through the proxy, so the site can show
    which notifications each operation causes; returns how many are listening."""
    from gwssim.data import build_world

    agents = build_world(7).users[:users]  # the users the curl session logs in
    for agent in agents:
        log = logs / f"cometd-{agent.user_name}.log"
        proc = stack.enter_context(started(
            [sys.executable, "-m", "gwssim.cometd_client", proxy_url, "--user", agent.user_name,
             "--password", agent.password, "--seconds", str(SESSION_TIMEOUT_S)],
            log, "cometd client"))
        wait_for(LISTENING, log, proc, f"cometd client of {agent.user_name}")
    return len(agents)


def record_demo(store: Path, port: int, users: int, logs: Path) -> None:
    """Simulator + recording session (as `wsdoc session` runs it) + curl session; leaves a
    filled store."""
    with ExitStack() as stack:
        sim = stack.enter_context(started(
            [sys.executable, "-m", "gwssim", "--host", "127.0.0.1", "--port", str(port)],
            logs / "gwssim.log", "gwssim"))
        sim_url = wait_for(SIM_READY, logs / "gwssim.log", sim, "gwssim")
        click.echo(f"wsdoc: simulator at {sim_url}")
        rec = stack.enter_context(recording(
            ["--upstream", sim_url, "--listen-port", "0", "--store", str(store)],
            logs / "record.log"))
        listeners = start_listeners(stack, rec.url, users, logs)
        click.echo(f"wsdoc: recording proxy at {rec.url}; {listeners} CometD listeners; "
                   "running the curl session")
        click.echo(f"wsdoc: {run_session(rec, users, logs / 'session.log')}")
        click.echo(rec.stop())  # the recorder commits and prints its summary


@click.command()
@click.option("--out", default=DEFAULT_OUT, show_default=True, type=click.Path(file_okay=False),
              help="Site folder to build.")
@click.option("--store", default=None, type=click.Path(dir_okay=False),
              help="New store to record into [default: demo.sqlite beside --out, replaced].")
@click.option("--port", default=0, show_default=True, type=click.IntRange(0, 65535),
              help="Port of the simulator on 127.0.0.1 (0 picks a free one).")
@click.option("--users", default=5, show_default=True, type=click.IntRange(1, 50),
              help="Agents the curl session logs in and calls between.")
@click.option("--base-url", default=None, help="Host of the example curl commands.")
def demo(out: str, store: str | None, port: int, users: int, base_url: str | None) -> None:
    """Record a real curl session against the simulator and build its documentation."""
    if which("curl") is None or which("bash") is None:
        raise WsdocError("the demo needs curl and bash on PATH")
    site = Path(out)
    store_path = fresh_store(store, site)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="wsdoc-demo-") as logs:
        record_demo(store_path, port, users, Path(logs))
    result = build_site(str(store_path), site, base_url or DEFAULT_BASE_URL, echo=click.echo)
    click.echo(f"wsdoc: demo site: {result.index} ({result.endpoints} endpoints from "
               f"{result.exchanges} recorded exchanges; store {store_path})")
    if base_url is None:
        click.echo("wsdoc: the examples target the default base URL: run `wsdoc sim` "
                   "(port 8090) to try them")
    # Last, and runnable as printed: `make demo` leaves no venv activated.
    click.echo(f"wsdoc: serve it with: {wsdoc_command()} serve --out {site}")


def wsdoc_command() -> str:
    """How to run this wsdoc from here: `wsdoc` when PATH finds it, else its path (relative
    when it is below the working folder, e.g. `.venv/bin/wsdoc`)."""
    script = BIN / "wsdoc"
    found = which("wsdoc")
    if found and Path(found).resolve() == script.resolve():
        return "wsdoc"
    try:
        return shlex.quote(str(script.relative_to(Path.cwd())))
    except ValueError:
        return shlex.quote(str(script))
