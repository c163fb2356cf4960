"""Deterministic, random-looking identifiers: the same seed gives the same ids, run after run.

Each kind of id has its own counter; an id is a hash of (seed, kind, counter). Call ids keep
the real format: a per-seed 26-character prefix plus a 6-digit counter
(`UIVB8J6JE91C53UIM3VI59VHQ4000015`), so they are counter-based like T-Server's; the real
server's `callUuid` is the call's id.
"""

from __future__ import annotations

import hashlib
import random
import string
import uuid

UPPER_ALNUM = string.ascii_uppercase + string.digits
LOWER_ALNUM = string.ascii_lowercase + string.digits
CALL_PREFIX_LENGTH = 26


def seeded_uuid(rng: random.Random) -> str:
    """A lowercase version-4 UUID drawn from rng."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def seeded_hex32(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


class IdFactory:
    """Hands out ids for things created at run time (calls, sessions, tokens, clients)."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._counters: dict[str, int] = {}
        rng = random.Random(f"gwssim-call-prefix-{seed}")
        self._call_prefix = "".join(rng.choice(UPPER_ALNUM) for _ in range(CALL_PREFIX_LENGTH))

    def _next(self, kind: str) -> int:
        self._counters[kind] = self._counters.get(kind, 0) + 1
        return self._counters[kind]

    def _digest(self, kind: str) -> bytes:
        number = self._next(kind)
        return hashlib.sha256(f"{self._seed}:{kind}:{number}".encode()).digest()

    def call_id(self) -> str:
        return f"{self._call_prefix}{self._next('call'):06d}"

    def conn_id(self) -> str:
        # Real connIds start with the T-Server's node prefix, e.g. 007a02ab3c6f1234.
        return "007" + self._digest("conn-id").hex()[:13]

    def session_token(self) -> str:
        return _encode(self._digest("session"), LOWER_ALNUM, 26)

    def csrf_token(self) -> str:
        return str(uuid.UUID(bytes=self._digest("csrf")[:16], version=4))

    def cometd_client_id(self) -> str:
        return _encode(self._digest("cometd-client"), LOWER_ALNUM, 27)


def _encode(digest: bytes, alphabet: str, length: int) -> str:
    """Spell the digest in alphabet, length characters long (digest has 256 bits to spare)."""
    number = int.from_bytes(digest, "big")
    chars = []
    for _ in range(length):
        number, index = divmod(number, len(alphabet))
        chars.append(alphabet[index])
    return "".join(chars)
