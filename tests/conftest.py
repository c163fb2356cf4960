"""Shared fixtures."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest

from docgen.capture.pgserver import PgServer, missing_reason, run_postgres
from gwssim.process import run_gwssim


@pytest.fixture(scope="session")
def gwssim_url() -> Iterator[str]:
    """Base URL of one gwssim (default options) shared by the whole test session."""
    with run_gwssim() as url:
        yield url


@pytest.fixture
def gwssim_factory() -> Iterator[Callable[..., str]]:
    """start(*args) -> base URL of a fresh gwssim with those options; all stopped afterwards."""
    with ExitStack() as stack:

        def start(*args: str) -> str:
            return stack.enter_context(run_gwssim(*args))

        yield start


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One real PostgreSQL server for the session (skipped, with the reason, where it cannot
    run; a failure instead when WSDOC_REQUIRE_POSTGRES=1, as `make test` sets)."""
    reason = missing_reason()
    if reason:
        if os.environ.get("WSDOC_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"WSDOC_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    with run_postgres() as server:
        yield server


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """The postgresql:// URL of a fresh, empty database."""
    return pg_server.database()
