"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest

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
