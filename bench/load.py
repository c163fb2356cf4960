"""A bounded HTTP load generator: C concurrent keep-alive clients, N requests in all."""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def summary(self) -> dict[str, float]:
        return {"requests": self.requests, "errors": self.errors, "seconds": self.seconds,
                "rps": self.rps, "p50_ms": statistics.median(self.latencies_ms),
                "p95_ms": self.percentile(0.95)}


def _client(base: str, paths: list[str], latencies: list[float], errors: list[int],
            headers: dict[str, str]) -> None:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    for path in paths:
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status >= 500:
                errors.append(1)
        except (OSError, http.client.HTTPException):
            errors.append(1)
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port,
                                              timeout=30)
        latencies.append((time.perf_counter() - started) * 1000)
    conn.close()


def run_load(base: str, paths: list[str], clients: int,
             headers: dict[str, str] | None = None) -> LoadResult:
    """Send every path once, spread over `clients` threads; bounded by len(paths)."""
    return run_load_many([base], paths, clients, headers)


def run_load_many(bases: list[str], paths: list[str], clients: int,
                  headers: dict[str, str] | None = None) -> LoadResult:
    """Like `run_load`, with the clients dealt round-robin over several servers (e.g. one
    recorder each): one wall clock and one latency list for them all."""
    latencies: list[float] = []
    errors: list[int] = []
    shares = [paths[i::clients] for i in range(clients)]
    threads = [threading.Thread(target=_client, args=(bases[i % len(bases)], share, latencies,
                                                      errors, headers or {}))
               for i, share in enumerate(shares)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadResult(len(paths), len(errors), time.perf_counter() - started, latencies)
