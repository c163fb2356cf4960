"""CPU time of a process and of its live children (psutil).

On a shared two-core VM a burst's requests a second move by 10-20 % with the hour; the
CPU a proxy spends on each request moves far less, so the benches report it beside the
wall clock.
"""

from __future__ import annotations

import psutil


def cpu_split(pid: int) -> tuple[float, float] | None:
    """(the process's own CPU seconds, those of its live children), or None when the
    process is not there."""
    try:
        process = psutil.Process(pid)
        own = process.cpu_times()
        children = process.children()
    except psutil.Error:
        return None
    spent = 0.0
    for child in children:
        try:
            times = child.cpu_times()
        except psutil.Error:  # ended meanwhile
            continue
        spent += times.user + times.system
    return own.user + own.system, spent
