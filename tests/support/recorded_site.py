"""Record a real curl session against gwssim through `wsdoc record`, build the site, and
read the curl examples back out of the built HTML (exactly what a reader would copy)."""

from __future__ import annotations

import html
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from docgen.cli.processes import run_proxy
from tests.support.upstream import in_thread

ROOT = Path(__file__).resolve().parents[2]
WSDOC = str(Path(sys.executable).parent / "wsdoc")
SESSION_TIMEOUT = 240
BUILD_TIMEOUT = 300
# A highlighted bash block: <div class="language-bash highlight"><pre>...<code>...</code></pre>
_BASH_BLOCK = re.compile(r'<div class="language-bash highlight"><pre[^>]*>.*?<code>(.*?)</code>',
                         re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def record_session(upstream: str, store: Path, users: int = 2) -> tuple[str, str]:
    """Run gwssim/curl_session.sh (real curl) through the proxy; (session log, proxy log)."""
    with run_proxy(upstream, store) as proxy:
        done = subprocess.run(
            ["bash", str(ROOT / "gwssim" / "curl_session.sh"), proxy.url, "--users", str(users)],
            capture_output=True, text=True, timeout=SESSION_TIMEOUT, check=False,
            env={**os.environ, "PYTHON": sys.executable},
        )
        proxy_log = proxy.stop(signal.SIGINT)
    if done.returncode != 0:
        raise RuntimeError(f"curl session failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout, proxy_log


def build(store: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`wsdoc build` as a user runs it (a subprocess), with a timeout."""
    return subprocess.run([WSDOC, "build", "--store", str(store), "--out", str(out), *extra],
                          capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False,
                          cwd=out.parent)


def curl_commands(page_html: str) -> list[str]:
    """The curl commands of a built page, as the copy button would copy them."""
    return [html.unescape(_TAG.sub("", block)).strip() for block in _BASH_BLOCK.findall(page_html)]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a free port) from a thread; yield the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 partial(_QuietHandler, directory=str(folder)))
    with in_thread(server) as port:
        yield f"http://127.0.0.1:{port}/"
