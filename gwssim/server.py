"""Running the simulator: listen, print the one ready line, stop cleanly on SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import shutil
import signal
import ssl
import sys
import tempfile
from pathlib import Path

from aiohttp import web

from gwssim.app import make_app
from gwssim.config import SimConfig
from gwssim.tls import server_context, write_self_signed

SHUTDOWN_TIMEOUT = 1.0  # held long-polls are released at shutdown, so this is plenty


def serve(config: SimConfig) -> None:
    """Run until SIGTERM or SIGINT. Raises OSError when the address cannot be used."""
    config.validate()
    with tempfile.TemporaryDirectory(prefix="gwssim-") as temp_dir:
        asyncio.run(_serve(config, Path(temp_dir)))


async def _serve(config: SimConfig, temp_dir: Path) -> None:
    context, cert_path = _tls_setup(config, temp_dir)
    runner = web.AppRunner(make_app(config), access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT)
    await runner.setup()
    try:
        site = web.TCPSite(runner, config.host, config.port, ssl_context=context)
        await site.start()
        print(ready_line(config, _bound_port(runner, config.port), cert_path), flush=True)
        await _wait_for_stop_signal()
    finally:
        await runner.cleanup()


def _tls_setup(config: SimConfig, temp_dir: Path) -> tuple[ssl.SSLContext | None, Path | None]:
    if not config.tls:
        return None, None
    cert_path, key_path = write_self_signed(temp_dir, config.host)
    if config.cert_out:
        shutil.copyfile(cert_path, config.cert_out)
        cert_path = Path(config.cert_out)
    return server_context(cert_path, key_path), cert_path


def _bound_port(runner: web.AppRunner, asked: int) -> int:
    # With --port 0 the system picks the port: ask the listening socket.
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    return asked


def ready_line(config: SimConfig, port: int, cert_path: Path | None) -> str:
    scheme = "https" if config.tls else "http"
    host = f"[{config.host}]" if ":" in config.host else config.host
    details = f"api {config.api_version}"
    if cert_path is not None:
        details += f", cert {cert_path}"
    return f"gwssim listening on {scheme}://{host}:{port} ({details})"


async def _wait_for_stop_signal() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    print("gwssim stopping", file=sys.stderr, flush=True)
