"""Notifications: snapshots taken when state changes, delivered one delayed step at a time.

State changes apply at once (a GET right after an operation sees the result), but the
notifications describing them arrive like T-Server events do: in order, each `event_delay`
seconds after the previous one. A single global outbox keeps the order across users too.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from gwssim.catalog import ESTABLISHED_EXTENSIONS, OTHER_EXTENSIONS, RINGING_EXTENSIONS
from gwssim.model import ESTABLISHED, RINGING, Call, Device, World
from gwssim.render import Renderer, uri

DEVICES_CHANNEL = "/v2/me/devices"
CALLS_CHANNEL = "/v2/me/calls"
MAX_PENDING = 10_000  # oldest notifications are dropped beyond this (nobody is listening)

Deliver = Callable[[str, dict[str, Any]], None]


class Outbox:
    """Delivers (user id, message) pairs in order, one step of `delay` seconds apart."""

    def __init__(self, delay: float, deliver: Deliver) -> None:
        self._delay = delay
        self._deliver = deliver
        self._pending: deque[tuple[float, str, dict[str, Any]]] = deque(maxlen=MAX_PENDING)
        self._last_due = 0.0
        self._timer: asyncio.TimerHandle | None = None

    def push(self, user_id: str, message: dict[str, Any]) -> None:
        loop = asyncio.get_running_loop()
        self._last_due = max(self._last_due, loop.time()) + self._delay
        self._pending.append((self._last_due, user_id, message))
        if self._timer is None:
            self._arm(loop)

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._pending.clear()

    def _arm(self, loop: asyncio.AbstractEventLoop) -> None:
        self._timer = loop.call_at(self._pending[0][0], self._fire, loop)

    def _fire(self, loop: asyncio.AbstractEventLoop) -> None:
        # Only the first due message per step, so each event really is a separate step.
        self._timer = None
        if not self._pending:
            return
        _due, user_id, message = self._pending.popleft()
        self._deliver(user_id, message)
        if self._pending:
            self._arm(loop)


class Notifier:
    """Builds the Bayeux messages of state changes and queues them for their owners.

    Every message ends with the real server's `metrics.eventProcessing` block: when it was
    generated (epoch milliseconds) and how long building it took.
    """

    def __init__(self, world: World, renderer: Renderer, outbox: Outbox) -> None:
        self._world = world
        self._renderer = renderer
        self._outbox = outbox

    def device_changed(self, device: Device) -> None:
        started = time.perf_counter_ns()
        data = {"devices": [self._renderer.device(device, base="")],
                "messageType": "DeviceStateChangeMessage"}
        self._push(device.owner_id, DEVICES_CHANNEL, data, started)

    def device_error(self, device: Device) -> None:
        """T-Server refused an operation of the device: ErrorMessage names only the device."""
        started = time.perf_counter_ns()
        path = f"/devices/{device.id}"
        data = {"messageType": "ErrorMessage", "metrics": {},
                "devicePath": path, "deviceUri": uri("", path)}
        self._push(device.owner_id, DEVICES_CHANNEL, data, started)

    def call_changed(self, call: Call, notification_type: str = "StatusChange") -> None:
        started = time.perf_counter_ns()
        data = {"notificationType": notification_type, "call": self._renderer.call(call, base=""),
                "phoneNumber": call.device.phone_number, "extensions": extensions(call),
                "messageType": "CallStateChangeMessage"}
        self._push(call.device.owner_id, CALLS_CHANNEL, data, started)

    def _push(self, user_id: str, channel: str, data: dict[str, Any], started: int) -> None:
        elapsed = time.perf_counter_ns() - started
        data["metrics"] = {"eventProcessing": {
            "nodeProcessingTimeNanos": elapsed,
            "serverGenerationTimestamp": int(time.time() * 1000),
            "serverProcessingTimeTotalMs": elapsed // 1_000_000,
        }}
        self._outbox.push(user_id, {"channel": channel, "data": data})


def extensions(call: Call) -> dict[str, Any]:
    """T-Server's extensions of a call event; a ringing call names the calling DN."""
    if call.state == RINGING:
        callers = [party.device.phone_number for party in call.conn.parties if party is not call]
        origin = callers[0] if callers else call.conn.dnis
        return {**RINGING_EXTENSIONS, "OriginationDN": origin}
    if call.state == ESTABLISHED:
        return dict(ESTABLISHED_EXTENSIONS)
    return dict(OTHER_EXTENSIONS)
