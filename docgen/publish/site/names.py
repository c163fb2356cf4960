"""Safe, stable file names for generated pages, derived from untrusted path templates.

A template comes from recorded traffic, so it may hold `..`, `%2f`, backslashes, NUL,
thousands of characters or names that differ only in case. `page_name()` maps it to an
ASCII slug of `[a-z0-9-]` (no dots, no separators, never empty) of at most 120 characters
plus a short hash. Templates that the slug cannot represent exactly (upper case, other
punctuation, a trailing slash, over-long) always carry an 8-hex hash of the exact
(method, template), so a clean `/users` keeps `get-users` whatever else is recorded and
`/Users` becomes `get-users-1a2b3c4d`. `assign_pages()` still resolves any remaining
clash (case-insensitively, for case-insensitive file systems) with longer hashes, and
`resource_of()` picks the nav section an endpoint belongs to.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import partial

from docgen.infer.distinct import unique_name
from docgen.infer.profile import LEADING_WORD

MAX_SLUG = 120
HASH_LEN = 8
_CLEAN_TEMPLATE = re.compile(r"(?:/(?:[a-z0-9]+(?:-[a-z0-9]+)*|\{[A-Za-z][A-Za-z0-9]*\}))*")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_PARAM = re.compile(r"\{[^{}/]*\}")


def slug(value: str, limit: int = MAX_SLUG) -> str:
    """Lower-case ASCII letters and digits joined by single '-' (may be empty)."""
    return _NOT_SLUG.sub("-", value.lower()).strip("-")[:limit].strip("-")


def short_hash(*parts: str, length: int = HASH_LEN) -> str:
    digest = hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:length]


def page_name(method: str, template: str) -> str:
    """The file stem of an endpoint's page: 'get-api-v2-me-calls-callid'."""
    method_slug = slug(method, 16) or "method"
    path_slug = slug(template.replace("{", "").replace("}", ""))
    name = f"{method_slug}-{path_slug}" if path_slug else f"{method_slug}-root"
    exact = (
        method == method.upper()
        and method.isascii() and method.isalpha()
        and _CLEAN_TEMPLATE.fullmatch(template) is not None
        and len(name) <= MAX_SLUG
    )
    if exact:
        return name
    return f"{name[:MAX_SLUG].rstrip('-')}-{short_hash(method, template)}"


def resource_of(template: str, base_path: str = "") -> str:
    """The first meaningful segment after the base path ('me', 'users'); '' for the root."""
    segments = [s for s in template.split("/") if s]
    base = [s for s in base_path.split("/") if s]
    if base and segments[: len(base)] == base:
        segments = segments[len(base):]
    else:
        while segments and LEADING_WORD.fullmatch(segments[0]):
            segments = segments[1:]
    for segment in segments:
        if not _PARAM.fullmatch(segment):
            return segment
    return ""


def resource_dir(resource: str) -> str:
    """The docs/ sub-folder of a resource: a slug, hashed when the slug is not exact."""
    name = slug(resource, 40)
    if name == resource and name:
        return name
    return f"{name or 'resource'}-{short_hash(resource, length=6)}"


def _clash_stem(method: str, template: str, base: str, attempt: int) -> str:
    """A stem that clashed (case-insensitively) gets a longer hash each further attempt."""
    length = HASH_LEN + 4 * (attempt - 1)
    return f"{base[:MAX_SLUG].rstrip('-')}-{short_hash(method, template, 'clash', length=length)}"


class _Folded:
    """Membership ignoring case: page files must differ on case-insensitive disks."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self.taken


def assign_pages(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Unique stems for (method, template) keys; deterministic, clashes get longer hashes."""
    stems: dict[tuple[str, str], str] = {}
    taken: set[str] = set()
    for method, template in sorted(set(keys)):
        base = page_name(method, template)
        stem = unique_name(base, _Folded(taken), partial(_clash_stem, method, template))
        taken.add(stem.lower())
        stems[(method, template)] = stem
    return stems


def operation_anchor(name: str) -> str:
    """The id of an operation's heading: our own slug, never recorded text."""
    return f"op-{slug(name, 40) or 'operation'}-{short_hash(name, length=6)}"
