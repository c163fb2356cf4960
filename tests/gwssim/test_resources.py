"""GET resources: uris vs fields, subresources, filters, ids, gzip, errors."""

from __future__ import annotations

import gzip
import re

from tests.gwssim.client import Session, send

USER_ID = re.compile(r"^[0-9a-f]{32}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def test_users_collection_is_uris_by_default(gwssim_url: str) -> None:
    body = Session(gwssim_url).get("/api/v2/users").body
    assert list(body) == ["statusCode", "uris"]
    assert len(body["uris"]) >= 6
    assert body["uris"][0] == f"{gwssim_url}/api/v2/users/63630bbebf4840d7a0bffd6312bc29ff"


def test_users_have_valid_ids_devices_and_some_lack_email(gwssim_url: str) -> None:
    session = Session(gwssim_url)
    users = session.get("/api/v2/users?fields=*").body["users"]
    assert all(USER_ID.match(user["id"]) for user in users)
    assert len({user["id"] for user in users}) == len(users)
    assert any("emailAddress" in user for user in users)
    assert any("emailAddress" not in user for user in users)
    for user in users:
        detail = session.get(f"/api/v2/users/{user['id']}?subresources=*").body["user"]
        assert detail["devices"] and detail["skills"]
        for device in detail["devices"]:
            assert UUID.match(device["id"]) and not {"uri", "path"} & set(device)
            assert device["e164Number"].startswith("+")
            assert device["telephonyNetwork"] in ("Private", "Public")
            assert device["doNotDisturb"] in ("On", "Off")
            assert device["channels"] == ["voice"] and device["dynamicPhoneNumber"] == ""
            if device["deviceState"] == "Active":
                assert {"id", "displayName", "state"} <= set(device["userState"])
        for skill in detail["skills"]:
            assert list(skill) == ["id", "name", "level"] and UUID.match(skill["id"])


def test_fields_pick_fields_and_filters_match_exactly(gwssim_url: str) -> None:
    session = Session(gwssim_url)
    picked = session.get("/api/v2/users?fields=id,userName").body["users"]
    assert all(list(user) == ["id", "userName"] for user in picked)
    only = session.get("/api/v2/users?userName=ksippo&fields=id,userName").body["users"]
    assert [user["userName"] for user in only] == ["ksippo"]
    assert session.get("/api/v2/users?userName=ksip").body == {"statusCode": 0, "uris": []}
    supervisors = session.get("/api/v2/users?roles=ROLE_SUPERVISOR&fields=userName").body
    assert {u["userName"] for u in supervisors["users"]} == {"erossi", "golsen"}
    assert len(session.get("/api/v2/users?limit=2").body["uris"]) == 2
    ordered = session.get("/api/v2/users?fields=userName&sortBy=userName&order=Descending").body
    names = [user["userName"] for user in ordered["users"]]
    assert names == sorted(names, reverse=True)


def test_subresource_field_filter(gwssim_url: str) -> None:
    path = "/api/v2/users?subresources=skills&fields=id,userName&skills.name=Sales"
    users = Session(gwssim_url).get(path).body["users"]
    assert users and users[0]["userName"] == "ksippo"
    for user in users:
        assert set(user) == {"id", "userName", "skills"}
        assert "Sales" in [skill["name"] for skill in user["skills"]]
    hidden = Session(gwssim_url).get("/api/v2/users?fields=id&skills.name=Sales").body["users"]
    assert hidden and all(list(user) == ["id"] for user in hidden)


def test_me_subresources(gwssim_url: str) -> None:
    session = Session(gwssim_url)
    plain = session.get("/api/v2/me").body["user"]
    assert not {"skills", "devices", "calls", "channels"} & set(plain)
    every = session.get("/api/v2/me?subresources=*").body["user"]
    assert {"skills", "devices", "calls", "channels"} <= set(every)
    some = session.get("/api/v2/me?subresources=skills,devices").body["user"]
    assert "skills" in some and "devices" in some and "calls" not in some
    features = session.get("/api/v2/me?subresources=features").body["user"]["features"]
    assert features and all(f["path"] == f"/features/{f['id']}" for f in features)
    assert all(f["uri"] == f"{gwssim_url}/api/v2{f['path']}" for f in features)
    bad = session.get("/api/v2/me?subresources=spaceships")
    assert (bad.status, bad.code) == (400, 10)


def test_me_collections(gwssim_url: str) -> None:
    session = Session(gwssim_url)
    devices = session.get("/api/v2/me/devices").body
    assert list(devices) == ["statusCode", "uris"] and len(devices["uris"]) == 2
    full, second = session.get("/api/v2/me/devices?fields=*").body["devices"]
    assert devices["uris"][0] == f"{gwssim_url}/api/v2/devices/{full['id']}"
    assert (full["phoneNumber"], second["phoneNumber"]) == ("5001", "5101")
    picked = session.get("/api/v2/me/devices?fields=id,phoneNumber&deviceState=Active").body
    assert picked == {"statusCode": 0, "devices": [{"id": full["id"], "phoneNumber": "5001"}]}
    one = session.get(f"/api/v2/me/devices/{full['id']}").body
    assert one["device"]["id"] == full["id"]
    for device_uri in devices["uris"]:  # uris resolve
        assert session.get(device_uri.replace(gwssim_url, "")).code == 0
    skills = session.get("/api/v2/me/skills").body["uris"]
    assert skills and session.get(skills[0].replace(gwssim_url, "")).code == 0
    assert session.get("/api/v2/me/calls").body == {"statusCode": 0, "uris": []}


def test_users_skills_and_unknown_ids(gwssim_url: str) -> None:
    session = Session(gwssim_url)
    user_id = session.get("/api/v2/users?userName=amiller&fields=id").body["users"][0]["id"]
    assert session.get(f"/api/v2/users/{user_id}").body["user"]["userName"] == "amiller"
    skills = session.get(f"/api/v2/users/{user_id}/skills?fields=*").body["skills"]
    assert skills and all(isinstance(skill["level"], int) for skill in skills)
    for path in ("/api/v2/users/0123456789abcdef0123456789abcdef",
                 "/api/v2/users/0123456789abcdef0123456789abcdef/skills",
                 "/api/v2/me/devices/00000000-0000-4000-8000-000000000000",
                 "/api/v2/me/calls/ABCDEFGHIJKLMNOPQRSTUVWXYZ000001"):
        reply = session.get(path)
        assert (reply.status, reply.code) == (404, 6) and reply.body["statusMessage"]


def test_unknown_paths_are_json_404(gwssim_url: str) -> None:
    for path in ("/api/v2/nothing/here", "/elsewhere"):
        reply = Session(gwssim_url).get(path)
        assert reply.status == 404 and reply.code == 6
        assert reply.headers["Content-Type"].startswith("application/json")


def test_status_code_mapping(gwssim_url: str) -> None:
    session = Session(gwssim_url, "bchen")
    cases = [
        (session.get("/api/v2/users?limit=0"), 400, 10),
        (session.post("/api/v2/me", b"{not json"), 400, 10),
        (session.post("/api/v2/me", {"channels": []}), 400, 1),
        (session.op("/api/v2/me/channels/voice", "Ready"), 400, 2),
        (session.get("/api/v2/users/x"), 404, 6),
        (session.post("/api/v2/me", {"operationName": "Ready"}, csrf=False), 403, 3),
        (send(gwssim_url + "/api/v2/me"), 403, 20),
        (session.op("/api/v2/me", "StartContactCenterSession", channels=["multimedia"]), 500, 4),
        (session.request("PUT", "/api/v2/me", b"{}", {"X-CSRF-TOKEN": session.csrf or ""}), 400,
         10),
    ]
    for reply, status, code in cases:
        assert (reply.status, reply.code) == (status, code), reply.body
        assert list(reply.body) == ["statusCode", "statusMessage"]


def test_gzip_when_asked(gwssim_url: str) -> None:
    session = Session(gwssim_url)
    zipped = session.get("/api/v2/users?fields=*", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    plain = session.get("/api/v2/users?fields=*")
    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(zipped.raw) == plain.raw


def test_urls_longer_than_2000_characters_are_refused(gwssim_url: str) -> None:
    reply = Session(gwssim_url).get("/api/v2/users?userName=" + "x" * 2000)
    assert (reply.status, reply.code) == (400, 10)


def test_services(gwssim_url: str) -> None:
    session = Session(gwssim_url)
    uris = session.get("/api/v2/services").body
    assert list(uris) == ["statusCode", "uris"] and len(uris["uris"]) == 4
    listed = session.get("/api/v2/services?fields=*").body["services"]
    assert [s["type"] for s in listed] == ["Provisioning", "Voice", "MultiMediaState",
                                           "MultiMediaContent"]
    voice = listed[1]
    device = session.get("/api/v2/me/devices?fields=*").body["devices"][0]
    assert device["voiceEnvironmentUri"].endswith("/voice-environments/" + voice["id"])
    assert uris["uris"][1] == voice["uri"] == f"{gwssim_url}/api/v2/services/{voice['id']}"
    assert session.get(f"/api/v2/services/{voice['id']}").body == {"statusCode": 0,
                                                                  "service": voice}
    picked = session.get("/api/v2/services?fields=id,state&state=Inactive").body["services"]
    assert [list(s) for s in picked] == [["id", "state"]] * 2
    assert session.get(f"/api/v2/services/{voice['id']}?fields=name").body["service"] == {
        "name": voice["name"]}
    for bad, code in (("/api/v2/services/nope", 6), ("/api/v2/services?subresources=x", 10)):
        assert session.get(bad).code == code


def test_contacts(gwssim_url: str) -> None:
    session = Session(gwssim_url)
    contact = session.get("/api/v2/contacts/63630bbebf4840d7a0bffd6312bc29ff?type=User").body
    found = contact["contact"]
    assert (found["name"], found["type"], found["path"]) == (
        "ksippo", "User", "/contacts/63630bbebf4840d7a0bffd6312bc29ff")
    assert [n["phoneNumber"] for n in found["phoneNumbers"]] == ["5001", "5101"]
    assert found["employeeId"] == "ksippo"  # no employee id in the seed: the user name
    uris = session.get("/api/v2/contacts").body["uris"]
    assert uris[0] == found["uri"] and len(uris) >= 6
    named = session.get("/api/v2/contacts?fields=id,name&sortBy=name&order=Descending").body
    names = [c["name"] for c in named["contacts"]]
    assert names == sorted(names, reverse=True) and all(len(c) == 2 for c in named["contacts"])
    assert session.get("/api/v2/contacts/0123456789abcdef0123456789abcdef").code == 6


def test_device_tserver_settings(gwssim_url: str) -> None:
    session = Session(gwssim_url)
    device = session.device()["id"]
    body = session.get(f"/api/v2/devices/{device}/settings/tserver").body
    assert list(body) == ["statusCode", "settings", "key"] and body["key"] == "name"
    assert all(list(s) == ["name", "value"] and isinstance(s["value"], str)
               for s in body["settings"])
    mine = session.get(f"/api/v2/me/devices/{device}/settings/tserver").body
    assert mine == body
    one = session.get(f"/api/v2/devices/{device}/settings/tserver?name=record&fields=value")
    assert one.body["settings"] == [{"value": "false"}]
    other = Session(gwssim_url, "amiller").device()["id"]
    assert session.get(f"/api/v2/devices/{other}/settings/tserver").code == 0
    assert session.get(f"/api/v2/me/devices/{other}/settings/tserver").code == 6
    assert session.get("/api/v2/devices/00000000-0000-4000-8000-000000000000/settings/"
                       "tserver").code == 6
