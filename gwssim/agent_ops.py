"""Operations on the agent (/api/v2/me, /api/v2/me/channels/voice) and on devices.

Agent state changes need an open contact center session (StartContactCenterSession);
without one they answer statusCode 2. Device operations follow the device's capabilities.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from gwssim.auth import current_session, current_user
from gwssim.capabilities import device_capabilities
from gwssim.errors import (
    INTERNAL_ERROR,
    INVALID_STATE,
    PARTIAL_SUCCESS,
    ApiError,
    invalid,
    json_response,
    not_found,
    ok_response,
)
from gwssim.model import (
    AFTER_CALL_WORK,
    AUX_WORK,
    LOGGED_IN,
    LOGGED_OUT,
    NOT_READY,
    READY,
    AgentState,
    Device,
    User,
)
from gwssim.params import (
    destination,
    optional_text,
    read_operation,
    text_list,
    unknown_operation,
)
from gwssim.resources import my_device_by_id
from gwssim.sim import Sim, sim_of

VOICE = "voice"
MULTIMEDIA = "multimedia"
# Interaction Server channels: the real server answers for all of them as "multimedia".
MULTIMEDIA_CHANNELS = frozenset({MULTIMEDIA, "chat", "email", "workitem"})
NO_INTERACTION_SERVER = "Interaction server connection is not opened"  # as the real server
AGENT_STATES: dict[str, AgentState] = {
    "Ready": READY, "NotReady": NOT_READY, "AfterCallWork": AFTER_CALL_WORK, "AuxWork": AUX_WORK,
}
READY_WORK_MODES = ("AutoIn", "ManualIn")


async def me_operation(request: web.Request) -> web.Response:
    """POST /api/v2/me: sessions and (as older docs do) agent states."""
    name, body = await read_operation(request)
    if name == "StartContactCenterSession":
        return _start_session(request, body)
    if name == "EndContactCenterSession":
        return _end_session(request)
    if name in AGENT_STATES:
        return _change_state(request, name, body)
    raise unknown_operation(name)


async def channel_operation(request: web.Request) -> web.Response:
    """POST /api/v2/me/channels/{channel}: agent states of that channel."""
    channel = request.match_info["channel"]
    if channel != VOICE:
        raise not_found("Channel", channel)
    name, body = await read_operation(request)
    if name not in AGENT_STATES:
        raise unknown_operation(name)
    return _change_state(request, name, body)


def _start_session(request: web.Request, body: dict[str, Any]) -> web.Response:
    channels = text_list(body, "channels")
    for optional in ("place", "loginCode", "queue"):
        optional_text(body, optional)
    user = current_user(request)
    if VOICE in user.channels:
        raise ApiError(INVALID_STATE, "Contact center session is already started")
    succeeded, failed = _channel_results(user, channels)
    if not succeeded:
        raise ApiError(INTERNAL_ERROR, str(failed[0]["statusMessage"]))
    user.channels.add(VOICE)
    # The login is reported first, then the initial NotReady, as T-Server does.
    _set_agent_state(sim_of(request), user, LOGGED_IN)
    _set_agent_state(sim_of(request), user, NOT_READY)
    if failed:
        body = {"statusCode": PARTIAL_SUCCESS, "failed": failed, "succeeded": succeeded}
        return json_response(body)
    return ok_response()


def _channel_results(user: User, channels: list[str]) -> tuple[list[Any], list[Any]]:
    """(succeeded, failed) entries per channel asked; only voice can start here."""
    succeeded: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    named: list[str] = []
    for asked in channels:
        channel = MULTIMEDIA if asked in MULTIMEDIA_CHANNELS else asked
        if channel in named:
            continue
        named.append(channel)
        if channel == VOICE and user.devices[0].registered:
            succeeded.append({"statusCode": 0, "channel": channel})
            continue
        if channel == VOICE:
            message = not_registered(user.devices[0]).message
        elif channel == MULTIMEDIA:
            message = NO_INTERACTION_SERVER
        else:
            message = f"Channel '{channel}' is not available"
        failed.append({"statusCode": INTERNAL_ERROR, "statusMessage": message,
                       "channel": channel})
    return succeeded, failed


def not_registered(device: Device) -> ApiError:
    return ApiError(INTERNAL_ERROR, f"Device '{device.phone_number}' is not registered.")


def refuse_if_unregistered(sim: Sim, device: Device) -> None:
    """T-Server cannot act on a DN with no registered phone: HTTP 500 (statusCode 4), and the
    device's owner gets an ErrorMessage on /v2/me/devices, as from the real server."""
    if not device.registered:
        sim.notifier.device_error(device)
        raise not_registered(device)


def _end_session(request: web.Request) -> web.Response:
    user = current_user(request)
    _require_logged_in(user)
    user.channels.clear()
    sim = sim_of(request)
    _set_agent_state(sim, user, LOGGED_OUT)
    sim.sessions.end(current_session(request))
    return ok_response()


def _change_state(request: web.Request, name: str, body: dict[str, Any]) -> web.Response:
    state = AGENT_STATES[name]
    if name == "Ready":
        work_mode = optional_text(body, "workmode")
        if work_mode is not None:
            if work_mode not in READY_WORK_MODES:
                raise invalid(f"workmode must be one of {', '.join(READY_WORK_MODES)}")
            state = AgentState(READY.id, READY.display_name, READY.state, work_mode)
    optional_text(body, "reasonCode")
    user = current_user(request)
    refuse_if_unregistered(sim_of(request), user.devices[0])
    _require_logged_in(user)
    _set_agent_state(sim_of(request), user, state)
    return ok_response()


def _require_logged_in(user: User) -> None:
    if VOICE not in user.channels:
        raise ApiError(INVALID_STATE, "No active contact center session on channel 'voice'")


def _set_agent_state(sim: Sim, user: User, state: AgentState) -> None:
    # The agent is logged in on the primary (first) device: the place of the session.
    device = user.devices[0]
    device.user_state = state
    sim.notifier.device_changed(device)


async def device_operation(request: web.Request) -> web.Response:
    """POST /api/v2/me/devices/{deviceId}: do-not-disturb and call forwarding."""
    device = my_device_by_id(request)
    name, body = await read_operation(request)
    if name not in ("DoNotDisturbOn", "DoNotDisturbOff", "ForwardCallsOn", "ForwardCallsOff"):
        raise unknown_operation(name)
    forward_to = destination(body) if name == "ForwardCallsOn" else None
    refuse_if_unregistered(sim_of(request), device)
    if name not in device_capabilities(device):
        raise ApiError(INVALID_STATE, f"Operation '{name}' is not allowed for the device now")
    if name.startswith("DoNotDisturb"):
        device.do_not_disturb = name == "DoNotDisturbOn"
    else:
        device.forward_to = forward_to
    sim_of(request).notifier.device_changed(device)
    return ok_response()
