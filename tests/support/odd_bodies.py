"""Exchanges with bodies that are not what they claim to be."""

from __future__ import annotations

from docgen.capture.record import Body, Exchange
from docgen.capture.synthetic import exchange


def odd_bodies() -> list[Exchange]:
    def body(content: bytes | None, content_type: str, **extra: object) -> Body:
        size = len(content) if content is not None else 1234
        return Body(content, content_type, size=size, **extra)  # type: ignore[arg-type]

    return [
        exchange("GET", "/files/a", raw_response=body(b"hello", "text/plain")),
        exchange("GET", "/files/a", raw_response=body(b"<html></html>", "text/html")),
        exchange("GET", "/files/a", raw_response=body(b"\xff\xd8\xff\x00", "image/jpeg")),
        exchange("GET", "/files/a", raw_response=body(b"{not json", "application/json")),
        exchange("GET", "/files/a", raw_response=body(None, "application/json", truncated=True)),
        exchange("GET", "/files/a", raw_response=body(None, "application/json")),
        exchange("GET", "/files/a", raw_response=body(b"\xff{}", "application/json")),
    ]


