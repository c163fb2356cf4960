"""Benchmark the site build: a synthetic store of N endpoints (default 300) to site/public.

    .venv/bin/python bench/bench_site.py [--endpoints 300] [--samples 4] [--workdir DIR]

The store is written with `Store.append`: `endpoints / 2` resources under /api/v2, each with
a collection GET (`/api/v2/resNNN`, with and without `fields`) and an operation POST on an
item (`/api/v2/resNNN/{uuid}`, two operation names, 200 and 400 answers). The build is
timed in two parts and printed as one JSON object:

* `wsdoc_s`: wsdoc's own generation = model (`build_model` over the store) + render
  (`render_site`, OpenAPI included) + write (`write_site`); also reported one by one;
* `mkdocs_s`: `mkdocs build --strict` of the written site;
* `mkdocs_per_wsdoc`: how many times longer MkDocs takes than wsdoc.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docgen.capture.record import Exchange  # noqa: E402
from docgen.capture.store import Store  # noqa: E402
from docgen.capture.synthetic import exchange  # noqa: E402
from docgen.infer.config import Config  # noqa: E402
from docgen.pipeline import read_model  # noqa: E402
from docgen.publish.openapi import to_openapi  # noqa: E402
from docgen.publish.site.pages import SiteOptions, render_site  # noqa: E402
from docgen.publish.site.writer import run_mkdocs, write_site  # noqa: E402


def resource_traffic(index: int, samples: int) -> Iterator[Exchange]:
    """Traffic of one resource: two endpoints (collection GET, item operation POST)."""
    base = f"/api/v2/res{index:03d}"
    for sample in range(samples):
        item = str(uuid.UUID(int=index * 1000 + sample))
        yield exchange("GET", base, {
            "statusCode": 0, "items": [{"id": item, "name": f"item {sample}", "level": sample,
                                        "enabled": sample % 2 == 0, "tags": ["a", "b"]}]},
            query=[("fields", "id,name")] if sample % 2 else None)
        operation = "Start" if sample % 2 else "Stop"
        ok = sample % 3 != 2
        yield exchange("POST", f"{base}/{item}",
                       {"statusCode": 0} if ok else {"statusCode": 2, "statusMessage": "no"},
                       200 if ok else 400,
                       {"operationName": operation, "reason": f"r{sample}",
                        "userData": {"k": sample}})


def make_store(path: Path, endpoints: int, samples: int) -> int:
    exchanges = [ex for index in range(endpoints // 2)
                 for ex in resource_traffic(index, samples)]
    for number, ex in enumerate(exchanges):
        ex.started = 1_700_000_000 + number
    with Store(path) as store:
        store.append(exchanges)
    return len(exchanges)


def timed_build(store: Path, site: Path) -> dict[str, Any]:
    started = time.perf_counter()
    model = read_model(store, Config())
    modelled = time.perf_counter()
    files = render_site(model, SiteOptions(), to_openapi(model))
    rendered = time.perf_counter()
    write_site(site, files)
    written = time.perf_counter()
    mkdocs = run_mkdocs(site)
    wsdoc = written - started
    return {
        "endpoints": len(model.endpoints), "pages": len(files),
        "model_s": round(modelled - started, 3), "render_s": round(rendered - modelled, 3),
        "write_s": round(written - rendered, 3), "wsdoc_s": round(wsdoc, 3),
        "mkdocs_s": round(mkdocs, 3), "mkdocs_per_wsdoc": round(mkdocs / wsdoc, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoints", type=int, default=300)
    parser.add_argument("--samples", type=int, default=4, help="exchanges per endpoint")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wsdoc-bench-site-") as temporary:
        work = args.workdir or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        store = work / "bench-site.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{store}{suffix}").unlink(missing_ok=True)
        count = make_store(store, args.endpoints, args.samples)
        result = {"exchanges": count, **timed_build(store, work / "site")}
    print(json.dumps(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
