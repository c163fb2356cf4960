"""Call operations: Dial on a device, and everything on /api/v2/me/calls/{callId}.

Order of checks: unknown call/device (6), body and operationName (10/1), parameters (1/10),
then the call's current `capabilities` (2). The same list is what the client reads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from gwssim.agent_ops import refuse_if_unregistered
from gwssim.capabilities import call_capabilities, call_operations
from gwssim.errors import INTERNAL_ERROR, INVALID_STATE, ApiError, ok_response
from gwssim.model import Call
from gwssim.params import (
    destination,
    dtmf_digits,
    read_operation,
    required_text,
    unknown_operation,
    user_data,
)
from gwssim.resources import my_call_by_id, my_device_by_id
from gwssim.sim import sim_of
from gwssim.telephony import Switch

# An action gets the switch, the call and the already checked parameters.
Action = Callable[[Switch, Call, dict[str, Any]], None]

ACTIONS: dict[str, Action] = {
    "Answer": lambda switch, call, _: switch.answer(call),
    "Hangup": lambda switch, call, _: switch.release(call),
    "Hold": lambda switch, call, _: switch.hold(call),
    "Retrieve": lambda switch, call, _: switch.retrieve(call),
    "ClearCall": lambda switch, call, _: switch.clear(call),
    "SendDtmf": lambda switch, call, _: None,  # tones reach the far end; no state changes
    "SwapCalls": lambda switch, call, _: switch.swap(call),
    "CompleteTransfer": lambda switch, call, _: switch.complete(call, conference=False),
    "CompleteConference": lambda switch, call, _: switch.complete(call, conference=True),
    "InitiateTransfer": lambda switch, call, p: _consult(switch, call, p),
    "InitiateConference": lambda switch, call, p: _consult(switch, call, p),
    "SingleStepTransfer": lambda switch, call, p: switch.single_step(
        call, p["destination"], conference=False),
    "SingleStepConference": lambda switch, call, p: switch.single_step(
        call, p["destination"], conference=True),
    "AttachUserData": lambda switch, call, p: switch.attach_data(call, p["userData"]),
    "UpdateUserData": lambda switch, call, p: switch.attach_data(call, p["userData"]),
    "DeleteUserData": lambda switch, call, _: switch.delete_all_data(call),
    "DeleteUserDataPair": lambda switch, call, p: switch.delete_data_key(call, p["key"]),
    "SetMuteOn": lambda switch, call, _: switch.set_mute(call, True),
    "SetMuteOff": lambda switch, call, _: switch.set_mute(call, False),
}
NEEDS_DESTINATION = frozenset(
    {"InitiateTransfer", "InitiateConference", "SingleStepTransfer", "SingleStepConference"})
NEEDS_USER_DATA = frozenset({"AttachUserData", "UpdateUserData"})
MAX_LIVE_CALLS = 10_000  # like a switch's capacity: keeps a runaway client from growing memory


def _consult(switch: Switch, call: Call, params: dict[str, Any]) -> None:
    switch.consult(call, params["destination"])


async def dial(request: web.Request) -> web.Response:
    """POST /api/v2/me/devices/{deviceId}/calls with Dial."""
    device = my_device_by_id(request)
    name, body = await read_operation(request)
    if name != "Dial":
        raise unknown_operation(name)
    number = destination(body)
    data = user_data(body, required=False)
    sim = sim_of(request)
    refuse_if_unregistered(sim, device)
    if len(sim.world.calls) >= MAX_LIVE_CALLS:
        raise ApiError(INTERNAL_ERROR, "No free call resources on the switch")
    sim.switch.dial(device, number, data)
    return ok_response()


async def call_operation(request: web.Request) -> web.Response:
    """POST /api/v2/me/calls/{callId}."""
    call = my_call_by_id(request)
    name, body = await read_operation(request)
    sim = sim_of(request)
    if name not in call_operations(sim.api):
        raise unknown_operation(name)
    params = _parameters(name, body)
    if name not in call_capabilities(call, sim.api):
        raise ApiError(INVALID_STATE,
                       f"Operation '{name}' is not allowed for a call in state '{call.state}'")
    ACTIONS[name](sim.switch, call, params)
    return ok_response()


def _parameters(name: str, body: dict[str, Any]) -> dict[str, Any]:
    """Check and pick the parameters operation name needs (statusCode 1 or 10)."""
    if name in NEEDS_DESTINATION:
        return {"destination": destination(body)}
    if name in NEEDS_USER_DATA:
        return {"userData": user_data(body, required=True)}
    if name == "DeleteUserDataPair":
        return {"key": required_text(body, "key")}
    if name == "SendDtmf":
        return {"dtmfDigits": dtmf_digits(body)}
    return {}
