"""Redaction: remove every secret from an exchange before anything reaches the disk.

Secrets are found by *name* (headers, cookies, query parameters, form fields and JSON keys
whose last word means password/secret/token/api key/session/csrf: docgen.capture.secretnames
matches words, not substrings), by *shape* (JWTs,
`user:password@` in URLs) and by extra user rules. Values are replaced by a fixed mask
that keeps the example readable: `Basic` keeps its user name (and an empty password stays
empty, so `curl -u ksippo:` remains true), cookies keep their names and attributes, JSON
keeps its structure and non-string values (a boolean under `changePasswordOnFirstLogin`
is not a secret). Under a secret name a value whose shape cannot be a secret is kept, and
why is recorded in `Redactor.kept` (a timestamp, a number, a URL without credentials, a short
enum-like word; never for password/pin/otp-like names, whose values may be any word).
"""

from __future__ import annotations

import base64
import json
import os
import re
from _blake2 import blake2b  # hashlib's own BLAKE2, without hashlib's OpenSSL start-up
from collections.abc import Iterable, Sequence
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode

from docgen.capture import fastjson
from docgen.capture.recent import remember
from docgen.capture.record import Body, Exchange, Pairs, basic_user, decode_basic, is_basic
from docgen.capture.secretnames import ALWAYS_MASKED, plural_secret, secret_head

# Brackets mark it as a placeholder for secret scanners (detect-secrets ignores it)
# and for readers; it is never a plausible real value.
MASK: Final = "[REDACTED]"
# Headers whose value names another header rather than carrying a secret (Web Services'
# `X-CSRF-HEADER: X-CSRF-TOKEN`); keeping them keeps the docs true.
NOT_SECRET_HEADERS: Final = frozenset({"x-csrf-header"})
# Every pattern starts with a literal and bounds its repeats, so scanning a 10 MB body
# stays linear (a leading `[\w]*` would backtrack quadratically on long runs).
# JWT candidates: a run of base64url-and-dot characters starting with `eyJ` (a JSON
# header); non-overlapping, so linear. `_mask_jwt` decides on the dot-separated parts.
JWT_CANDIDATE_RE: Final = re.compile(r"eyJ[A-Za-z0-9_.-]*")
_TIMESTAMP: Final = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?"
                               r"(?:Z|[+-]\d{2}:?\d{2})?)?")
# No user info, no query that could carry one:
_URL: Final = re.compile(r"https?://[^\s@?#]{1,2048}")
_ENUM_WORD: Final = re.compile(r"[a-z]{1,12}(?:[_-][a-z]{1,12})?")
MAX_KEPT: Final = 1000  # names remembered in Redactor.kept
MAX_NAMES: Final = 50_000  # names whose verdict is remembered (they repeat across flows)
MAX_BODIES: Final = 256  # recent bodies whose redacted content is remembered
MAX_REMEMBERED_BODY: Final = 16 * 1024  # larger ones are redacted afresh (memory: at most 8 MB)
USERINFO_RE: Final = re.compile(r"(?P<pre>://[^/\s:@\"'<>]{0,256}:)(?P<pw>[^/\s@\"'<>]{1,1024})@")
# For bodies that are not JSON: `password=...`, `"token": "..."`, `secret: ...`.
TEXT_SECRET_RE: Final = re.compile(
    rb"(?i)(?P<key>(?:password|passwd|secret|token|api[-_]?key|session|csrf)[\w.-]{0,64}"
    rb"[\"']?[ \t]{0,16}[:=][ \t]{0,16}[\"']?)(?P<value>[^\"'&\s,;<>}\]]+)"
)


_UNKNOWN: Final = object()


class RedactionError(Exception):
    """Redaction could not be completed; the exchange must not be stored."""


def normalise(name: str) -> str:
    """Lower case without separators: `X-Api_Key` and `xapikey` are the same name."""
    return re.sub(r"[\s_.\-]", "", name.lower())


class Redactor:
    """Applies the built-in rules plus `extra_rules` (names, or `re:PATTERN` regexes)."""

    def __init__(self, extra_rules: Sequence[str] = ()) -> None:
        self.extra_names = tuple(normalise(r) for r in extra_rules if not r.startswith("re:"))
        self.extra_patterns = tuple(re.compile(r[3:]) for r in extra_rules if r.startswith("re:"))
        # Session tags are keyed hashes; the key lives only in memory for this run, so
        # the stored tag can't be checked against a guessed cookie value.
        self.session_key = os.urandom(32)
        self._secret_names: dict[str, str | None] = {}
        self._key_heads: dict[str, str | None] = {}  # a JSON key's head outside secrets
        self._session_tags: dict[str, str] = {}  # a session's secret -> its tag (in memory)
        self._headers: dict[tuple[str, str], str] = {}  # (name, value) -> redacted value
        # Captures repeat bodies (the same list read again): redacting is a pure function
        # of the content and its type, so a repeat reuses the answer.
        self._bodies: dict[tuple[bytes, str], bytes] = {}
        self.kept: dict[str, str] = {}  # secret-like name -> why its values were kept

    def is_secret_name(self, name: str) -> bool:
        return self.secret_head(name) is not None

    def secret_head(self, name: str) -> str | None:
        """The word that makes `name` secret (`access_token` -> token); "custom" for user rules."""
        # Names repeat across flows (headers, JSON keys): remember the answers, bounded.
        if name in self._secret_names:
            return self._secret_names[name]
        head = secret_head(name)
        if head is None and any(extra in normalise(name) for extra in self.extra_names):
            head = "custom"
        if len(self._secret_names) < MAX_NAMES:
            self._secret_names[name] = head
        return head

    def keep(self, name: str, head: str, value: Any, words_ok: bool = True) -> bool:
        """Whether a value under a secret name has a shape that can't be a secret; the
        reason is recorded in `kept`."""
        reason = keep_reason(head, value, words_ok)
        if reason and (name in self.kept or len(self.kept) < MAX_KEPT):
            self.kept[name] = reason
        return bool(reason)

    def redact(self, ex: Exchange) -> Exchange:
        try:
            # A copy with the redacted fields set: dataclasses.replace passes every field
            # through __init__ (3.4 us an exchange) and copy.copy through __reduce_ex__
            # (2 us); an Exchange is a plain-__dict__ dataclass, so its dict is copied.
            redacted = object.__new__(type(ex))
            redacted.__dict__.update(ex.__dict__)
            redacted.session = ex.session or self.session_tag(ex)
            redacted.path = self.text(ex.path)
            redacted.query = self.pairs(ex.query)
            redacted.request_headers = self.headers(ex.request_headers)
            redacted.response_headers = self.headers(ex.response_headers)
            redacted.request_body = self.body(ex.request_body)
            redacted.response_body = self.body(ex.response_body)
            redacted.error = self.text(ex.error) if ex.error else ex.error
            return redacted
        except RedactionError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure means "store nothing"
            raise RedactionError(f"{type(exc).__name__}: {exc}") from exc

    def session_tag(self, ex: Exchange) -> str:
        """A keyed hash of the session cookie (sent, else set), else of the Basic user."""
        secret = _session_cookie(ex.request_headers, "cookie") or _session_cookie(
            ex.response_headers, "set-cookie")
        if not secret:
            user = basic_user(ex.header("Authorization") or "")
            secret = f"user:{user}" if user else ""
        if not secret:
            return ""
        tag = self._session_tags.get(secret)
        if tag is None:
            # Keyed BLAKE2 is a MAC by design (RFC 7693): HMAC's job without importing
            # hmac and hashlib (12 M instructions at each start of `wsdoc import`)
            tag = blake2b(secret.encode(), digest_size=8, key=self.session_key).hexdigest()
            if len(self._session_tags) < MAX_NAMES:
                self._session_tags[secret] = tag
        return tag

    # -- strings ----------------------------------------------------------------------
    def text(self, value: str) -> str:
        """Mask secrets recognisable by shape inside any free text."""
        if not self.extra_patterns and "eyJ" not in value and "://" not in value:
            return value  # the common case, checked without a regex
        value = JWT_CANDIDATE_RE.sub(_mask_jwt, value)
        value = USERINFO_RE.sub(lambda m: f"{m['pre']}{MASK}@", value)
        for pattern in self.extra_patterns:
            value = pattern.sub(MASK, value)
        return value

    def pairs(self, pairs: Iterable[Sequence[str]]) -> Pairs:
        return [(k, MASK if self._masks(k, v) else self.text(v)) for k, v in pairs]

    def _masks(self, name: str, value: str) -> bool:
        head = self.secret_head(name)
        return bool(head and value) and not self.keep(name, head or "", value, words_ok=False)

    # -- headers ----------------------------------------------------------------------
    def headers(self, headers: Iterable[Sequence[str]]) -> Pairs:
        # Pairs may come as lists (decoded JSON): compiled code checks the hint at run time.
        # The same headers come with every request of a client: each pair is redacted once.
        known = self._headers
        redacted = []
        for name, value in headers:
            masked = known.get((name, value))
            if masked is None:
                masked = remember(known, (name, value), self.header_value(name, value),
                                  MAX_NAMES)
            redacted.append((name, masked))
        return redacted

    def header_value(self, name: str, value: str) -> str:
        lower = name.lower()
        if lower in ("authorization", "proxy-authorization"):
            return redact_authorization(value)
        if lower == "cookie":
            return ";".join(_mask_cookie(part) for part in value.split(";"))
        if lower == "set-cookie":
            first, sep, attributes = value.partition(";")
            return _mask_cookie(first) + sep + attributes
        if lower not in NOT_SECRET_HEADERS and self.is_secret_name(name):
            return MASK
        return self.text(value)

    # -- bodies -----------------------------------------------------------------------
    def body(self, body: Body) -> Body:
        content = body.content
        if not content:
            return body
        key = (content, body.content_type)
        redacted = self._bodies.get(key)
        if redacted is None:
            redacted = self._content(content, body.content_type)
            if len(content) <= MAX_REMEMBERED_BODY:
                remember(self._bodies, key, redacted, MAX_BODIES)
        if redacted is content:
            return body
        return Body(redacted, body.content_type, body.encoding, body.size, body.truncated)

    def _content(self, content: bytes, content_type: str) -> bytes:
        if "json" in content_type or content[:1] in (b"{", b"["):
            redacted_json = self.json_bytes(content)
            if redacted_json is not None:
                return redacted_json
        if content_type == "application/x-www-form-urlencoded":
            return self.form(content)
        return self.raw(content)

    def json_bytes(self, content: bytes) -> bytes | None:
        """Redacted JSON bytes, the original bytes when nothing changed, None if not JSON."""
        try:
            document = fastjson.loads(content)
        except (ValueError, RecursionError):
            return None
        redacted, changed = self.json_value(document)
        if not changed:
            # Keep the bytes exactly as sent when no key was secret; only secrets
            # recognisable by shape (JWT, user:pw@ URLs, user regexes) remain to mask.
            text = content.decode("latin-1")
            masked = self.text(text)
            return content if masked == text else masked.encode("latin-1")
        indent = 2 if b"\n" in content.strip() else None
        separators = None if indent else (",", ":")
        return json.dumps(redacted, indent=indent, separators=separators,
                          ensure_ascii=False).encode()

    def json_value(self, document: Any) -> tuple[Any, bool]:
        """Walk iteratively (no recursion limit): the redacted copy, and whether it changed.
        A secret name's value is masked whole (objects and lists under `password` too); a
        plural name (`secrets`) masks only bare strings, its objects are judged by their keys."""
        root: list[Any] = [document]
        changed = False
        stack: list[tuple[Any, Any, str, str | None]] = [(root, 0, "", None)]
        # Outside any secret, a scalar that `text` leaves alone needs no visit (most are).
        plain = not self.extra_patterns
        while stack:
            parent, key, name, head = stack.pop()
            value = parent[key]
            if isinstance(value, dict):
                for child, item in value.items():
                    child_name = str(child)
                    child_head = self._child_head(child_name, head)
                    if child_head is None and not isinstance(item, dict | list) and (
                            not isinstance(item, str)
                            or plain and "eyJ" not in item and "://" not in item):
                        continue
                    stack.append((value, child, child_name, child_head))
            elif isinstance(value, list):
                stack.extend((value, index, name, head) for index, item in enumerate(value)
                             if head is not None or isinstance(item, dict | list) or (
                                 isinstance(item, str) and not (
                                     plain and "eyJ" not in item and "://" not in item)))
            elif isinstance(value, str):
                secret = head is not None and value and not self.keep(name, head, value)
                new = MASK if secret else self.text(value)
                changed |= new != value
                parent[key] = new
            elif head is not None and isinstance(value, int | float) and not isinstance(
                    value, bool) and not self.keep(name, head, value):
                parent[key], changed = MASK, True
        return root[0], changed

    def _child_head(self, child: str, parent_head: str | None) -> str | None:
        if parent_head is not None and parent_head != "plural":
            return parent_head  # everything inside a secret is secret
        head = self._key_heads.get(child, _UNKNOWN)
        if head is _UNKNOWN:
            head = self.secret_head(child)
            if head is None and plural_secret(child):
                head = "plural"
            if len(self._key_heads) < MAX_NAMES:  # JSON keys repeat across bodies
                self._key_heads[child] = head
        return head  # type: ignore[return-value]

    def form(self, content: bytes) -> bytes:
        try:
            fields = parse_qsl(content.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
        except (UnicodeDecodeError, ValueError):
            return self.raw(content)
        return urlencode(self.pairs(fields)).encode()

    def raw(self, content: bytes) -> bytes:
        """Mask `name=value`-like secrets and shapes in bytes of unknown structure."""
        masked = TEXT_SECRET_RE.sub(lambda m: m["key"] + MASK.encode(), content)
        text = masked.decode("latin-1")  # latin-1 maps bytes 1:1, so this is lossless
        return self.text(text).encode("latin-1")


def keep_reason(head: str, value: Any, words_ok: bool = True) -> str:
    """Why a value under a secret-like name cannot be a secret ("" = it may be one)."""
    if head in ALWAYS_MASKED or head == "custom":
        return ""  # a password, pin or one-time code may look like anything
    if isinstance(value, bool) or value is None:
        return "boolean or null"
    if isinstance(value, int | float):
        return "number"
    if not isinstance(value, str):
        return ""
    if _TIMESTAMP.fullmatch(value):
        return "timestamp"
    if _URL.fullmatch(value):
        return "URL without credentials"
    # A bare word in a list of secret things is a level or state (`"organization_secrets":
    # "read"`); under a singular secret name it could be the secret itself.
    if words_ok and head == "plural" and _ENUM_WORD.fullmatch(value):
        return "short enum-like word"
    return ""


def _mask_jwt(match: re.Match[str]) -> str:
    """A header part and a payload part, both base64url JSON (`eyJ`): a JWT/JWS."""
    parts = match.group(0).split(".")
    for first, second in zip(parts, parts[1:], strict=False):
        both_json = first.startswith("eyJ") and second.startswith("eyJ")
        if both_json and min(len(first), len(second)) > 6:
            return MASK
    return match.group(0)


def _session_cookie(headers: Pairs, header: str) -> str:
    for name, value in headers:
        if name.lower() != header:
            continue
        parts = value.split(";") if header == "cookie" else value.split(";")[:1]
        for part in parts:
            key, sep, cookie = part.strip().partition("=")
            if sep and cookie and "session" in normalise(key):
                return f"{key}={cookie}"
    return ""


def _mask_cookie(part: str) -> str:
    name, sep, value = part.partition("=")
    if not sep:  # a bare value without a name: nothing says it is harmless
        return f" {MASK}" if part.startswith(" ") and part.strip() else (
            MASK if part.strip() else part)
    return f"{name}{sep}{MASK}" if value.strip() else part


def redact_authorization(value: str) -> str:
    """Keep the scheme; for Basic keep the user name, and an empty password stays empty."""
    scheme, _, credentials = value.strip().partition(" ")
    if not is_basic(value):
        return f"{scheme} {MASK}" if credentials else MASK
    decoded = decode_basic(value)
    if decoded is None:
        return f"{scheme} {MASK}"
    user, sep, password = decoded.partition(":")
    if sep and not password:
        return value  # `-u ksippo:`: nothing secret to hide, and the example stays true
    masked = f"{user}:{MASK}".encode()
    return f"{scheme} {base64.b64encode(masked).decode()}"
