"""HAR 1.2 files written from exchanges, for import tests."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docgen.capture.record import Exchange

FIRST = 1714557600.0  # 2024-05-01T10:00:00Z: entries without a time get one second apart


def started(epoch: float) -> str:
    """HAR's startedDateTime: each entry its own time, as browsers write them (an import
    skips an entry identical to one already stored, time included)."""
    moment = datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds")
    return moment.replace("+00:00", "Z")


def write_har(path: Path, exchanges: list[Exchange], **options: bool) -> Path:
    path.write_text(json.dumps(har_of(exchanges, **options)))
    return path


def har_of(exchanges: list[Exchange], base64_responses: bool = False) -> dict[str, Any]:
    """A HAR 1.2 document, as a browser would export it."""
    entries = []
    for ex in exchanges:
        text = (ex.response_body.content or b"").decode()
        content: dict[str, Any] = {"size": len(text), "mimeType": "application/json",
                                   "text": text}
        if base64_responses:
            content.update(text=base64.b64encode(text.encode()).decode(), encoding="base64")
        request: dict[str, Any] = {
            "method": ex.method, "url": ex.url + ("?" + "&".join(f"{k}={v}" for k, v in ex.query)
                                                  if ex.query else ""),
            "httpVersion": "HTTP/1.1", "cookies": [], "queryString": [], "headersSize": -1,
            "bodySize": -1, "headers": [{"name": k, "value": v} for k, v in ex.request_headers],
        }
        if ex.request_body.content:
            request["postData"] = {"mimeType": "application/json",
                                   "text": ex.request_body.content.decode()}
        entries.append({
            "startedDateTime": started(ex.started or FIRST + len(entries)), "time": 12.5,
            "request": request,
            "response": {"status": ex.status, "statusText": ex.reason, "httpVersion": "HTTP/1.1",
                         "headers": [{"name": k, "value": v} for k, v in ex.response_headers],
                         "cookies": [], "content": content, "redirectURL": "",
                         "headersSize": -1, "bodySize": -1},
            "cache": {}, "timings": {"send": 0, "wait": 10, "receive": 2},
        })
    return {"log": {"version": "1.2", "creator": {"name": "test", "version": "1"},
                    "entries": entries}}


