"""Every operation of the catalogue: its state change and its errors (1, 2, 6, 10)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.gwssim.client import Session

CALL_ID = re.compile(r"^[A-Z0-9]{32}$")
CONN_ID = re.compile(r"^[0-9a-f]{16}$")
EXTERNAL = "14155550123"


@pytest.fixture
def url(gwssim_factory: Callable[..., str]) -> str:
    return gwssim_factory("--event-delay", "0")


def only_call(session: Session) -> dict[str, Any]:
    calls = session.calls()
    assert len(calls) == 1, calls
    return calls[0]


def user_state(session: Session) -> dict[str, str]:
    return session.device()["userState"]


def test_contact_center_session_and_agent_states(url: str) -> None:
    agent = Session(url)
    assert user_state(agent)["state"] == "LoggedOut"
    assert agent.op("/api/v2/me/channels/voice", "Ready").code == 2
    assert agent.login().body == {"statusCode": 0}
    assert user_state(agent)["state"] == "NotReady"
    channel = agent.get("/api/v2/me?subresources=channels").body["user"]["channels"][0]
    assert (channel["name"], channel["state"]) == ("voice", "LoggedIn")
    assert agent.login().code == 2  # already started
    steps = [("Ready", {}, "Ready", None), ("Ready", {"workmode": "ManualIn"}, "Ready", "ManualIn"),
             ("NotReady", {}, "NotReady", None), ("AfterCallWork", {}, "AfterCallWork", None),
             ("AuxWork", {}, "NotReady", "AuxWork")]
    for name, params, state, work_mode in steps:
        assert agent.op("/api/v2/me/channels/voice", name, **params).body == {"statusCode": 0}
        assert user_state(agent)["state"] == state
        assert user_state(agent).get("workMode") == work_mode
    assert user_state(agent)["id"] != ""
    agent.op("/api/v2/me/channels/voice", "Ready")
    assert user_state(agent)["id"] == "9430250E-0A1B-421F-B372-F29E69366DED"
    assert agent.op("/api/v2/me/channels/voice", "Ready", workmode="Sideways").code == 10
    assert agent.op("/api/v2/me/channels/voice", "Dial").code == 10
    assert agent.op("/api/v2/me/channels/chat", "Ready").code == 6
    assert agent.op("/api/v2/me", "EndContactCenterSession").code == 0
    again = Session(url)
    assert user_state(again)["state"] == "LoggedOut"
    assert again.op("/api/v2/me", "EndContactCenterSession").code == 2


def test_start_session_parameters_and_partial_success(url: str) -> None:
    agent = Session(url, "amiller")
    assert agent.op("/api/v2/me", "StartContactCenterSession").code == 1
    assert agent.op("/api/v2/me", "StartContactCenterSession", channels="voice").code == 10
    only_bad = agent.op("/api/v2/me", "StartContactCenterSession", channels=["multimedia"])
    assert (only_bad.status, only_bad.code) == (500, 4)
    unknown = agent.op("/api/v2/me", "StartContactCenterSession", channels=["fax"])
    assert unknown.body["statusMessage"] == "Channel 'fax' is not available"
    # As the real server: Interaction Server channels are answered as "multimedia", once.
    partial = agent.op("/api/v2/me", "StartContactCenterSession",
                       channels=["voice", "chat", "email"])
    assert partial.status == 200
    assert partial.body == {
        "statusCode": 7,
        "failed": [{"statusCode": 4, "statusMessage": "Interaction server connection is not opened",
                    "channel": "multimedia"}],
        "succeeded": [{"statusCode": 0, "channel": "voice"}],
    }
    assert user_state(agent)["state"] == "NotReady"


def test_operation_body_errors(url: str) -> None:
    agent = Session(url)
    assert agent.post("/api/v2/me", b"{oops").code == 10
    assert agent.post("/api/v2/me", b"[1, 2]").code == 10
    assert agent.post("/api/v2/me", {"channels": ["voice"]}).code == 1
    assert agent.post("/api/v2/me", {"operationName": 5}).code == 10
    assert agent.op("/api/v2/me", "Teleport").code == 10


def test_do_not_disturb_and_forwarding(url: str) -> None:
    agent = Session(url)
    device = agent.device()
    path = f"/api/v2/me/devices/{device['id']}"
    assert device["doNotDisturb"] == "Off" and "DoNotDisturbOn" in device["capabilities"]
    assert agent.op(path, "DoNotDisturbOn").code == 0
    device = agent.device()
    assert device["doNotDisturb"] == "On" and "DoNotDisturbOff" in device["capabilities"]
    assert agent.op(path, "DoNotDisturbOn").code == 2
    assert agent.op(path, "DoNotDisturbOff").code == 0
    assert agent.op(path, "ForwardCallsOn").code == 1
    assert agent.op(path, "ForwardCallsOn", destination={"phoneNumber": "five"}).code == 10
    assert agent.op(path, "ForwardCallsOn", destination={"phoneNumber": "5003"}).code == 0
    assert agent.device()["forwardTo"] == "5003"
    assert agent.op(path, "ForwardCallsOn", destination={"phoneNumber": "5004"}).code == 2
    assert agent.op(path, "ForwardCallsOff").code == 0
    assert "forwardTo" not in agent.device()
    assert agent.op(path, "ForwardCallsOff").code == 2
    assert agent.op(path, "Dial").code == 10
    assert agent.op("/api/v2/me/devices/00000000-0000-4000-8000-000000000000",
                    "DoNotDisturbOn").code == 6


def test_external_call_hold_retrieve_dtmf_hangup(url: str) -> None:
    agent = Session(url)
    assert agent.dial(EXTERNAL, userData={"OrderId": "A-1"}).body == {"statusCode": 0}
    call = only_call(agent)
    assert CALL_ID.match(call["id"]) and CONN_ID.match(call["connId"])
    assert CALL_ID.match(call["callUuid"])
    assert (call["state"], call["callType"], call["dnis"]) == ("Established", "Outbound", EXTERNAL)
    assert call["participants"] == [{"phoneNumber": EXTERNAL, "e164Number": "+14155550123",
                                     "formattedPhoneNumber": "(415) 555-0123",
                                     "digits": EXTERNAL}]
    assert call["userData"] == {"OrderId": "A-1"}
    assert isinstance(call["duration"], str) and call["mute"] == "Off"
    assert call["callUuid"] == call["id"] and call["path"] == f"/calls/{call['id']}"
    assert {"Hold", "Hangup", "AttachUserData", "InitiateTransfer"} <= set(call["capabilities"])
    assert "Retrieve" not in call["capabilities"]
    assert agent.call_op(call["id"], "Retrieve").code == 2
    assert agent.call_op(call["id"], "Hold").code == 0
    held = only_call(agent)
    assert held["state"] == "Held" and "Retrieve" in held["capabilities"]
    assert "Hold" not in held["capabilities"]
    assert agent.call_op(call["id"], "Hold").code == 2
    assert agent.call_op(call["id"], "SendDtmf", dtmfDigits="12").code == 2
    assert agent.call_op(call["id"], "Retrieve").code == 0
    assert agent.call_op(call["id"], "SendDtmf", dtmfDigits="12#").code == 0
    assert agent.call_op(call["id"], "SendDtmf", dtmfDigits="x").code == 10
    assert agent.get(f"/api/v2/me/calls/{call['id']}").body["call"]["state"] == "Established"
    assert agent.call_op(call["id"], "Hangup").code == 0
    assert agent.calls() == []
    assert agent.get(f"/api/v2/me/calls/{call['id']}").code == 6
    assert agent.call_op(call["id"], "Hangup").code == 6


def test_call_between_users_and_attached_data(url: str) -> None:
    caller, callee = Session(url), Session(url, "amiller")
    caller.dial("5002", userData={"Segment": "Gold", "OrderId": "A-2"})
    dialing = only_call(caller)
    assert (dialing["state"], dialing["callType"]) == ("Dialing", "Internal")
    ringing = only_call(callee)
    assert (ringing["state"], ringing["callType"]) == ("Ringing", "Internal")
    assert ringing["connId"] == dialing["connId"] and ringing["id"] != dialing["id"]
    assert ringing["participants"][0]["phoneNumber"] == "5001"
    assert set(ringing["capabilities"]) >= {"Answer", "ClearCall"}
    assert "Hangup" not in ringing["capabilities"] and "case" not in ringing
    assert callee.call_op(ringing["id"], "Hold").code == 2
    assert caller.call_op(dialing["id"], "Answer").code == 2
    assert callee.call_op(ringing["id"], "Answer").code == 0
    assert only_call(caller)["state"] == only_call(callee)["state"] == "Established"
    assert only_call(callee)["case"] == []
    assert caller.call_op(dialing["id"], "AttachUserData").code == 1
    assert caller.call_op(dialing["id"], "AttachUserData", userData=[1]).code == 10
    assert caller.call_op(dialing["id"], "AttachUserData", userData={"Note": "vip"}).code == 0
    assert callee.call_op(ringing["id"], "UpdateUserData", userData={"Segment": "Plat"}).code == 0
    assert caller.call_op(dialing["id"], "DeleteUserDataPair").code == 1
    assert caller.call_op(dialing["id"], "DeleteUserDataPair", key="OrderId").code == 0
    expected = {"Segment": "Plat", "Note": "vip"}
    assert only_call(caller)["userData"] == only_call(callee)["userData"] == expected
    assert callee.call_op(ringing["id"], "DeleteUserData").code == 0
    assert only_call(caller)["userData"] == only_call(callee)["userData"] == {}
    assert caller.call_op(dialing["id"], "Hangup").code == 0
    assert caller.calls() == [] and callee.calls() == []


def test_callee_clearing_a_ringing_call_rejects_it(url: str) -> None:
    caller, callee = Session(url), Session(url, "amiller")
    caller.dial("5002")
    assert callee.call_op(only_call(callee)["id"], "Hangup").code == 2  # not offered
    assert callee.call_op(only_call(callee)["id"], "ClearCall").code == 0
    assert caller.calls() == [] and callee.calls() == []


def test_dial_parameters(url: str) -> None:
    agent = Session(url)
    device_path = f"/api/v2/me/devices/{agent.device()['id']}/calls"
    assert agent.op(device_path, "Dial").code == 1
    assert agent.op(device_path, "Dial", destination={}).code == 1
    assert agent.op(device_path, "Dial", destination={"phoneNumber": "abc"}).code == 10
    assert agent.op(device_path, "Dial", destination={"phoneNumber": "5002"},
                    userData="x").code == 10
    assert agent.op(device_path, "Answer").code == 10
    unknown = agent.op("/api/v2/me/devices/00000000-0000-4000-8000-000000000000/calls", "Dial",
                       destination={"phoneNumber": "5002"})
    assert (unknown.status, unknown.code) == (404, 6)
    other_users_device = Session(url, "amiller").device()["id"]
    assert agent.op(f"/api/v2/me/devices/{other_users_device}/calls", "Dial",
                    destination={"phoneNumber": "5003"}).code == 6
    assert agent.calls() == []


def test_call_operation_errors(url: str) -> None:
    agent = Session(url)
    assert agent.call_op("ABCDEFGHIJKLMNOPQRSTUVWXYZ000099", "Hangup").code == 6
    agent.dial(EXTERNAL)
    call_id = only_call(agent)["id"]
    assert agent.call_op(call_id, "Levitate").code == 10
    for name in ("InitiateTransfer", "InitiateConference", "SingleStepTransfer",
                 "SingleStepConference"):
        assert agent.call_op(call_id, name).code == 1
    assert agent.call_op(call_id, "UpdateUserData").code == 1
    assert agent.call_op(call_id, "CompleteTransfer").code == 2
    assert agent.call_op(call_id, "SwapCalls").code == 2
    assert Session(url, "amiller").call_op(call_id, "Hangup").code == 6  # not their call


def test_do_not_disturb_callee_is_busy_and_forwarding_reroutes(url: str) -> None:
    caller, callee, third = Session(url), Session(url, "amiller"), Session(url, "bchen")
    callee_device = f"/api/v2/me/devices/{callee.device()['id']}"
    callee.op(callee_device, "DoNotDisturbOn")
    caller.dial("5002")
    assert caller.calls() == [] and callee.calls() == []
    callee.op(callee_device, "DoNotDisturbOff")
    callee.op(callee_device, "ForwardCallsOn", destination={"phoneNumber": "5003"})
    caller.dial("5002")
    assert callee.calls() == []
    assert only_call(third)["state"] == "Ringing"


def test_consultation_swap_and_complete_transfer(url: str) -> None:
    agent, expert = Session(url), Session(url, "amiller")
    agent.dial(EXTERNAL)
    original = only_call(agent)["id"]
    destination = {"phoneNumber": "5002"}
    assert agent.call_op(original, "InitiateTransfer", destination=destination).code == 0
    calls = {call["id"]: call for call in agent.calls()}
    consult = next(call_id for call_id in calls if call_id != original)
    assert calls[original]["state"] == "Held"
    assert (calls[consult]["state"], calls[consult]["callType"]) == ("Dialing", "Consult")
    assert "CompleteTransfer" not in calls[consult]["capabilities"]
    assert agent.call_op(consult, "CompleteTransfer").code == 2
    assert expert.call_op(only_call(expert)["id"], "Answer").code == 0
    consult_call = agent.get(f"/api/v2/me/calls/{consult}").body["call"]
    assert {"CompleteTransfer", "SwapCalls"} <= set(consult_call["capabilities"])
    assert agent.call_op(consult, "SwapCalls").code == 0
    states = {call["id"]: call["state"] for call in agent.calls()}
    assert states == {original: "Established", consult: "Held"}
    assert agent.call_op(original, "SwapCalls").code == 0
    assert agent.call_op(consult, "CompleteTransfer").code == 0
    assert agent.calls() == []
    transferred = only_call(expert)
    assert transferred["state"] == "Established"
    assert [p["phoneNumber"] for p in transferred["participants"]] == [EXTERNAL]


def test_conference_and_clear_call(url: str) -> None:
    agent, colleague = Session(url), Session(url, "amiller")
    agent.dial(EXTERNAL)
    call_id = only_call(agent)["id"]
    agent.call_op(call_id, "InitiateConference", destination={"phoneNumber": "5002"})
    colleague.call_op(only_call(colleague)["id"], "Answer")
    consult = next(call["id"] for call in agent.calls() if call["id"] != call_id)
    assert agent.call_op(consult, "CompleteConference").code == 0
    conference = only_call(agent)
    assert conference["state"] == "Established"
    assert {p["phoneNumber"] for p in conference["participants"]} == {EXTERNAL, "5002"}
    assert agent.call_op(call_id, "SingleStepConference",
                         destination={"phoneNumber": "14155550999"}).code == 0
    assert len(only_call(colleague)["participants"]) == 3
    assert agent.call_op(call_id, "Hangup").code == 0  # the others stay connected
    assert len(only_call(colleague)["participants"]) == 2
    assert colleague.call_op(only_call(colleague)["id"], "ClearCall").code == 0
    assert colleague.calls() == []


def test_single_step_transfer(url: str) -> None:
    agent, colleague = Session(url), Session(url, "amiller")
    agent.dial(EXTERNAL)
    call_id = only_call(agent)["id"]
    assert agent.call_op(call_id, "SingleStepTransfer",
                         destination={"phoneNumber": "5002"}).code == 0
    assert agent.calls() == []
    ringing = only_call(colleague)
    assert ringing["state"] == "Ringing"
    assert [p["phoneNumber"] for p in ringing["participants"]] == [EXTERNAL]
    assert colleague.call_op(ringing["id"], "Answer").code == 0


def test_mute_operations_follow_capabilities(url: str) -> None:
    agent = Session(url)
    agent.dial(EXTERNAL)
    call = only_call(agent)
    assert "SetMuteOn" in call["capabilities"]
    assert agent.call_op(call["id"], "SetMuteOff").code == 2
    assert agent.call_op(call["id"], "SetMuteOn").code == 0
    muted = only_call(agent)
    assert muted["mute"] == "On" and "SetMuteOff" in muted["capabilities"]


def test_the_unregistered_device_refuses_operations(url: str) -> None:
    """ksippo's second DN has no registered phone: Inactive, no userState, and what is asked
    of it fails as on the real server (HTTP 500, statusCode 4)."""
    agent = Session(url)
    devices = agent.get("/api/v2/me/devices?fields=*").body["devices"]
    assert [d["deviceState"] for d in devices] == ["Active", "Inactive"]
    inactive = devices[1]
    assert "userState" not in inactive and inactive["capabilities"] == ["DoNotDisturbOn",
                                                                        "ForwardCallsOn"]
    path = f"/api/v2/me/devices/{inactive['id']}"
    message = f"Device '{inactive['phoneNumber']}' is not registered."
    for reply in (agent.op(path, "DoNotDisturbOn"),
                  agent.op(path + "/calls", "Dial", destination={"phoneNumber": "5002"})):
        assert (reply.status, reply.body) == (500, {"statusCode": 4, "statusMessage": message})
    assert agent.op(path, "Teleport").code == 10  # the request is checked first
    assert agent.calls() == []
    caller = Session(url, "amiller")
    caller.dial(inactive["phoneNumber"])  # nobody can ring there: busy, released
    assert caller.calls() == []
