"""Snapshot -> redacted record, as the store's writer runs it (thread or child process).

A `Preparer` holds only what it needs to rebuild itself elsewhere (redaction rules, body
limit, provenance): it pickles into the writer process as those settings, and its
warnings and counts travel back to the proxy with each batch's acknowledgement.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docgen.capture.record import Exchange
from docgen.capture.redact import RedactionError, Redactor
from docgen.capture.snapshot import FlowSnapshot, to_exchange

Warn = Callable[[str], None]


class Preparer:
    """Decodes and redacts a snapshot; None means "store nothing" (redaction failed)."""

    def __init__(self, rules: tuple[str, ...] = (), max_body: int = 10 * 1024 * 1024,
                 provenance: tuple[str, str] = ("", ""), warn: Warn | None = None) -> None:
        self.rules, self.max_body, self.provenance = tuple(rules), max_body, provenance
        self.redactor = Redactor(self.rules)
        self.warn: Warn = warn or _drop
        self.recorded = 0
        self.redaction_failures = 0

    def __getstate__(self) -> dict[str, Any]:
        # The redactor's session key must never leave the process that made it, and the
        # warning sink is the receiving side's business.
        return {"rules": self.rules, "max_body": self.max_body, "provenance": self.provenance}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["rules"], state["max_body"], state["provenance"])  # type: ignore[misc]

    def __call__(self, snap: FlowSnapshot) -> Exchange | None:
        warnings: list[str] = []
        exchange = to_exchange(snap, self.max_body, warnings)
        for warning in warnings:
            self.warn(f"wsdoc: {snap.method} {snap.path[:80]}: {warning} (recorded as is)")
        try:
            redacted = self.redactor.redact(exchange)
        except RedactionError as exc:
            self.redaction_failures += 1
            if self.redaction_failures == 1:
                self.warn(f"wsdoc: redaction failed, flow not stored ({exc}); "
                          "further failures are only counted")
            return None
        self.recorded += 1
        redacted.recorder, redacted.recorder_host = self.provenance
        return redacted


def _drop(message: str) -> None:
    pass
