"""A throwaway PostgreSQL server for the tests and the benchmarks (bench/ never imports
tests/); not used by wsdoc itself. Debian's `postgresql` package, started in a temporary
data folder on a free loopback port, stopped (and the folder removed) afterwards.

initdb refuses to run as root, so as root the server runs as the package's `postgres`
user (`runuser`), owning the folder. Each caller gets fresh databases from `database()`.
`missing_reason()` says why it cannot run here (the tests skip with it, or fail when
WSDOC_REQUIRE_POSTGRES=1, as `make test` sets).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

READY_TIMEOUT_S = 60.0
SUPERUSER = "wsdoc"


def binaries() -> Path | None:
    """The newest installed /usr/lib/postgresql/N/bin holding initdb, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


def missing_reason() -> str | None:
    """Why a PostgreSQL server cannot be started here, or None when it can."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'wsdoc[postgres]')"
    if binaries() is None:
        return "Debian's postgresql package is not installed (make postgresql)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser to start postgres as another user"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PgServer:
    port: int
    folder: Path
    proc: subprocess.Popen[bytes]
    created: list[str] = field(default_factory=list)

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def database(self, name: str | None = None) -> str:
        """A new empty database; its postgresql:// URL."""
        import psycopg

        name = name or f"t{len(self.created)}_{os.getpid()}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return self.url(name)


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def run_postgres() -> Iterator[PgServer]:
    """initdb + postgres on a free port in a temporary folder; stopped afterwards."""
    bin_dir = binaries()
    assert bin_dir is not None, missing_reason()
    folder = Path(tempfile.mkdtemp(prefix="wsdoc-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    log = folder / "server.log"
    subprocess.run(_as_server_user([str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER,
                                    "--auth=trust", "-E", "UTF8", "--locale=C"]),
                   check=True, capture_output=True, timeout=120)
    port = free_port()
    command = _as_server_user([str(bin_dir / "postgres"), "-D", str(data), "-p", str(port),
                              "-k", str(folder), "-c", "listen_addresses=127.0.0.1",
                              "-c", "max_connections=60"])
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    server = PgServer(port, folder, proc)
    try:
        _wait_ready(server, log)
        yield server
    finally:
        proc.terminate()  # SIGTERM: "smart" shutdown; runuser passes it on
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(30)
        shutil.rmtree(folder, ignore_errors=True)


def _wait_ready(server: PgServer, log: Path) -> None:
    import psycopg

    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"postgres exited: {log.read_text(errors='replace')[-500:]}")
        try:
            psycopg.connect(server.url("postgres"), connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            time.sleep(0.2)
    raise RuntimeError(f"postgres not ready after {READY_TIMEOUT_S:.0f}s")
