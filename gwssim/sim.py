"""The simulator's parts, shared by every handler through the application."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from gwssim.auth import SessionStore
from gwssim.cometd import CometHub
from gwssim.config import SimConfig
from gwssim.events import Notifier, Outbox
from gwssim.ids import IdFactory
from gwssim.model import World
from gwssim.render import Renderer
from gwssim.telephony import Switch
from gwssim.versions import VERSIONS, ApiVersion


@dataclass
class Sim:
    config: SimConfig
    api: ApiVersion
    world: World
    ids: IdFactory
    renderer: Renderer
    outbox: Outbox
    notifier: Notifier
    switch: Switch
    sessions: SessionStore
    hub: CometHub


SIM_KEY = web.AppKey("gwssim.sim", Sim)


def build_sim(config: SimConfig, world: World) -> Sim:
    api = VERSIONS[config.api_version]
    ids = IdFactory(config.seed)
    renderer = Renderer(world, api)
    hub = CometHub(ids, config.long_poll_timeout)
    outbox = Outbox(config.event_delay, hub.deliver)
    notifier = Notifier(world, renderer, outbox)
    switch = Switch(world, ids, notifier)
    return Sim(config, api, world, ids, renderer, outbox, notifier, switch,
               SessionStore(ids), hub)


def sim_of(request: web.Request) -> Sim:
    return request.app[SIM_KEY]


def base_url(request: web.Request) -> str:
    """scheme://Host as the client addressed us: the prefix of every `uri`."""
    return f"{request.scheme}://{request.host}"
