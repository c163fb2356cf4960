"""Store -> docs model -> OpenAPI / site files: the one path every front end takes.

The CLI (`wsdoc endpoints`, `openapi`, `build`, `demo`), the benchmarks and the tests call
these functions; nothing here prints except through the `echo` callback it is given.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from docgen.capture.store import Store
from docgen.errors import WsdocError
from docgen.infer.config import Config, load_config
from docgen.infer.model import ApiModel
from docgen.infer.parallel import store_model
from docgen.publish.openapi import to_openapi

if TYPE_CHECKING:  # the site's modules are imported where a site is built, not for OpenAPI
    from docgen.publish.site.pages import PagePlan
    from docgen.publish.site.writer import WriteResult

Echo = Callable[[str], None]
EachPage = Callable[[Iterable["PagePlan"]], Iterable["PagePlan"]]


def _quiet(_: str) -> None:
    pass


def _same(plans: Iterable[PagePlan]) -> Iterable[PagePlan]:
    return plans


def read_model(store: str | Path, config: Config | None = None,
               meanwhile: Callable[[], object] | None = None) -> ApiModel:
    """The docs model of everything in a store (opened read-only), on every core for a
    big one (docgen.infer.parallel; `meanwhile` as there)."""
    return store_model(store, config or Config(), meanwhile=meanwhile)


def store_openapi(store: str | Path, config: Config | None = None) -> dict[str, Any]:
    """The OpenAPI 3.1 document of a store, as `wsdoc openapi` writes it."""
    return to_openapi(read_model(store, config))


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


@dataclass
class Generated:
    """What `generate` wrote: the mkdocs-free half of a build."""

    endpoints: int
    exchanges: int
    written: WriteResult
    stubs_created: int


def check_base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise WsdocError(f"--base-url must be an http:// or https:// URL, not {url!r}")
    return url.rstrip("/")


def generate(store: str | Path, site: Path, base_url: str | None = None,
             config_path: str | None = None, echo: Echo = _quiet,
             changes_since: str | None = None, each: EachPage = _same) -> Generated:
    """Store -> model (+ sidecars) -> Markdown, mkdocs.yml and OpenAPI files in `site`."""
    from docgen.drift.diff import CHANGES_PAGE, changes_page
    from docgen.publish.site.pages import (
        PAGE_HEADER,
        SiteOptions,
        generated_docs,
        plan_pages,
        render_site,
    )
    from docgen.publish.site.sidecar import apply_sidecars
    from docgen.publish.site.writer import hand_written_pages, write_site

    config = load_config(config_path)
    chosen = base_url or config.base_url  # none: each example keeps its recorded host
    options = SiteOptions(base_url=check_base_url(chosen) if chosen else "", title=config.title)
    with Store(store, readonly=True) as opened:
        echo(f"wsdoc: reading {opened.count()} exchanges from {store}")
    model = store_model(store, config)
    plans = plan_pages(model)
    stubs = apply_sidecars(site, model, plans)
    openapi = to_openapi(model)
    changes = [CHANGES_PAGE] if changes_since else []  # listed in the nav like a top page
    hand = hand_written_pages(site, [f"docs/{p}" for p in [*generated_docs(plans, True),
                                                           *changes]])
    files = render_site(model, options, openapi, [*hand, *changes], each=each, plans=plans)
    if changes_since:
        files[f"docs/{CHANGES_PAGE}"] = PAGE_HEADER + changes_page(changes_since, openapi, config)
    written = write_site(site, files)
    echo(f"wsdoc: {len(plans)} endpoint pages; {len(written.written)} files written, "
         f"{len(written.unchanged)} unchanged, {len(written.removed)} stale removed; "
         f"{len(hand)} hand-written pages kept")
    return Generated(len(plans), model.exchange_count, written, stubs)


def build_site(store: str | Path, out: str | Path, base_url: str | None = None,
               config_path: str | None = None, echo: Echo = _quiet,
               changes_since: str | None = None, each: EachPage = _same) -> BuildResult:
    """The whole `wsdoc build`: generate, then `mkdocs build --strict` into out/public."""
    site = Path(out)
    started = time.monotonic()
    done = generate(store, site, base_url, config_path, echo, changes_since, each)
    generated = time.monotonic() - started
    echo("wsdoc: running mkdocs build --strict")
    from docgen.publish.site.writer import run_mkdocs

    seconds = run_mkdocs(site)
    return BuildResult(site, done.endpoints, done.exchanges, done.written, done.stubs_created,
                       generated, seconds)
