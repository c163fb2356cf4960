"""The aiohttp application: routes, middlewares and the simulator's state."""

from __future__ import annotations

from aiohttp import web

from gwssim import agent_ops, call_ops, directory, resources
from gwssim.config import SimConfig
from gwssim.data import build_world
from gwssim.middleware import error_middleware, gzip_middleware, make_auth_middleware
from gwssim.sim import SIM_KEY, build_sim

API = "/api/v2"
MAX_BODY = 1024 * 1024


def make_app(config: SimConfig) -> web.Application:
    """A fresh simulator: seeded directory, no calls, nobody logged in."""
    config.validate()
    world = build_world(config.seed)
    sim = build_sim(config, world)
    app = web.Application(
        client_max_size=MAX_BODY,
        middlewares=[error_middleware, gzip_middleware,
                     make_auth_middleware(config, world, sim.sessions)],
    )
    app[SIM_KEY] = sim
    _add_get_routes(app)
    _add_operation_routes(app)
    path = config.notifications_path
    app.router.add_post(path, sim.hub.handle)
    app.router.add_post(path + "/{bayeux_step:[A-Za-z/]+}", sim.hub.handle)
    app.on_shutdown.append(_stop_notifications)
    return app


def _add_get_routes(app: web.Application) -> None:
    get = app.router.add_get
    get(f"{API}/diagnostics/version", resources.version)
    get(f"{API}/me", resources.me)
    get(f"{API}/me/devices", resources.my_devices)
    get(f"{API}/me/devices/{{device_id}}", resources.my_device)
    get(f"{API}/me/skills", resources.my_skills)
    get(f"{API}/me/calls", resources.my_calls)
    get(f"{API}/me/calls/{{call_id}}", resources.my_call)
    get(f"{API}/me/channels", resources.my_channels)
    get(f"{API}/me/channels/{{channel}}", resources.my_channel)
    get(f"{API}/users", resources.users)
    get(f"{API}/users/{{user_id}}", resources.user)
    get(f"{API}/users/{{user_id}}/skills", resources.user_skills)
    get(f"{API}/users/{{user_id}}/devices", resources.user_devices)
    get(f"{API}/devices/{{device_id}}", resources.device)
    get(f"{API}/skills/{{skill_id}}", resources.skill)
    get(f"{API}/devices/{{device_id}}/settings/tserver", directory.device_tserver_settings)
    get(f"{API}/me/devices/{{device_id}}/settings/tserver", directory.my_device_tserver_settings)
    get(f"{API}/services", directory.services)
    get(f"{API}/services/{{service_id}}", directory.service)
    get(f"{API}/contacts", directory.contacts)
    get(f"{API}/contacts/{{contact_id}}", directory.contact)


def _add_operation_routes(app: web.Application) -> None:
    post = app.router.add_post
    post(f"{API}/me", agent_ops.me_operation)
    post(f"{API}/me/channels/{{channel}}", agent_ops.channel_operation)
    post(f"{API}/me/devices/{{device_id}}", agent_ops.device_operation)
    post(f"{API}/me/devices/{{device_id}}/calls", call_ops.dial)
    post(f"{API}/me/calls/{{call_id}}", call_ops.call_operation)


async def _stop_notifications(app: web.Application) -> None:
    sim = app[SIM_KEY]
    sim.outbox.close()
    sim.hub.close()

