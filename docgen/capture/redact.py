"""Redaction: remove every secret from an exchange before anything reaches the disk.

Secrets are found by *name* (headers, cookies, query parameters, form fields and JSON keys
whose normalised name means password/secret/token/api key/session/csrf), by *shape* (JWTs,
`user:password@` in URLs) and by extra user rules. Values are replaced by a fixed mask
that keeps the example readable: `Basic` keeps its user name (and an empty password stays
empty, so `curl -u ksippo:` remains true), cookies keep their names and attributes, JSON
keeps its structure and non-string values (a boolean under `changePasswordOnFirstLogin`
is not a secret).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

from docgen.capture import fastjson
from docgen.capture.record import Body, Exchange, Pairs, basic_user, decode_basic, is_basic

# Brackets mark it as a placeholder for secret scanners (detect-secrets ignores it)
# and for readers; it is never a plausible real value.
MASK = "[REDACTED]"
SECRET_WORDS = (
    "password", "passwd", "passphrase", "pwd", "secret", "token", "apikey", "accesskey",
    "privatekey", "session", "csrf", "xsrf", "authorization", "credential", "cookie",
    "signature", "otp", "pin",
)
# Headers whose value names another header rather than carrying a secret (Web Services'
# `X-CSRF-HEADER: X-CSRF-TOKEN`); keeping them keeps the docs true.
NOT_SECRET_HEADERS = frozenset({"x-csrf-header"})
# Every pattern starts with a literal and bounds its repeats, so scanning a 10 MB body
# stays linear (a leading `[\w]*` would backtrack quadratically on long runs).
# JWT candidates: a run of base64url-and-dot characters starting with `eyJ` (a JSON
# header); non-overlapping, so linear. `_mask_jwt` decides on the dot-separated parts.
JWT_CANDIDATE_RE = re.compile(r"eyJ[A-Za-z0-9_.-]*")
USERINFO_RE = re.compile(r"(?P<pre>://[^/\s:@\"'<>]{0,256}:)(?P<pw>[^/\s@\"'<>]{1,1024})@")
# For bodies that are not JSON: `password=...`, `"token": "..."`, `secret: ...`.
TEXT_SECRET_RE = re.compile(
    rb"(?i)(?P<key>(?:password|passwd|secret|token|api[-_]?key|session|csrf)[\w.-]{0,64}"
    rb"[\"']?[ \t]{0,16}[:=][ \t]{0,16}[\"']?)(?P<value>[^\"'&\s,;<>}\]]+)"
)


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
        self._secret_names: dict[str, bool] = {}

    def is_secret_name(self, name: str) -> bool:
        # Names repeat across flows (headers, JSON keys): remember the answers, bounded.
        known = self._secret_names.get(name)
        if known is None:
            known = self._is_secret_name(name)
            if len(self._secret_names) < 50_000:
                self._secret_names[name] = known
        return known

    def _is_secret_name(self, name: str) -> bool:
        key = normalise(name)
        if key in ("pin", "otp", "pwd"):  # short words only as whole names (not "spinner")
            return True
        return any(word in key for word in SECRET_WORDS if len(word) > 3) or any(
            extra in key for extra in self.extra_names
        )

    def redact(self, ex: Exchange) -> Exchange:
        try:
            return replace(
                ex,
                session=ex.session or self.session_tag(ex),
                path=self.text(ex.path),
                query=self.pairs(ex.query),
                request_headers=self.headers(ex.request_headers),
                response_headers=self.headers(ex.response_headers),
                request_body=self.body(ex.request_body),
                response_body=self.body(ex.response_body),
                error=self.text(ex.error) if ex.error else ex.error,
            )
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
        return hmac.new(self.session_key, secret.encode(), hashlib.sha256).hexdigest()[:16]

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

    def pairs(self, pairs: Pairs) -> Pairs:
        return [(k, MASK if self.is_secret_name(k) and v else self.text(v)) for k, v in pairs]

    # -- headers ----------------------------------------------------------------------
    def headers(self, headers: Pairs) -> Pairs:
        return [(name, self.header_value(name, value)) for name, value in headers]

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
        if not body.content:
            return body
        content = body.content
        if "json" in body.content_type or content[:1] in (b"{", b"["):
            redacted_json = self.json_bytes(content)
            if redacted_json is not None:
                return replace(body, content=redacted_json)
        if body.content_type == "application/x-www-form-urlencoded":
            return replace(body, content=self.form(content))
        return replace(body, content=self.raw(content))

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
        """Walk iteratively (no recursion limit): the redacted copy, and whether it changed."""
        root: list[Any] = [document]
        changed = False
        stack: list[tuple[Any, Any, bool]] = [(root, 0, False)]
        while stack:
            parent, key, secret = stack.pop()
            value = parent[key]
            if isinstance(value, dict):
                for child in value:
                    stack.append((value, child, secret or self.is_secret_name(str(child))))
            elif isinstance(value, list):
                stack.extend((value, index, secret) for index in range(len(value)))
            elif isinstance(value, str):
                new = MASK if secret and value else self.text(value)
                changed |= new != value
                parent[key] = new
            elif secret and isinstance(value, int | float) and not isinstance(value, bool):
                parent[key], changed = MASK, True
        return root[0], changed

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
    return f"{name}{sep}{MASK}" if sep and value.strip() else part


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
