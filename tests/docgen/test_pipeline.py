"""The pipeline in-process (no subprocess, no mkdocs): store -> model -> OpenAPI / files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from docgen.capture.store import Store
from docgen.capture.synthetic import synthetic_traffic
from docgen.errors import WsdocError
from docgen.pipeline import check_base_url, generate, read_model, store_openapi


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pipeline") / "ws.sqlite"
    with Store(path) as opened:
        opened.append(synthetic_traffic(400))
    return path


def test_read_model_groups_the_store(store: Path) -> None:
    model = read_model(store)
    keys = {(e.method, e.template) for e in model.endpoints}
    assert ("POST", "/api/v2/me/calls/{callId}") in keys
    assert ("GET", "/api/v2/me/calls/active") in keys
    assert model.exchange_count == 400


def test_store_openapi_is_valid_and_stable(store: Path) -> None:
    document = store_openapi(store)
    validate(document)
    assert json.dumps(document, sort_keys=True) == json.dumps(store_openapi(store),
                                                              sort_keys=True)


def test_generate_writes_pages_sidecars_and_openapi(store: Path, tmp_path: Path) -> None:
    lines: list[str] = []
    done = generate(store, tmp_path / "site", echo=lines.append)
    site = tmp_path / "site"
    assert done.exchanges == 400 and done.endpoints == len(read_model(store).endpoints)
    assert (site / "mkdocs.yml").is_file() and (site / "docs/index.md").is_file()
    assert json.loads((site / "docs/openapi.json").read_text()) == store_openapi(store)
    pages = [p for p in (site / "docs").rglob("*.md") if p.parent.name != "notification-channels"]
    # One per endpoint, the home page and the Authentication page.
    assert len(pages) == done.endpoints + 2
    assert (site / "docs/notification-channels/index.md").is_file()  # says none were recorded
    assert done.stubs_created == done.endpoints + 1  # a sidecar each, and the API's
    assert lines[0] == f"wsdoc: reading 400 exchanges from {store}"
    again = generate(store, site)
    assert not again.written.written and again.stubs_created == 0  # nothing changed


def test_a_bad_base_url_is_one_error() -> None:
    assert check_base_url("https://gws.example/") == "https://gws.example"
    with pytest.raises(WsdocError, match="--base-url must be"):
        check_base_url("gws.example")
