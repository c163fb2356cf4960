"""A leak checker that shares no code with the redactor: it only knows the canaries.

It looks for each canary in the raw bytes of every file, and in the forms a secret takes
when it is re-encoded on the way: base64 (at every alignment, as inside `user:password`),
URL-encoding, JSON string escaping and HTML escaping.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from urllib.parse import quote, quote_plus


def base64_forms(secret: bytes) -> set[bytes]:
    """Substrings that must appear when `secret` is base64-encoded inside anything."""
    forms = set()
    for pad in range(3):
        encoded = base64.b64encode(b"\0" * pad + secret)
        skip = (pad * 4 + 2) // 3 + (1 if pad else 0)
        core = encoded[skip:].rstrip(b"=")
        forms.add(core[:-3] if len(core) > 8 else core)
        urlsafe = base64.urlsafe_b64encode(b"\0" * pad + secret)[skip:].rstrip(b"=")
        forms.add(urlsafe[:-3] if len(urlsafe) > 8 else urlsafe)
    return {form for form in forms if len(form) >= 8}


def forms_of(canary: str) -> set[bytes]:
    raw = canary.encode()
    forms = {raw, quote(canary).encode(), quote_plus(canary).encode(),
             json.dumps(canary)[1:-1].encode(), html.escape(canary).encode(),
             html.escape(json.dumps(canary)[1:-1]).encode()}
    return forms | base64_forms(raw)


def find_leaks(canaries: list[str], files: list[Path]) -> list[str]:
    """'<file>: <canary> as <form>' for every occurrence found."""
    leaks = []
    needles = {canary: forms_of(canary) for canary in canaries}
    for path in files:
        data = path.read_bytes()
        for canary, forms in needles.items():
            for form in forms:
                if form in data:
                    leaks.append(f"{path}: {canary} as {form[:40]!r}")
    return leaks
