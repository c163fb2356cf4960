"""bench.proc_cpu against real processes: a child's CPU counts as the parent's children's."""

from __future__ import annotations

import os
import subprocess
import sys

from bench.proc_cpu import cpu_split

BURN = "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass\n" \
       "print('burnt', flush=True)\ntime.sleep(30)\n"


def test_a_busy_child_counts_for_its_parent() -> None:
    before = cpu_split(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", BURN], stdout=subprocess.PIPE)
    try:
        assert child.stdout is not None and child.stdout.readline() == b"burnt\n"
        after = cpu_split(os.getpid())  # the child is alive, asleep after its burn
    finally:
        child.kill()
        child.wait()
    assert before is not None and after is not None
    assert after[1] - before[1] >= 0.3 and after[0] >= before[0]


def test_a_process_that_is_not_there_has_no_figure() -> None:
    assert cpu_split(2**31) is None
