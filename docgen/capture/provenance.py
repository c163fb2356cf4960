"""Provenance: which recorder wrote a record, shown on the site when a store has several.

A recorder is a chosen name (default: the login name) on a host (default: this machine's
host name). Both are plain labels checked against a short alphabet, never derived from a
store URL, header or credential, so a record's provenance cannot carry a secret.
"""

from __future__ import annotations

import getpass
import re
import socket
from collections.abc import Iterable

from docgen.capture.record import Exchange
from docgen.errors import WsdocError

LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}")


def check_label(value: str, what: str) -> str:
    """`value` when it is a plain label (letters, digits, . _ -; at most 63), else WsdocError."""
    if not LABEL.fullmatch(value):
        raise WsdocError(f"{what} must be 1-63 letters, digits, '.', '_' or '-': {value!r}")
    return value


def default_recorder() -> str:
    """The login name when it is a plain label, else "recorder"."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        return "recorder"
    return name if LABEL.fullmatch(name) else "recorder"


def default_host() -> str:
    """This machine's short host name when it is a plain label, else "localhost"."""
    name = socket.gethostname().split(".", 1)[0]
    return name if LABEL.fullmatch(name) else "localhost"


def stamp(exchanges: Iterable[Exchange], recorder: str, host: str) -> Iterable[Exchange]:
    """The exchanges with this recorder's provenance (for importers and tests)."""
    for exchange in exchanges:
        exchange.recorder, exchange.recorder_host = recorder, host
        yield exchange


def label(exchange: Exchange) -> str:
    """"name@host" as the site shows it; "" for records made before provenance existed."""
    if not exchange.recorder:
        return ""
    return f"{exchange.recorder}@{exchange.recorder_host}" if exchange.recorder_host \
        else exchange.recorder
