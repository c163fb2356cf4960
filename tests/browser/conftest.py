"""Headless Chromium (Debian's, not Playwright's download) and built sites to look at."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from docgen.publish.site.pages import SiteOptions, render_site
from docgen.publish.site.writer import run_mkdocs, write_site
from gwssim.process import run_gwssim
from tests.support.recorded_site import WSDOC, build, record_session
from tests.support.site_models import hostile_model, sample_model

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = ROOT / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).is_file():
        message = f"browser tests need Debian's chromium at {CHROMIUM} (make chromium)"
        if os.environ.get("WSDOC_REQUIRE_BROWSER"):  # set by `make test`: never skip there
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def recorded_public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """public/ of a site built from a real curl session recorded through wsdoc record."""
    if shutil.which("curl") is None:
        pytest.skip("needs curl")
    folder = tmp_path_factory.mktemp("browser-recorded")
    with run_gwssim() as upstream:
        record_session(upstream, folder / "demo.sqlite", users=2)
    done = build(folder / "demo.sqlite", folder / "site")
    assert done.returncode == 0, done.stderr
    return folder / "site" / "public"


@pytest.fixture(scope="session")
def demo_public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """public/ of `wsdoc demo --users 2`: the curl session recorded beside one CometD
    listener per agent, so the notifications transport endpoints are in the capture too."""
    if shutil.which("curl") is None:
        pytest.skip("needs curl")
    folder = tmp_path_factory.mktemp("browser-demo")
    done = subprocess.run([WSDOC, "demo", "--out", "site", "--users", "2"], cwd=folder,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return folder / "site" / "public"


def built_public(folder: Path, model: Any) -> Path:
    write_site(folder, render_site(model, SiteOptions(), {"openapi": "3.1.0"}))
    run_mkdocs(folder)
    return folder / "public"


@pytest.fixture(scope="session")
def sample_public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_public(tmp_path_factory.mktemp("browser-sample"), sample_model())


@pytest.fixture(scope="session")
def hostile_public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_public(tmp_path_factory.mktemp("browser-hostile"), hostile_model())
