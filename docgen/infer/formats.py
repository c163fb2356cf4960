"""String formats inference claims and contracts check, by the same patterns.

Kept free of genson so that the recorder's live contract check can import it cheaply.
"""

from __future__ import annotations

import re

FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("date-time", re.compile(
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})", re.IGNORECASE)),
    ("date", re.compile(r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])")),
    ("uuid", re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")),
    ("email", re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")),
    ("uri", re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")),
    ("ipv4", re.compile(r"(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}"
                        r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)")),
)
FORMAT_NAMES = tuple(name for name, _ in FORMATS)
# Formats a single repeated value does not prove: a version such as "8.5.201.97" is a
# dotted quad too. They are claimed only once two distinct values matched.
NEEDS_TWO_VALUES = frozenset({"ipv4"})
