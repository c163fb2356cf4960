"""Objects as the API shows them (key order as in real traffic).

Every function takes `base` (scheme://host of the request); `uri` is base + "/api/v2" + path.
Notifications are rendered with base "" and rebased when delivered (see `rebase_uris`), so
each subscriber sees its own host.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from gwssim.capabilities import call_capabilities, channel_capabilities, device_capabilities
from gwssim.catalog import FEATURES
from gwssim.model import (
    CONSULT,
    DIALING,
    INTERNAL,
    RINGING,
    AgentState,
    Call,
    Device,
    Skill,
    User,
    World,
)
from gwssim.versions import (
    CALL_TYPE_CONSULT,
    SKILL_LEVEL_INTEGER,
    USER_CONTACT_CENTER_ID,
    USER_EMPLOYEE_ID,
    ApiVersion,
)

API_PREFIX = "/api/v2"
SUBRESOURCES = ("skills", "devices", "calls", "channels", "features")
URI_KEYS = ("uri", "deviceUri", "voiceEnvironmentUri")


def uri(base: str, path: str) -> str:
    return f"{base}{API_PREFIX}{path}"


class Renderer:
    """Turns model objects into response dicts for one API version."""

    def __init__(self, world: World, api: ApiVersion,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.world = world
        self.api = api
        self.clock = clock

    def user(self, user: User, base: str, subresources: Iterable[str] = ()) -> dict[str, Any]:
        """Key order as the real server: collections after `enabled`, features after
        `changePasswordOnFirstLogin`, then contactCenterId, uri, path."""
        path = f"/users/{user.id}"
        body: dict[str, Any] = {"id": user.id, "userName": user.user_name,
                                "firstName": user.first_name, "lastName": user.last_name}
        if user.email_address:
            body["emailAddress"] = user.email_address
        if user.employee_id and not self.api.has(USER_EMPLOYEE_ID):
            body["employeeId"] = user.employee_id
        body.update(roles=list(user.roles), enabled=True)
        wanted = set(subresources)
        for name in SUBRESOURCES:
            if name in wanted and name != "features":
                body[name] = self.subresource(user, name, base)
        body["changePasswordOnFirstLogin"] = False
        if "features" in wanted:
            body["features"] = self.subresource(user, "features", base)
        if self.api.has(USER_CONTACT_CENTER_ID):
            body["contactCenterId"] = user.contact_center_id
        body.update(uri=uri(base, path), path=path)
        return body

    def subresource(self, user: User, name: str, base: str) -> list[Any]:
        if name == "skills":
            return [self.skill(skill) for skill in user.skills]
        if name == "devices":
            return [self.device(device, base) for device in user.devices]
        if name == "calls":
            return [self.call(call, base) for call in self.world.calls_of(user)]
        if name == "channels":
            return [self.channel(user, "voice", base)]
        return [feature(base, *item) for item in FEATURES]

    def skill(self, skill: Skill) -> dict[str, Any]:
        level: int | str = skill.level if self.api.has(SKILL_LEVEL_INTEGER) else str(skill.level)
        return {"id": skill.id, "name": skill.name, "level": level}

    def device(self, device: Device, base: str) -> dict[str, Any]:
        """A device as the real server shows it: no uri/path of its own; an unregistered
        one is Inactive and has no userState."""
        body: dict[str, Any] = {"id": device.id,
                                "deviceState": "Active" if device.registered else "Inactive"}
        if device.registered:
            body["userState"] = user_state(device.user_state)
        body.update(phoneNumber=device.phone_number, description="",
                    e164Number=device.e164_number, telephonyNetwork=device.telephony_network,
                    doNotDisturb="On" if device.do_not_disturb else "Off")
        if device.forward_to:
            body["forwardTo"] = device.forward_to
        environment_path = f"/voice-environments/{device.voice_environment_id}"
        body["voiceEnvironmentUri"] = uri(base, environment_path)
        body.update(capabilities=device_capabilities(device), channels=["voice"],
                    dynamicPhoneNumber="")
        return body

    def channel(self, user: User, name: str, base: str) -> dict[str, Any]:
        logged_in = name in user.channels
        state = user.devices[0].user_state
        path = f"/me/channels/{name}"
        return {"name": name, "state": "LoggedIn" if logged_in else "LoggedOut",
                "userState": user_state(state), "capabilities": channel_capabilities(logged_in),
                "uri": uri(base, path), "path": path}

    def call(self, call: Call, base: str) -> dict[str, Any]:
        """A call as the real server shows it: callUuid is the id, `mute` is "On"/"Off",
        `path` has no /me (but `uri` does), and `case` appears once the call is connected."""
        call_type = call.call_type
        if call_type == CONSULT and not self.api.has(CALL_TYPE_CONSULT):
            call_type = INTERNAL
        body: dict[str, Any] = {
            "id": call.id,
            "state": call.state,
            "callUuid": call.id,
            "connId": call.conn.conn_id,
            "deviceUri": uri(base, f"/devices/{call.device.id}"),
            "participants": participants_of(call),
            "dnis": call.conn.dnis,
            "callType": call_type,
            "capabilities": call_capabilities(call, self.api),
            "userData": dict(call.conn.user_data),
            "duration": str(max(0, int(self.clock() - call.started))),
            "mute": "On" if call.mute else "Off",
            "supervisorListeningIn": False,
            "monitoredUserMuted": False,
            "monitoring": False,
            "uri": uri(base, f"/me/calls/{call.id}"),
            "path": f"/calls/{call.id}",
        }
        if call.state not in (DIALING, RINGING):
            body["case"] = []
        return body


def feature(base: str, feature_id: str, display_name: str, description: str) -> dict[str, Any]:
    path = f"/features/{feature_id}"
    return {"id": feature_id, "displayName": display_name, "description": description,
            "autoAssignOnContactCenterCreate": True, "uri": uri(base, path), "path": path}


def user_state(state: AgentState) -> dict[str, str]:
    body = {"id": state.id, "displayName": state.display_name, "state": state.state}
    if state.work_mode:
        body["workMode"] = state.work_mode
    return body


def participants_of(call: Call) -> list[dict[str, str]]:
    """The other parties: simulated devices first, then external numbers."""
    others = [party.device for party in call.conn.parties if party is not call]
    internal = [participant(device.phone_number, device.e164_number) for device in others]
    return internal + [participant(number) for number in call.conn.externals]


def participant(number: str, e164: str | None = None) -> dict[str, str]:
    digits = "".join(ch for ch in number if ch.isdigit())
    if e164 is None:
        e164 = "+" + digits if len(digits) > 10 else "+1" + digits
    if len(digits) == 11 and digits.startswith("1"):
        formatted = f"({digits[1:4]}) {digits[4:7]}-{digits[7:]}"
    elif len(digits) == 10:
        formatted = f"({digits[0:3]}) {digits[3:6]}-{digits[6:]}"
    else:
        formatted = number
    return {"phoneNumber": number, "e164Number": e164, "formattedPhoneNumber": formatted,
            "digits": digits}


def rebase_uris(value: Any, base: str) -> Any:
    """Copy of value with base put in front of every root-relative uri (not inside userData)."""
    if isinstance(value, list):
        return [rebase_uris(item, base) for item in value]
    if not isinstance(value, dict):
        return value
    result: dict[str, Any] = {}
    for key, item in value.items():
        if key in URI_KEYS and isinstance(item, str) and item.startswith("/"):
            result[key] = base + item
        elif key == "userData":
            result[key] = item
        else:
            result[key] = rebase_uris(item, base)
    return result
