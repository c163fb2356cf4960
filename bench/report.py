"""The one way a benchmark hands its report over: printed, and kept as JSON when asked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def emit(report: dict[str, Any], json_path: str | None) -> dict[str, Any]:
    """Print the report; also write it to `json_path` (run_all.py's --json) when given."""
    text = json.dumps(report, indent=2)
    print(text)
    if json_path:
        Path(json_path).write_text(text + "\n")
    return report
