"""What can be done right now: the `capabilities` lists of calls and devices.

Handlers refuse (statusCode 2) any operation that is not in the object's current list, so the
list a client reads and the rule the server applies are the same code.
"""

from __future__ import annotations

from gwssim.model import DIALING, ESTABLISHED, HELD, RINGING, Call, Device
from gwssim.versions import MUTE_OPERATIONS, ApiVersion

USER_DATA_OPERATIONS = ("AttachUserData", "UpdateUserData", "DeleteUserData",
                        "DeleteUserDataPair")
CONSULT_OPERATIONS = ("InitiateTransfer", "InitiateConference")
SINGLE_STEP_OPERATIONS = ("SingleStepTransfer", "SingleStepConference")
MUTE_OPERATION_NAMES = ("SetMuteOn", "SetMuteOff")

# Every call operation of a version, in the order capabilities are listed.
BASE_CALL_OPERATIONS = (
    "Answer", "Hangup", "Hold", "Retrieve", "ClearCall", "SendDtmf", *CONSULT_OPERATIONS,
    *SINGLE_STEP_OPERATIONS, "CompleteTransfer", "CompleteConference", "SwapCalls",
    *USER_DATA_OPERATIONS,
)


def call_operations(api: ApiVersion) -> tuple[str, ...]:
    """The operationNames /api/v2/me/calls/{callId} knows in this version."""
    if api.has(MUTE_OPERATIONS):
        return BASE_CALL_OPERATIONS + MUTE_OPERATION_NAMES
    return BASE_CALL_OPERATIONS


def call_capabilities(call: Call, api: ApiVersion) -> list[str]:
    allowed = set(_state_capabilities(call)) | set(_consult_capabilities(call))
    if call.state in (DIALING, RINGING, ESTABLISHED, HELD):
        allowed.update(USER_DATA_OPERATIONS)
    if call.state == ESTABLISHED and api.has(MUTE_OPERATIONS):
        allowed.add("SetMuteOff" if call.mute else "SetMuteOn")
    return [name for name in call_operations(api) if name in allowed]


def _state_capabilities(call: Call) -> tuple[str, ...]:
    if call.state == DIALING:
        return ("Hangup",)
    if call.state == RINGING:
        return ("Answer", "ClearCall")  # as the real server: a ringing call is rejected whole
    if call.state == HELD:
        return ("Retrieve", "Hangup", "ClearCall")
    if call.state == ESTABLISHED:
        consult = () if call.linked else CONSULT_OPERATIONS
        return ("Hangup", "Hold", "ClearCall", "SendDtmf", *consult, *SINGLE_STEP_OPERATIONS)
    return ()


def _consult_capabilities(call: Call) -> tuple[str, ...]:
    """A consultation pair can be swapped and, once the consulted party answered, completed
    either way (T-Server lets a transfer consult end as a conference and vice versa)."""
    partner = call.linked
    if partner is None:
        return ()
    states = {call.state, partner.state}
    consult = call if call.is_consult else partner
    operations: tuple[str, ...] = ()
    if states == {HELD, ESTABLISHED}:
        operations += ("SwapCalls",)
        if consult.state == ESTABLISHED and consult.conn.endpoint_count() > 1:
            operations += ("CompleteTransfer", "CompleteConference")
    return operations


def device_capabilities(device: Device) -> list[str]:
    # The real server lists no Dial here, logged in or not: Dial is on /devices/{id}/calls.
    return [
        "DoNotDisturbOff" if device.do_not_disturb else "DoNotDisturbOn",
        "ForwardCallsOff" if device.forward_to else "ForwardCallsOn",
    ]


AGENT_STATE_OPERATIONS = ("Ready", "NotReady", "AfterCallWork", "AuxWork")


def channel_capabilities(logged_in: bool) -> list[str]:
    if logged_in:
        return [*AGENT_STATE_OPERATIONS, "EndContactCenterSession"]
    return ["StartContactCenterSession"]
