"""The switch: what calls do when parties dial, answer, hold, transfer and hang up.

Handlers check parameters and capabilities first; these methods assume the operation is
allowed, change the model at once and queue one notification per change (see events.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from gwssim.events import Notifier
from gwssim.ids import IdFactory
from gwssim.model import (
    CONSULT,
    DIALING,
    ESTABLISHED,
    HELD,
    INTERNAL,
    OUTBOUND,
    RELEASED,
    RINGING,
    Call,
    Conn,
    Device,
    World,
)


class Switch:
    """Owns call creation and every call state transition."""

    def __init__(self, world: World, ids: IdFactory, notifier: Notifier,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.world = world
        self.ids = ids
        self.notifier = notifier
        self.clock = clock

    # -- creating calls ---------------------------------------------------------------

    def dial(self, device: Device, number: str, user_data: dict[str, Any],
             consult_of: Call | None = None) -> Call:
        """Caller's call goes Dialing, then Established (external), Ringing at the callee,
        or Released when the callee cannot take it (do-not-disturb, own number)."""
        conn = Conn(self.ids.conn_id(), number, dict(user_data))
        target = self._route(number)
        call_type = CONSULT if consult_of else (INTERNAL if target else OUTBOUND)
        caller = self._new_call(device, conn, DIALING, call_type)
        if consult_of is not None:
            caller.is_consult, caller.linked, consult_of.linked = True, consult_of, caller
        self.notifier.call_changed(caller)
        self._connect(conn, number, target, ringing_type=CONSULT if consult_of else INTERNAL)
        return caller

    def _route(self, number: str) -> Device | None:
        """The simulated device a number reaches, following one forwarding hop."""
        target = self.world.devices_by_number.get(number)
        if target is not None and target.forward_to and not target.do_not_disturb:
            return self.world.devices_by_number.get(target.forward_to)
        return target

    def _reached_number(self, number: str) -> str:
        target = self.world.devices_by_number.get(number)
        if target is not None and target.forward_to and not target.do_not_disturb:
            return target.forward_to
        return number

    def _connect(self, conn: Conn, number: str, target: Device | None, ringing_type: str) -> None:
        """Reach the dialled party of a new call: ring a simulated device or an external one."""
        if target is None:
            conn.externals.append(self._reached_number(number))
            for party in conn.parties:
                self._set_state(party, ESTABLISHED)
            return
        if not _can_ring(target) or any(party.device is target for party in conn.parties):
            self.clear(conn.parties[0])  # busy: the caller's call is released
            return
        self.notifier.call_changed(self._new_call(target, conn, RINGING, ringing_type))

    def _new_call(self, device: Device, conn: Conn, state: str, call_type: str) -> Call:
        call = Call(self.ids.call_id(), device, conn, state, call_type, self.clock())
        conn.parties.append(call)
        self.world.calls[call.id] = call
        return call

    # -- simple transitions -------------------------------------------------------------

    def answer(self, call: Call) -> None:
        self._set_state(call, ESTABLISHED)
        for party in call.conn.parties:
            if party is not call and party.state == DIALING:
                self._set_state(party, ESTABLISHED)

    def hold(self, call: Call) -> None:
        self._set_state(call, HELD)

    def retrieve(self, call: Call) -> None:
        self._set_state(call, ESTABLISHED)

    def set_mute(self, call: Call, on: bool) -> None:
        call.mute = on
        self.notifier.call_changed(call)

    def swap(self, call: Call) -> None:
        partner = call.linked
        assert partner is not None  # capabilities only offer SwapCalls on a pair
        first, second = (call, partner) if call.state == ESTABLISHED else (partner, call)
        self._set_state(first, HELD)
        self._set_state(second, ESTABLISHED)

    def release(self, call: Call) -> None:
        """Hang up one party; a call left with a single endpoint ends for that one too."""
        self._drop(call)
        if call.conn.endpoint_count() < 2:
            self.clear(call)

    def clear(self, call: Call) -> None:
        """ClearCall: release every party of the call."""
        for party in list(call.conn.parties):
            self._drop(party)

    def _drop(self, call: Call) -> None:
        if call.linked is not None:
            call.linked.linked = None
            call.linked = None
        call.state = RELEASED
        self.notifier.call_changed(call)
        call.conn.parties.remove(call)
        self.world.calls.pop(call.id, None)

    # -- transfers and conferences ------------------------------------------------------------

    def consult(self, call: Call, number: str) -> Call:
        self.hold(call)
        return self.dial(call.device, number, call.conn.user_data, consult_of=call)

    def complete(self, call: Call, conference: bool) -> None:
        """Join the consulted party to the original call; for a transfer the agent leaves."""
        partner = call.linked
        assert partner is not None  # capabilities only offer completion on a pair
        consult, original = (call, partner) if call.is_consult else (partner, call)
        self._merge(consult, into=original.conn)
        self.release(consult)
        if conference:
            self._set_state(original, ESTABLISHED)
            self._notify_others(original.conn, exclude=original)
        else:
            self.release(original)
            self._notify_others(original.conn, exclude=None)

    def single_step(self, call: Call, number: str, conference: bool) -> None:
        """Bring number into the call; a single-step transfer then drops the agent."""
        exclude = None if conference else call  # a leaving agent needs no update
        self._add_party(call.conn, number, self._route(number), exclude)
        if not conference:
            self.release(call)

    def _add_party(self, conn: Conn, number: str, target: Device | None,
                   exclude: Call | None) -> None:
        if target is None:
            conn.externals.append(self._reached_number(number))
        elif not _can_ring(target) or any(party.device is target for party in conn.parties):
            return  # busy: nobody joins
        else:
            self.notifier.call_changed(self._new_call(target, conn, RINGING, INTERNAL))
        self._notify_others(conn, exclude=exclude, only_state=ESTABLISHED)

    def _merge(self, consult: Call, into: Conn) -> None:
        """Move every endpoint of the consultation except the agent into the original call."""
        source = consult.conn
        for party in [p for p in source.parties if p is not consult]:
            source.parties.remove(party)
            party.conn = into
            into.parties.append(party)
        into.externals.extend(source.externals)
        source.externals.clear()
        into.user_data.update(source.user_data)

    # -- attached data -----------------------------------------------------------------

    def attach_data(self, call: Call, data: dict[str, Any]) -> None:
        call.conn.user_data.update(data)
        self._notify_data(call.conn)

    def delete_all_data(self, call: Call) -> None:
        if call.conn.user_data:
            call.conn.user_data.clear()
            self._notify_data(call.conn)

    def delete_data_key(self, call: Call, key: str) -> None:
        if call.conn.user_data.pop(key, None) is not None:
            self._notify_data(call.conn)

    def _notify_data(self, conn: Conn) -> None:
        for party in conn.parties:
            self.notifier.call_changed(party, "AttachedDataChanged")

    # -- helpers ---------------------------------------------------------------------------

    def _set_state(self, call: Call, state: str) -> None:
        call.state = state
        self.notifier.call_changed(call)

    def _notify_others(self, conn: Conn, exclude: Call | None,
                       only_state: str | None = None) -> None:
        """Tell the remaining parties their participants changed."""
        for party in conn.parties:
            if party is not exclude and (only_state is None or party.state == only_state):
                self.notifier.call_changed(party)


def _can_ring(device: Device) -> bool:
    """Do-not-disturb and unregistered devices take no calls: the caller finds them busy."""
    return device.registered and not device.do_not_disturb
