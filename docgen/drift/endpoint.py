"""The compiled pieces of a drift contract: endpoints, operations, bodies, path matching.

Built by `docgen.drift_contract.Contract`; read-only afterwards, so threads may share them.
A recorded path matches a template segment by segment: a literal segment must be equal
(percent-decoding aside), a segment with `{param}` matches any value in its place. When
several templates match, the rank prefers literal segments, leftmost first, so
`/calls/active` beats `/calls/{callId}` for the path `/calls/active`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from jsonschema import Draft202012Validator

from docgen.infer.paths import split_path

Json = dict[str, Any]
_PARAM = re.compile(r"\{[^{}/]+\}")


@dataclass(frozen=True)
class BodyCheck:
    """A compiled schema: the validator, and the raw schema node for walking fields."""

    validator: Draft202012Validator
    schema: Json


@dataclass(frozen=True)
class OperationContract:
    name: str | None
    request: BodyCheck | None  # None: the contract has no JSON schema for its requests
    statuses: frozenset[str] | None = None  # None: the contract does not say per operation


@dataclass
class EndpointContract:
    method: str
    template: str
    segments: tuple[tuple[str | None, re.Pattern[str] | None], ...]  # literal or pattern
    responses: dict[str, BodyCheck | None] = field(default_factory=dict)
    query: BodyCheck | None = None
    discriminator: str = ""  # "" when the endpoint is not operation-style
    operations: dict[str, OperationContract] = field(default_factory=dict)
    default: OperationContract = field(default_factory=lambda: OperationContract(None, None))

    @property
    def key(self) -> str:
        return f"{self.method} {self.template}"

    def match(self, segments: list[str]) -> tuple[int, ...] | None:
        """None, or a rank (lower is better: parameters at the earliest positions lose)."""
        if len(segments) != len(self.segments):
            return None
        rank = []
        for value, (literal, pattern) in zip(segments, self.segments, strict=True):
            if literal is not None:
                if unquote(value) != unquote(literal):
                    return None
                rank.append(0)
            elif pattern is not None and pattern.fullmatch(value):
                rank.append(1)
            else:
                return None
        return tuple(rank)


def compile_segments(template: str) -> tuple[tuple[str | None, re.Pattern[str] | None], ...]:
    compiled: list[tuple[str | None, re.Pattern[str] | None]] = []
    for segment in split_path(template):
        if not _PARAM.search(segment):
            compiled.append((segment, None))
            continue
        parts = _PARAM.split(segment)
        regex = "[^/]+".join(re.escape(part) for part in parts)
        compiled.append((None, re.compile(regex)))
    return tuple(compiled)
