"""bench_m2s.run_measured against real commands under GNU time: what it reports, and its budget."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bench.bench_m2s import run_measured


def test_a_command_is_measured_with_its_output(tmp_path: Path) -> None:
    burn = "import time\nend = time.process_time() + 0.2\nwhile time.process_time() < end: pass\n" \
           "print('done')"
    measured = run_measured([sys.executable, "-c", burn], 60, tmp_path)
    assert measured["status"] == "ok" and measured["stdout"] == "done\n"
    assert measured["seconds"] >= measured["cpu_seconds"] - 0.05 >= 0.1
    assert measured["peak_rss_mb"] > 1


def test_a_command_over_its_budget_is_killed(tmp_path: Path) -> None:
    measured = run_measured(["sleep", "60"], 0.3, tmp_path)
    assert measured["status"] == "over budget: killed after 0.3 s"


def test_a_failing_command_raises_with_its_status(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="sh exited 3"):
        run_measured(["sh", "-c", "exit 3"], 60, tmp_path)
