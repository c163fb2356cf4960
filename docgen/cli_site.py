"""`wsdoc build` (store -> docs model -> Markdown -> mkdocs --strict) and `wsdoc serve`."""

from __future__ import annotations

import functools
import http.server
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import click

from docgen.cli import store_option
from docgen.curl import DEFAULT_BASE_URL
from docgen.errors import WsdocError
from docgen.render import (
    PAGE_HEADER,
    PagePlan,
    SiteOptions,
    generated_docs,
    plan_pages,
    render_site,
)
from docgen.sidecar import apply_sidecars
from docgen.sitewriter import WriteResult, hand_written_pages, run_mkdocs, write_site

DEFAULT_OUT = "site"
Echo = Callable[[str], None]


@dataclass
class BuildResult:
    site: Path
    endpoints: int
    exchanges: int
    written: WriteResult
    stubs_created: int
    seconds_generate: float
    seconds_mkdocs: float

    @property
    def index(self) -> Path:
        return self.site / "public" / "index.html"


def check_base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise WsdocError(f"--base-url must be an http:// or https:// URL, not {url!r}")
    return url.rstrip("/")


def progress(items: Iterable[PagePlan]) -> Iterator[PagePlan]:
    """A progress bar over endpoint pages when stderr is a terminal."""
    plans = list(items)
    if not sys.stderr.isatty():
        yield from plans
        return
    with click.progressbar(plans, label="wsdoc: rendering pages", file=sys.stderr) as bar:
        yield from bar


def generate(store: str, site: Path, base_url: str | None, config_path: str | None,
             echo: Echo, changes_since: str | None = None) -> tuple[int, int, WriteResult, int]:
    """Store -> model (+ sidecars) -> Markdown files in `site`; the mkdocs-free half."""
    from docgen.config import load_config
    from docgen.diff import CHANGES_PAGE, changes_page
    from docgen.endpoints import build_model
    from docgen.openapi import to_openapi
    from docgen.store import Store

    config = load_config(config_path)
    options = SiteOptions(base_url=check_base_url(base_url or config.base_url
                                                  or DEFAULT_BASE_URL), title=config.title)
    with Store(store, readonly=True) as opened:
        echo(f"wsdoc: reading {opened.count()} exchanges from {store}")
        model = build_model(opened.exchanges(), config)
    plans = plan_pages(model)
    stubs = apply_sidecars(site, model, plans)
    openapi = to_openapi(model)
    changes = [CHANGES_PAGE] if changes_since else []  # listed in the nav like a top page
    hand = hand_written_pages(site, [f"docs/{p}" for p in [*generated_docs(plans, True),
                                                           *changes]])
    files = render_site(model, options, openapi, [*hand, *changes], each=progress)
    if changes_since:
        files[f"docs/{CHANGES_PAGE}"] = PAGE_HEADER + changes_page(changes_since, openapi, config)
    written = write_site(site, files)
    echo(f"wsdoc: {len(plans)} endpoint pages; {len(written.written)} files written, "
         f"{len(written.unchanged)} unchanged, {len(written.removed)} stale removed; "
         f"{len(hand)} hand-written pages kept")
    return len(plans), model.exchange_count, written, stubs


def build_site(store: str, out: str | Path, base_url: str | None = None,
               config_path: str | None = None, echo: Echo = click.echo,
               changes_since: str | None = None) -> BuildResult:
    """The whole `wsdoc build`: generate, then `mkdocs build --strict` into out/public."""
    site = Path(out)
    started = time.monotonic()
    endpoints, exchanges, written, stubs = generate(store, site, base_url, config_path, echo,
                                                    changes_since)
    generated = time.monotonic() - started
    echo("wsdoc: running mkdocs build --strict")
    seconds = run_mkdocs(site)
    return BuildResult(site, endpoints, exchanges, written, stubs, generated, seconds)


@click.command()
@store_option
@click.option("--out", default=DEFAULT_OUT, show_default=True, type=click.Path(file_okay=False),
              help="Site folder (mkdocs.yml, docs/, descriptions/, public/).")
@click.option("--base-url", default=None,
              help=f"Host used in example curl commands [default: config base_url, "
                   f"else {DEFAULT_BASE_URL}].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="wsdoc.toml or pyproject.toml to read (default: nearest one upwards).")
@click.option("--changes-since", type=click.Path(dir_okay=False), default=None,
              metavar="OLD", help="Add a Changes page: this build against OLD (a capture "
                                  "store or an OpenAPI file).")
def build(store: str, out: str, base_url: str | None, config_path: str | None,
          changes_since: str | None) -> None:
    """Build the documentation site from a capture store."""
    result = build_site(store, out, base_url, config_path, changes_since=changes_since)
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


commands = [build, serve]
