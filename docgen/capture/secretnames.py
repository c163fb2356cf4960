"""Which names carry secrets: matched by words, not by substrings.

A name is split into words (camelCase, snake_case, kebab-case, dotted: `X-Hub-Signature-256`
-> x, hub, signature, 256). English compounds put the thing last, so the *last* word decides:
`access_token` is a token, `token_type`, `token_expires_at` and `access_tokens_url` are facts
about one. A leading predicate (`hide_secret`, `can_sign`, `require_password_to_approve`)
makes a flag. A plural last word (`secrets`, `revokeSessions`) names a list of metadata,
whose items are judged by their own names. Words that merely contain a secret word
(`shipping`, `footprint`, `pinned_at`, `passport`) are other words and never match.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Last words that make the name a secret on their own.
SECRET_HEADS = frozenset(
    "password passwd passphrase pwd secret token otp pin passcode cookie csrf xsrf signature "
    "sign sid session sessionid jsessionid phpsessid apikey accesskey privatekey secretkey "
    "credential".split()
)
# Last words that are secrets only after one of these words (`api_key`, `otpCode`).
QUALIFIED_HEADS: dict[str, frozenset[str]] = {
    "key": frozenset("api private secret hook access signing encryption master client shared "
                     "license app".split()),
    "code": frozenset("otp pass authorization auth verification recovery mfa totp".split()),
    "id": frozenset({"session"}),
    "config": frozenset({"jit"}),
}
# `authorization` is the credential header itself, not `authorization_method`.
WHOLE_NAMES = frozenset({("authorization",), ("proxy", "authorization"),
                         ("x", "authorization")})
# First words that make a flag or a setting of a name (`hide_secret`, `alwaysIncludeInToken`).
PREDICATES = frozenset(
    "is has have can should must allow allows enable enabled disable disabled hide show reveal "
    "require requires include exclude always never use send revoke keep skip supports off on "
    "with without".split()
)
# Heads whose values are always masked, whatever they look like: a password may be a word.
ALWAYS_MASKED = frozenset("password passwd passphrase pwd otp pin passcode code".split())

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def words(name: str) -> list[str]:
    """`sessionIdleTimeoutMinutes` -> session, idle, timeout, minutes; `JSESSIONID` ->
    jsessionid; `X-Hub-Signature-256` -> x, hub, signature, 256 (lower case)."""
    return [w.lower() for w in _WORD.findall(name)]


def _plural(word: str) -> str | None:
    """The singular of a plural secret head (`secrets` -> `secret`), else None."""
    for singular in (word[:-1], word[:-2]):
        if word.endswith("s") and (singular in SECRET_HEADS or singular in QUALIFIED_HEADS):
            return singular
    return None


@lru_cache(maxsize=4096)  # names repeat in every exchange (headers, JSON keys)
def secret_head(name: str) -> str | None:
    """The secret word that makes `name` a secret (`access_token` -> token), else None."""
    parts = [w for w in words(name) if not w.isdigit()]
    if not parts:
        return None
    if tuple(parts) in WHOLE_NAMES:
        return "authorization"
    if len(parts) > 1 and parts[0] in PREDICATES:
        return None
    head = parts[-1]
    if head in SECRET_HEADS:
        return head
    qualifiers = QUALIFIED_HEADS.get(head)
    if qualifiers is not None and len(parts) > 1 and parts[-2] in qualifiers:
        return head
    return None


@lru_cache(maxsize=4096)
def plural_secret(name: str) -> bool:
    """`secrets`, `revokeSessions`: a list (or count) of secret things, not one secret."""
    parts = [w for w in words(name) if not w.isdigit()]
    return bool(parts) and _plural(parts[-1]) is not None and not (
        len(parts) > 1 and parts[0] in PREDICATES)
