"""The structure comparison of the fidelity test names every kind of difference."""

from __future__ import annotations

from tests.gwssim.structure import differences, shape

REAL = {"statusCode": 0, "user": {"id": "3f65ac876a48452f83ffb58cfc58fe47", "enabled": True,
                                  "devices": [{"id": "27379f71-0f5a-42a1-b899-ea4456c6b337"},
                                              {"channels": ["voice"]}],
                                  "capabilities": ["Answer", "ClearCall"],
                                  "userData": {"IW_CaseUid": "x"}}}


def test_identical_structure_with_other_values_has_no_difference() -> None:
    other = {"statusCode": 7, "user": {"id": "63630bbebf4840d7a0bffd6312bc29ff", "enabled": False,
                                       "devices": [{"id": "00000000-0000-4000-8000-000000000000",
                                                    "channels": ["chat"]}],
                                       "capabilities": ["ClearCall", "Answer"],
                                       "userData": {"Other": 1}}}
    assert differences(REAL, other, skip=("user.userData",)) == []


def test_each_difference_names_its_key_path() -> None:
    changed = {"statusCode": "0", "user": {"id": "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345",
                                           "devices": [{"id": "27379f71-0f5a-42a1-b899-"
                                                              "ea4456c6b337", "uri": "/x"}],
                                           "capabilities": ["Answer", "Hangup"],
                                           "userData": {}}}
    assert differences(REAL, changed) == [
        "type of statusCode: real ['integer'], gwssim ['string']",
        "missing user.enabled (boolean)",
        "missing user.devices[].channels (array)",
        "missing user.devices[].channels[] (string)",
        "missing user.userData.IW_CaseUid (string)",
        "extra user.devices[].uri",
        "shape of user.id: real ['hex32'], gwssim ['call-id']",
        "missing capability ClearCall in user.capabilities",
        "extra capability Hangup in user.capabilities",
    ]


def test_shapes_of_ids_paths_and_uris() -> None:
    assert shape("0F7F5003-EF26-4D13-A6Ef-D0C7EC819BEB") == "UUID"
    assert shape("http://gws.example:8090/api/v2/me/calls/UIVB8J6JE91C53UIM3VI59VHQ4000015") \
        == "<server>/api/v2/me/calls/call-id"
    assert shape("/calls/UIVB8J6JE91C53UIM3VI59VHQ4000015") == "/calls/call-id"
    assert shape("ON_PREMISE_ENVIRONMENT") == shape("api-voice") == "word"
    assert shape("006c03a7194aa020") == "hex16"
