"""GET endpoints of the contact center's directory: services, contacts, DN settings.

Shapes are the real server's (tests/fixtures/real-gws/services.json, contact.json,
device_settings_tserver.json). Services and contacts are collections like users: `uris`
unless `fields` is given, filters on exact field names, no subresources. A device's T-Server
settings are always listed whole (as the real server answers without `fields`); `fields`
and filters narrow them like any collection.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from gwssim.catalog import SWITCH_NAME, TSERVER_SETTINGS
from gwssim.errors import json_response, not_found, ok_response
from gwssim.model import Service, User
from gwssim.query import Query, collection, parse_query, project, select
from gwssim.render import uri
from gwssim.resources import my_device_by_id
from gwssim.sim import base_url, sim_of

NO_SUBRESOURCES: tuple[str, ...] = ()


def service_body(service: Service, base: str) -> dict[str, Any]:
    path = f"/services/{service.id}"
    return {"id": service.id, "name": service.name, "type": service.type,
            "state": service.state, "uri": uri(base, path), "path": path}


def contact_body(user: User, base: str) -> dict[str, Any]:
    """A user as a contact: one phone number per device. Every person in Configuration
    Server has an employee id; seeds without one use the user name."""
    path = f"/contacts/{user.id}"
    numbers = [{"phoneNumber": device.phone_number, "description": "",
                "switchName": SWITCH_NAME} for device in user.devices]
    return {"id": user.id, "name": user.user_name, "type": "User", "phoneNumbers": numbers,
            "userName": user.user_name, "firstName": user.first_name,
            "lastName": user.last_name, "employeeId": user.employee_id or user.user_name,
            "uri": uri(base, path), "path": path}


async def services(request: web.Request) -> web.Response:
    base = base_url(request)
    items = [service_body(s, base) for s in sim_of(request).world.services]
    query = parse_query(request.query, NO_SUBRESOURCES)
    return json_response(collection("services", items, query))


async def service(request: web.Request) -> web.Response:
    service_id = request.match_info["service_id"]
    found = sim_of(request).world.services_by_id.get(service_id)
    if found is None:
        raise not_found("Service", service_id)
    return ok_response(service=_single(request, service_body(found, base_url(request))))


async def contacts(request: web.Request) -> web.Response:
    base = base_url(request)
    items = [contact_body(u, base) for u in sim_of(request).world.users]
    query = parse_query(request.query, NO_SUBRESOURCES)
    return json_response(collection("contacts", items, query))


async def contact(request: web.Request) -> web.Response:
    contact_id = request.match_info["contact_id"]
    found = sim_of(request).world.users_by_id.get(contact_id)
    if found is None:
        raise not_found("Contact", contact_id)
    return ok_response(contact=_single(request, contact_body(found, base_url(request))))


async def device_tserver_settings(request: web.Request) -> web.Response:
    """GET /api/v2/devices/{deviceId}/settings/tserver: any device of the directory."""
    device_id = request.match_info["device_id"]
    found = sim_of(request).world.devices_by_id.get(device_id)
    if found is None:
        raise not_found("Device", device_id)
    return _settings_response(request)


async def my_device_tserver_settings(request: web.Request) -> web.Response:
    """GET /api/v2/me/devices/{deviceId}/settings/tserver: one of the agent's devices."""
    my_device_by_id(request)  # 404 unless it is the agent's
    return _settings_response(request)


def _settings_response(request: web.Request) -> web.Response:
    """Every simulated DN has the same options."""
    query = parse_query(request.query, NO_SUBRESOURCES)
    items = [{"name": name, "value": value} for name, value in TSERVER_SETTINGS]
    settings = [project(item, query) for item in select(items, query)]
    return ok_response(settings=settings, key="name")


def _single(request: web.Request, body: dict[str, Any]) -> dict[str, Any]:
    # A single object is not filtered: only fields (and unknown subresources, refused) apply.
    query = parse_query(request.query, NO_SUBRESOURCES)
    return project(body, Query(fields=query.fields))
