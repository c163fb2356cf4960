"""What inference derives from a body's content, derived once per distinct content.

Captures repeat bodies: the same list read again, the same error, the same small answer to
every poll. Parsing is cheap (orjson); the walks over the parsed value (field paths for
examples, identity values and shape for path structure, tokens a response quotes) are
not. `RecentBodies` keeps the facts of recent small bodies by content, bounded in entries
and in the size of each, so a repeat costs one dict lookup and memory stays flat.
"""

from __future__ import annotations

from docgen.capture.recent import remember
from docgen.capture.record import Body, read_json
from docgen.infer.bodywalks import echoed_tokens, field_paths, identity_values, shape_signature

MAX_ENTRIES = 256
MAX_CACHED_SIZE = 32 * 1024  # larger bodies are rarely repeated and cost memory to keep


class BodyFacts:
    """A body parsed (`parsed`, `why` as read_json gives them) and, on first use, what the
    walks over it find. The parsed value is shared by every repeat: read it, never change it."""

    __slots__ = ("content", "parsed", "why", "_paths", "_identities", "_signature", "_tokens")

    def __init__(self, body: Body) -> None:
        self.content = body.content
        self.parsed, self.why = read_json(body)
        self._paths: frozenset[str] | None = None
        self._identities: tuple[tuple[str, str], ...] | None = None
        self._signature: str | None = None
        self._tokens: frozenset[str] | None = None

    @property
    def paths(self) -> frozenset[str]:
        """Field paths of the parsed body (none when it is not JSON)."""
        if self._paths is None:
            self._paths = field_paths(self.parsed) if not self.why else frozenset()
        return self._paths

    @property
    def identities(self) -> tuple[tuple[str, str], ...]:
        """(key, value) of its identity fields (docgen.infer.structure.identity_values)."""
        if self._identities is None:
            self._identities = tuple(identity_values(self.parsed))
        return self._identities

    @property
    def signature(self) -> str:
        if self._signature is None:
            self._signature = shape_signature(self.parsed)
        return self._signature

    @property
    def tokens(self) -> frozenset[str]:
        """Word-like tokens of the raw content (does the answer quote a path segment?)."""
        if self._tokens is None:
            self._tokens = frozenset(echoed_tokens(self.content))
        return self._tokens


class RecentBodies:
    """BodyFacts of recent small bodies by content; others are made afresh each time."""

    def __init__(self, entries: int = MAX_ENTRIES) -> None:
        self.entries = entries
        # read_json's answer depends on the content and on whether the type says JSON
        self.known: dict[tuple[bytes, bool], BodyFacts] = {}

    def __getstate__(self) -> dict[str, object]:
        # A pickled model builder (a per-recorder summary) ships evidence, not this cache.
        return {"entries": self.entries, "known": {}}

    def facts(self, body: Body) -> BodyFacts:
        content = body.content
        if not content or body.truncated or len(content) > MAX_CACHED_SIZE:
            return BodyFacts(body)
        key = (content, "json" in body.content_type)
        found = self.known.get(key)
        if found is None:
            found = remember(self.known, key, BodyFacts(body), self.entries)
        return found
