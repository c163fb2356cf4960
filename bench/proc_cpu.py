"""CPU time of a process and of its live children, read from /proc (Linux).

On a shared two-core VM a burst's requests a second move by 10-20 % with the hour; the
CPU a proxy spends on each request moves far less, so the benches report it beside the
wall clock. Elsewhere (no /proc) the figure is None.
"""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _fields(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (which may hold spaces)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def _seconds(fields: list[str]) -> float:
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def cpu_split(pid: int) -> tuple[float, float] | None:
    """(the process's own CPU seconds, those of its live children), or None."""
    own = _fields(pid)
    if own is None:
        return None
    children = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _fields(int(entry.name))) is not None \
                and fields[1] == str(pid):
            children += _seconds(fields)
    return _seconds(own), children
