"""What Web Services resources and operations do, in this project's own words.

Written from shared/reference/web-services-api.md (requests, filtering, the operation
catalogue, notifications). Keyed by path template *below the base path* (ids in braces, any
parameter name) and, for operation-style endpoints, by `operationName`. `describe(model)`
copies the text into the model's empty `description` fields, so a user's sidecar (read
later, docgen.publish.site.sidecar) still wins, and a generic API keeps no text at all.
"""

from __future__ import annotations

import re

from docgen.infer.model import ApiModel, Endpoint
from docgen.infer.profile import PROFILES, Profile

_PARAM = re.compile(r"\{[^{}/]*\}")

# (method, template below /api/v2 with every parameter written `{}`) -> what it does.
WS_ENDPOINTS: dict[tuple[str, str], str] = {
    ("GET", "/diagnostics/version"):
        "The server's version. Needs no authentication: a quick check that Web Services "
        "answers.",
    ("GET", "/me"):
        "The logged-in agent (the user of the Basic credentials or session cookie). Add "
        "`subresources` (`devices`, `skills`, `calls`, `channels` or `*`) to include those "
        "collections. The first authenticated request opens the session: it answers the "
        "`JSESSIONID` cookie and, with CSRF protection, the `X-CSRF-TOKEN` header.",
    ("POST", "/me"):
        "Agent-level operations: start or end the contact center session, or change the "
        "agent state on every channel at once. Needs the session's `X-CSRF-TOKEN`.",
    ("GET", "/me/calls"):
        "The agent's current calls: `uris`, or the call objects with `fields`. A call is "
        "listed only while it lasts.",
    ("GET", "/me/calls/{}"):
        "One of the agent's calls: state, participants, attached data and `capabilities` "
        "(the operations allowed on it now). Only while the call lasts.",
    ("POST", "/me/calls/{}"):
        "Call control on one of the agent's calls: answer, hold, transfer, conference, "
        "attached data, DTMF, hang up. Each operation is only accepted in a call state that "
        "allows it (see the call's `capabilities`); the outcome arrives as "
        "`CallStateChangeMessage` notifications on `/v2/me/calls`.",
    ("GET", "/me/channels/voice"):
        "The agent's voice channel: its state and the agent state on it.",
    ("POST", "/me/channels/voice"):
        "Agent state on the voice channel (Ready, NotReady, AfterCallWork, AuxWork). Needs a "
        "contact center session; the new state arrives as a `DeviceStateChangeMessage` on "
        "`/v2/me/devices`.",
    ("GET", "/me/devices"):
        "The agent's devices (phones): `uris`, or the device objects with `fields`.",
    ("GET", "/me/devices/{}"):
        "One of the agent's devices: device state, agent state, phone number, "
        "do-not-disturb and forwarding.",
    ("POST", "/me/devices/{}"):
        "Device settings: do-not-disturb and call forwarding on or off. The change arrives as "
        "a `DeviceStateChangeMessage` on `/v2/me/devices`.",
    ("POST", "/me/devices/{}/calls"):
        "Dial a new call from this device to `destination.phoneNumber`, optionally with "
        "attached `userData`. The call appears in `/me/calls` and in `CallStateChangeMessage` "
        "notifications (Dialing, then Established or Released).",
    ("GET", "/me/skills"): "The agent's skills (name and level).",
    ("GET", "/users"):
        "The user directory: `uris` by default, user objects with `fields` (`*` for all); "
        "filter by exact field value (`userName=`, `roles=`, `skills.name=` with "
        "`subresources=skills`), sort with `sortBy`/`order`, page with `limit`.",
    ("GET", "/users/{}"):
        "One user by id (32 hex digits); `subresources` adds skills, devices and more.",
    ("GET", "/users/{}/skills"): "One user's skills: `uris`, or skill objects with `fields`.",
    ("GET", "/users/{}/devices"): "One user's devices: `uris`, or device objects with `fields`.",
    ("GET", "/contacts"): "The contact directory, with the same filters as `/users`.",
    ("GET", "/contacts/{}"): "One contact by id.",
    ("GET", "/services"):
        "The services of the contact center (voice, chat...) and their state; `fields` for "
        "the objects, filters such as `state=Active`.",
    ("GET", "/services/{}"): "One service by id: its name, type and state.",
    ("GET", "/me/devices/{}/settings/tserver"):
        "The T-Server settings of one of the agent's devices (read-only).",
    ("GET", "/devices/{}/settings/tserver"): "The T-Server settings of a device, by device id.",
    ("GET", "/me/groups"): "The agent's groups (for example business units, `type=`).",
    ("GET", "/me/features"): "The features enabled for the agent.",
    ("GET", "/queues"): "The queues (filter by `channel=`).",
    ("GET", "/skills"): "Every skill of the contact center.",
}

_SESSION_NOTE = ("The outcome arrives as a `DeviceStateChangeMessage` on `/v2/me/devices` "
                 "(agent state `{state}`).")
_CALL_NOTE = "Outcome: `CallStateChangeMessage` on `/v2/me/calls`"
_DATA_NOTE = "Outcome: `CallStateChangeMessage` (`AttachedDataChanged`) on `/v2/me/calls`."

# operationName -> what it does, needs and what notification follows.
WS_OPERATIONS: dict[str, str] = {
    "StartContactCenterSession":
        "Log the agent in on `channels` (for example `[\"voice\"]`); optional `place`, "
        "`loginCode`, `queue`. Needed before agent-state and call operations. Partly "
        "failing channels answer `statusCode` 7 with `succeeded`/`failed` lists. "
        + _SESSION_NOTE.format(state="LoggedIn, then NotReady"),
    "EndContactCenterSession":
        "Log the agent out of every channel; this also ends the HTTP session (the "
        "`JSESSIONID` cookie stops working).",
    "Ready": "Make the agent ready to take calls; optional `workmode` (`ManualIn`, "
             "`AutoIn`). " + _SESSION_NOTE.format(state="Ready"),
    "NotReady": "Make the agent not ready. " + _SESSION_NOTE.format(state="NotReady"),
    "AfterCallWork": "Put the agent in after-call work. "
                     + _SESSION_NOTE.format(state="AfterCallWork"),
    "AuxWork": "Put the agent in auxiliary (non-call) work.",
    "DoNotDisturbOn": "Turn do-not-disturb on: calls to the device are refused. "
                      "`DeviceStateChangeMessage` on `/v2/me/devices`.",
    "DoNotDisturbOff": "Turn do-not-disturb off. `DeviceStateChangeMessage` on "
                       "`/v2/me/devices`.",
    "ForwardCallsOn": "Forward the device's calls to `destination.phoneNumber` (required). "
                      "`DeviceStateChangeMessage` on `/v2/me/devices`.",
    "ForwardCallsOff": "Stop forwarding. `DeviceStateChangeMessage` on `/v2/me/devices`.",
    "Dial": "Call `destination.phoneNumber` (required), optionally with `userData`. "
            + _CALL_NOTE + " (Dialing, then Established).",
    "Answer": "Answer a ringing call. " + _CALL_NOTE + " (Established).",
    "Hangup": "Release the call. " + _CALL_NOTE + " (Released).",
    "Hold": "Put an established call on hold. " + _CALL_NOTE + " (Held).",
    "Retrieve": "Take a held call back. " + _CALL_NOTE + " (Established).",
    "ClearCall": "Release the call for every participant (a conference ends). "
                 + _CALL_NOTE + " (Released).",
    "InitiateTransfer": "Start a consultation call to `destination.phoneNumber` before "
                        "transferring; the original call is held. " + _CALL_NOTE + ".",
    "CompleteTransfer": "Hand the call over to the consulted party and leave it. "
                        + _CALL_NOTE + ".",
    "SingleStepTransfer": "Transfer the call to `destination.phoneNumber` without "
                          "consulting. " + _CALL_NOTE + ".",
    "InitiateConference": "Start a consultation call to `destination.phoneNumber` that will "
                          "become a conference. " + _CALL_NOTE + ".",
    "CompleteConference": "Join the consulted party into the conference. " + _CALL_NOTE + ".",
    "SingleStepConference": "Add `destination.phoneNumber` to the call at once. "
                            + _CALL_NOTE + ".",
    "SwapCalls": "Switch between the held and the active call of a consultation. "
                 + _CALL_NOTE + ".",
    "SendDtmf": "Send `dtmfDigits` on the call (for example to an IVR).",
    "AttachUserData": "Attach `userData` key/value pairs to the call (required). " + _DATA_NOTE,
    "UpdateUserData": "Change attached `userData` values (required). " + _DATA_NOTE,
    "DeleteUserDataPair": "Remove one attached data `key` (required). " + _DATA_NOTE,
}

# The operation that opens a working session after login (agent state and call operations
# need it): (method, template below the base path, operationName), per profile.
SESSION_START: dict[str, tuple[str, str, str]] = {
    "webservices": ("POST", "/me", "StartContactCenterSession"),
}

PROFILE_TEXTS: dict[str, tuple[dict[tuple[str, str], str], dict[str, str]]] = {
    "webservices": (WS_ENDPOINTS, WS_OPERATIONS),
}


def relative_key(template: str, profile: Profile) -> str:
    """'/api/v2/me/calls/{callId}' -> '/me/calls/{}' (the table's key)."""
    base = profile.base_path.rstrip("/")
    rest = template[len(base):] if base and template.startswith(base + "/") else template
    return _PARAM.sub("{}", rest)


def endpoint_text(ep: Endpoint, profile: Profile) -> str:
    texts = PROFILE_TEXTS.get(profile.name)
    return texts[0].get((ep.method, relative_key(ep.template, profile)), "") if texts else ""


def operation_text(name: str, profile: Profile) -> str:
    texts = PROFILE_TEXTS.get(profile.name)
    return texts[1].get(name, "") if texts else ""


def is_documented(ep: Endpoint, profile: Profile | None) -> bool:
    """True when the profile knows this endpoint (it has a text)."""
    return profile is not None and bool(endpoint_text(ep, profile))


def describe(model: ApiModel) -> ApiModel:
    """Fill empty endpoint and operation descriptions from the model's profile."""
    profile = PROFILES.get(model.profile)
    if profile is None or profile.name not in PROFILE_TEXTS:
        return model
    for ep in model.endpoints:
        ep.description = ep.description or endpoint_text(ep, profile)
        for op in ep.operations:
            if op.name is not None:
                op.description = op.description or operation_text(op.name, profile)
    return model
