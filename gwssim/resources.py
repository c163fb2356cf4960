"""GET endpoints: the version, the current user, users, and their devices, skills and calls."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from gwssim.auth import current_user
from gwssim.errors import json_response, not_found, ok_response
from gwssim.model import Call, Device, Skill, User
from gwssim.query import Query, collection, parse_query, project
from gwssim.render import SUBRESOURCES, uri
from gwssim.sim import base_url, sim_of

USER_SUBRESOURCES = tuple(name for name in SUBRESOURCES if name != "features")
NO_SUBRESOURCES: tuple[str, ...] = ()


async def version(request: web.Request) -> web.Response:
    return ok_response(version=sim_of(request).api.build)


async def me(request: web.Request) -> web.Response:
    return _user_response(request, current_user(request), SUBRESOURCES)


async def user(request: web.Request) -> web.Response:
    return _user_response(request, _user_by_id(request), USER_SUBRESOURCES)


async def users(request: web.Request) -> web.Response:
    sim, base = sim_of(request), base_url(request)
    query = parse_query(request.query, USER_SUBRESOURCES)
    wanted = set(query.subresources) | query.needed
    items = [sim.renderer.user(u, base, wanted) for u in sim.world.users]
    return json_response(collection("users", items, query))


def _user_response(request: web.Request, who: User, allowed: tuple[str, ...]) -> web.Response:
    query = parse_query(request.query, allowed)
    body = sim_of(request).renderer.user(who, base_url(request), query.subresources)
    return ok_response(user=project(body, _fields_only(query)))


def _fields_only(query: Query) -> Query:
    # A single object is not filtered: only fields and subresources apply.
    return Query(fields=query.fields, subresources=query.subresources)


def _user_by_id(request: web.Request) -> User:
    user_id = request.match_info["user_id"]
    found = sim_of(request).world.users_by_id.get(user_id)
    if found is None:
        raise not_found("User", user_id)
    return found


# -- devices ------------------------------------------------------------------------------

async def my_devices(request: web.Request) -> web.Response:
    return _devices_response(request, current_user(request))


async def user_devices(request: web.Request) -> web.Response:
    return _devices_response(request, _user_by_id(request))


async def my_device(request: web.Request) -> web.Response:
    return _device_response(request, my_device_by_id(request))


async def device(request: web.Request) -> web.Response:
    device_id = request.match_info["device_id"]
    found = sim_of(request).world.devices_by_id.get(device_id)
    if found is None:
        raise not_found("Device", device_id)
    return _device_response(request, found)


def my_device_by_id(request: web.Request) -> Device:
    device_id = request.match_info["device_id"]
    for candidate in current_user(request).devices:
        if candidate.id == device_id:
            return candidate
    raise not_found("Device", device_id)


def _devices_response(request: web.Request, owner: User) -> web.Response:
    renderer, base = sim_of(request).renderer, base_url(request)
    items = [renderer.device(d, base) for d in owner.devices]
    query = parse_query(request.query, NO_SUBRESOURCES)

    def device_uri(item: dict[str, Any]) -> str:  # devices carry no uri of their own
        return uri(base, f"/devices/{item['id']}")

    return json_response(collection("devices", items, query, device_uri))


def _device_response(request: web.Request, found: Device) -> web.Response:
    body = sim_of(request).renderer.device(found, base_url(request))
    return ok_response(device=project(body, _fields_only(parse_query(request.query, ()))))


# -- skills ------------------------------------------------------------------------------

async def my_skills(request: web.Request) -> web.Response:
    return _skills_response(request, current_user(request).skills)


async def user_skills(request: web.Request) -> web.Response:
    return _skills_response(request, _user_by_id(request).skills)


async def skill(request: web.Request) -> web.Response:
    skill_id = request.match_info["skill_id"]
    for candidate in _all_skills(request):
        if candidate.id == skill_id:
            path = f"/skills/{candidate.id}"
            body = {"id": candidate.id, "name": candidate.name,
                    "uri": uri(base_url(request), path), "path": path}
            return ok_response(skill=body)
    raise not_found("Skill", skill_id)


def _all_skills(request: web.Request) -> list[Skill]:
    return [s for u in sim_of(request).world.users for s in u.skills]


def _skills_response(request: web.Request, skills: list[Skill]) -> web.Response:
    renderer, base = sim_of(request).renderer, base_url(request)
    items = [renderer.skill(s) for s in skills]
    query = parse_query(request.query, NO_SUBRESOURCES)

    def skill_uri(item: dict[str, Any]) -> str:
        return uri(base, f"/skills/{item['id']}")

    return json_response(collection("skills", items, query, skill_uri))


# -- calls and channels ---------------------------------------------------------------------

async def my_calls(request: web.Request) -> web.Response:
    sim, base = sim_of(request), base_url(request)
    items = [sim.renderer.call(c, base) for c in sim.world.calls_of(current_user(request))]
    return json_response(collection("calls", items, parse_query(request.query, NO_SUBRESOURCES)))


async def my_call(request: web.Request) -> web.Response:
    body = sim_of(request).renderer.call(my_call_by_id(request), base_url(request))
    return ok_response(call=project(body, _fields_only(parse_query(request.query, ()))))


def my_call_by_id(request: web.Request) -> Call:
    call_id = request.match_info["call_id"]
    found = sim_of(request).world.calls.get(call_id)
    if found is None or found.device.owner_id != current_user(request).id:
        raise not_found("Call", call_id)
    return found


async def my_channels(request: web.Request) -> web.Response:
    sim, base = sim_of(request), base_url(request)
    items = [sim.renderer.channel(current_user(request), "voice", base)]
    return json_response(collection("channels", items, parse_query(request.query, ())))


async def my_channel(request: web.Request) -> web.Response:
    name = request.match_info["channel"]
    if name != "voice":
        raise not_found("Channel", name)
    body = sim_of(request).renderer.channel(current_user(request), name, base_url(request))
    return ok_response(channel=body)
