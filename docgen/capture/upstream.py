"""Upstream failures, as the recorder logs them: one line for the first failure of each
kind (refused, timed out, unresolvable name, TLS, server hung up), not one per request.

A proxy in front of a server that is down would otherwise either stay silent (the user sees
only curl's error) or repeat the same line for every request of a script.
"""

from __future__ import annotations

from typing import Any

# (kind, words in mitmproxy's error message that mean it), first match wins.
KINDS = (
    ("refused the connection", ("refused", "connect call failed")),
    ("timed out", ("timed out", "timeout")),
    ("has a name that does not resolve", ("name or service not known", "getaddrinfo",
                                          "nodename nor servname", "name resolution")),
    ("failed TLS", ("certificate", "tls", "ssl")),
    ("closed the connection", ("server disconnected", "reset by peer", "connection reset")),
)
CLIENT_SIDE = ("client disconnected", "killed by")


def failure_kind(message: str) -> str | None:
    """What went wrong upstream, from mitmproxy's error message; None for the client's
    own failures (it hung up), which say nothing about the server."""
    text = message.lower()
    if any(word in text for word in CLIENT_SIDE):
        return None
    for kind, words in KINDS:
        if any(word in text for word in words):
            return kind
    return "failed"


class UpstreamFailures:
    """Remembers which kinds of upstream failure were already logged."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def first(self, flow: Any) -> str | None:
        """The log line for a failed flow if it is the first of its kind, else None."""
        kind = failure_kind(flow.error.msg)
        if kind is None:
            return None
        self.seen[kind] = self.seen.get(kind, 0) + 1
        if self.seen[kind] > 1:
            return None
        request = flow.request
        target = f"{request.host}:{request.port}"
        reason = " ".join(flow.error.msg.split())[:200]
        return (f"wsdoc: upstream {target} {kind} ({reason}); {request.method} "
                f"{request.path[:80]} answered 502 and recorded; further failures of this "
                "kind are not logged")
