"""Settings of one simulator process (what `python -m gwssim` and `wsdoc sim` accept)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from gwssim.versions import DEFAULT_API_VERSION, VERSIONS

DEFAULT_NOTIFICATIONS_PATH = "/api/v2/notifications"
DEFAULT_SEED = 7
DEFAULT_LONG_POLL_TIMEOUT = 5.0
DEFAULT_EVENT_DELAY = 0.05
MAX_LONG_POLL_TIMEOUT = 300.0
MAX_EVENT_DELAY = 10.0


class ConfigError(ValueError):
    """A setting the simulator refuses; the message is one line for the user."""


@dataclass(frozen=True)
class SimConfig:
    """Everything that changes how the simulator behaves."""

    host: str = "127.0.0.1"
    port: int = 8090
    csrf: bool = True
    tls: bool = False
    cert_out: str | None = None  # also write the self-signed certificate here (PEM)
    api_version: str = DEFAULT_API_VERSION
    notifications_path: str = DEFAULT_NOTIFICATIONS_PATH
    seed: int = DEFAULT_SEED
    long_poll_timeout: float = DEFAULT_LONG_POLL_TIMEOUT
    event_delay: float = DEFAULT_EVENT_DELAY

    def validate(self) -> SimConfig:
        """Return self, or raise ConfigError naming the first bad setting."""
        if not is_loopback(self.host):
            raise ConfigError(f"--host must be a loopback address, not {self.host!r}")
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"--port must be within 0..65535, not {self.port}")
        if self.api_version not in VERSIONS:
            raise ConfigError(f"--api-version must be one of {', '.join(VERSIONS)}")
        path = self.notifications_path
        if not path.startswith("/") or path.endswith("/") or " " in path or "?" in path:
            raise ConfigError("--notifications-path must start with '/', not end with '/'")
        if not 0 < self.long_poll_timeout <= MAX_LONG_POLL_TIMEOUT:
            raise ConfigError(f"--long-poll-timeout must be within (0, {MAX_LONG_POLL_TIMEOUT}]")
        if not 0 <= self.event_delay <= MAX_EVENT_DELAY:
            raise ConfigError(f"--event-delay must be within [0, {MAX_EVENT_DELAY}]")
        return self


def is_loopback(host: str) -> bool:
    """True for localhost and loopback IP literals: the simulator never listens elsewhere."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
