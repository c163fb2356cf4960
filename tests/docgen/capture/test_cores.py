"""Cores to use, and the heap frozen while forked workers run."""

from __future__ import annotations

import gc

from docgen.capture.cores import available_cores, frozen_heap


def test_available_cores_is_at_least_one() -> None:
    assert available_cores() >= 1


def test_the_heap_is_frozen_inside_and_thawed_after() -> None:
    gc.unfreeze()
    with frozen_heap():
        assert gc.get_freeze_count() > 1000
    assert gc.get_freeze_count() == 0


def test_a_freeze_from_before_stays() -> None:
    gc.unfreeze()
    gc.freeze()
    before = gc.get_freeze_count()
    try:
        with frozen_heap():
            pass
        assert gc.get_freeze_count() >= before > 0
    finally:
        gc.unfreeze()
