"""Scoring endpoint templates against the hand-written truth of tests/corpus/.

A truth file lists one endpoint a line: `METHOD /path/{param}` or, when the capture has
several hosts, `METHOD host /path/{param}`. Templates are compared modulo parameter names
(`/repos/{owner}/{repo}` == `/repos/{a}/{b}`); what counts is which segments are parameters.
Used by the corpus tests (tests/test_corpus.py) and by bench/bench_corpus.py, which scores
wsdoc beside mitmproxy2swagger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus"
_PARAM = re.compile(r"\{[^/{}]*\}")
# Ids a reader would call ids, written out here independently of docgen's profiles.
LITERAL_ID = re.compile(
    r"\d+|[0-9a-fA-F]{24}|[0-9a-fA-F]{32}|[0-9a-fA-F]{40}"
    r"|[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}|[A-Z][A-Z0-9]+-\d+")

Endpoint = tuple[str, str, str]  # method, host ("" when the capture has one), template


def captures() -> list[Path]:
    """The corpus HAR files that have a truth file."""
    return sorted(p for p in CORPUS.glob("*.har") if truth_file(p).exists())


def truth_file(har: Path) -> Path:
    return har.with_name(har.name[: -len(".har")] + ".truth.txt")


def normalise(template: str) -> str:
    """`/repos/{owner}/{repo}/` -> `/repos/{}/{}`: parameters without names, no query."""
    path = template.split("?", 1)[0].rstrip("/") or "/"
    return _PARAM.sub("{}", path)


def host_of(origin: str) -> str:
    """`https://api.github.com` -> `api.github.com`; a bare host stays as it is."""
    return (urlsplit(origin).hostname or "") if "://" in origin else origin


def read_truth(har: Path) -> set[Endpoint]:
    found: set[Endpoint] = set()
    for line in truth_file(har).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        method, host, template = (parts[0], "", parts[1]) if len(parts) == 2 else parts[:3]
        found.add((method.upper(), host_of(host), normalise(template)))
    return found


@dataclass
class Score:
    """One tool on one capture."""

    truth: int
    found: int
    right: int
    wrong: list[Endpoint] = field(default_factory=list)  # found, not in the truth
    missing: list[Endpoint] = field(default_factory=list)  # in the truth, not found
    literal_ids: list[str] = field(default_factory=list)  # literal id segments in templates

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.right / self.truth if self.truth else 0.0


def score(truth: set[Endpoint], found: set[Endpoint]) -> Score:
    """Compare found endpoints with the truth. Hosts count only where the truth names them."""
    if not any(host for _, host, _ in truth):
        found = {(method, "", template) for method, _, template in found}
    # Id-shaped literals the truth does not have (it keeps versions such as `3` literal).
    kept = {segment for _, _, template in truth for segment in template.split("/")}
    literal = sorted({segment for _, _, template in found for segment in template.split("/")
                      if LITERAL_ID.fullmatch(segment) and segment not in kept})
    return Score(truth=len(truth), found=len(found), right=len(truth & found),
                 wrong=sorted(found - truth), missing=sorted(truth - found),
                 literal_ids=literal)
