"""JSON parsing through orjson, falling back to the standard library where they differ.

orjson parses several times faster than `json`, but refuses a few documents `json`
accepts (NaN and Infinity, integers beyond 64 bits, nesting past 1024 levels, lone
surrogates): those go to `json`, so the parsed value is always the one `json.loads` gives,
and the errors are the same kinds (ValueError, RecursionError).
"""

from __future__ import annotations

import codecs
import json
from typing import Any

import orjson


def loads(data: bytes | str) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


def load_document(data: bytes) -> Any:
    """A whole JSON file: a UTF-8 byte order mark is allowed, other bytes must be UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data.decode("utf-8"))
