"""Header evidence: which response headers a server sends, and which request headers are
just what every client adds by itself.

Response headers are documented per status (name, how many responses carried it, a
redacted example: the recorder already masked secrets such as `X-CSRF-TOKEN` values and
`Set-Cookie` values). Hop-by-hop and per-message headers (`Date`, `Content-Length`...)
say nothing about the API and are left out. Memory is bounded by MAX_HEADERS names.
"""

from __future__ import annotations

from collections.abc import Iterable

from docgen.infer.model import Param

MAX_HEADERS = 32
# Response headers that describe the message or the connection, not the API.
UNDOCUMENTED_RESPONSE = frozenset({
    "date", "content-length", "connection", "keep-alive", "transfer-encoding", "age",
    "proxy-connection", "trailer", "upgrade", "via",
})
# Request headers clients add by default: never "required" by the API.
CLIENT_DEFAULTS = frozenset({"host", "user-agent", "content-length", "connection",
                             "accept-encoding"})


def is_client_default(name: str, value: str) -> bool:
    """True for a request header the client sent by itself (`Accept: */*`, `User-Agent`)."""
    lower = name.lower()
    return lower in CLIENT_DEFAULTS or (lower == "accept" and value.strip() in ("*/*", ""))


class HeaderStats:
    """Response headers of one kind of response: names, counts and a first value each."""

    def __init__(self) -> None:
        self.count = 0
        self.names: dict[str, str] = {}  # lower-case -> name as first seen
        self.seen: dict[str, int] = {}
        self.examples: dict[str, str] = {}

    def add(self, headers: Iterable[tuple[str, str]]) -> None:
        self.count += 1
        counted: set[str] = set()
        for name, value in headers:
            lower = name.lower()
            if lower in UNDOCUMENTED_RESPONSE or lower.startswith(":") or lower in counted:
                continue
            if lower not in self.names and len(self.names) >= MAX_HEADERS:
                continue
            counted.add(lower)
            self.names.setdefault(lower, name)
            self.seen[lower] = self.seen.get(lower, 0) + 1
            self.examples.setdefault(lower, value[:200])

    def merge(self, other: HeaderStats) -> None:
        self.count += other.count
        for lower, name in other.names.items():
            if lower not in self.names and len(self.names) >= MAX_HEADERS:
                continue
            self.names.setdefault(lower, name)
            self.seen[lower] = self.seen.get(lower, 0) + other.seen[lower]
            self.examples.setdefault(lower, other.examples[lower])

    def params(self) -> list[Param]:
        """One header Param per name, most often seen first."""
        order = sorted(self.names, key=lambda lower: (-self.seen[lower], lower))
        return [Param(name=self.names[lower], location="header", schema={"type": "string"},
                      required=self.seen[lower] == self.count, seen=self.seen[lower],
                      total=self.count, examples=[self.examples[lower]])
                for lower in order]
