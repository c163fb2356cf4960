"""`wsdoc build` (store -> docs model -> Markdown -> mkdocs --strict) and `wsdoc serve`."""

from __future__ import annotations

import functools
import http.server
import signal
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from docgen.cli.options import (
    DEFAULT_OUT,
    StoreLocation,
    base_url_option,
    config_option,
    out_option,
    store_option,
)
from docgen.errors import WsdocError
from docgen.pipeline import build_site
from docgen.publish.site.pages import PagePlan


def progress(items: Iterable[PagePlan]) -> Iterator[PagePlan]:
    """A progress bar over endpoint pages when stderr is a terminal."""
    plans = list(items)
    if not sys.stderr.isatty():
        yield from plans
        return
    with click.progressbar(plans, label="wsdoc: rendering pages", file=sys.stderr) as bar:
        yield from bar


@click.command()
@store_option
@out_option
@base_url_option
@config_option
@click.option("--changes-since", type=StoreLocation(), default=None,
              metavar="OLD", help="Add a Changes page: this build against OLD (a capture "
                                  "store or an OpenAPI file).")
def build(store: str, out: str, base_url: str | None, config_path: str | None,
          changes_since: str | None) -> None:
    """Build the documentation site from a capture store."""
    result = build_site(store, out, base_url, config_path, click.echo, changes_since, progress)
    click.echo(f"wsdoc: site built in {result.seconds_generate + result.seconds_mkdocs:.1f}s: "
               f"{result.index}")
    click.echo(f"wsdoc: describe endpoints in {result.site / 'descriptions'}/; "
               f"view with: wsdoc serve --out {result.site}")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


def make_server(out: str | Path, port: int) -> http.server.ThreadingHTTPServer:
    """An HTTP server for out/public on 127.0.0.1 only."""
    public = Path(out) / "public"
    if not (public / "index.html").is_file():
        raise WsdocError(f"no built site in {public}; run wsdoc build --out {out} first")
    handler = functools.partial(QuietHandler, directory=str(public))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


@click.command()
@click.option("--out", default=DEFAULT_OUT, show_default=True, type=click.Path(file_okay=False),
              help="Site folder given to wsdoc build.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1 (0 picks a free one).")
def serve(out: str, port: int) -> None:
    """Serve the built site on 127.0.0.1 until Ctrl-C."""
    # A shell starts background jobs with SIGINT ignored, and Python keeps it so: then
    # `kill -INT %1` did nothing. Ctrl-C / SIGINT and SIGTERM stop the server either way.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    server = make_server(out, port)
    click.echo(f"wsdoc: serving {Path(out) / 'public'} at "
               f"http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()

