"""Cross-cutting request handling: JSON errors, authentication + CSRF, gzip, URL length."""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Middleware
from aiohttp.web_response import ContentCoding

from gwssim.auth import (
    SESSION_KEY,
    Handler,
    SessionStore,
    authenticate,
    check_csrf,
    decorate,
)
from gwssim.config import SimConfig
from gwssim.errors import INTERNAL_ERROR, INVALID_INPUT, NOT_FOUND, ApiError, error_response
from gwssim.model import World

MAX_URL_LENGTH = 2000  # the documented limit for a whole request URL
PUBLIC_PATHS = frozenset({"/api/v2/diagnostics/version"})
log = logging.getLogger(__name__)


async def respond(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Run handler; every failure becomes a JSON body with statusCode (never HTML)."""
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(exc.status_code, exc.message)
    except web.HTTPNotFound:
        return error_response(NOT_FOUND, f"Resource '{request.path}' not found")
    except web.HTTPMethodNotAllowed:
        return error_response(INVALID_INPUT, f"Method {request.method} is not supported here")
    except web.HTTPRequestEntityTooLarge:
        return error_response(INVALID_INPUT, "Request body too large")
    except web.HTTPException as exc:
        return error_response(INTERNAL_ERROR, exc.reason)
    except Exception:  # a simulator bug must still answer like the server would
        log.exception("unhandled error for %s %s", request.method, request.path)
        return error_response(INTERNAL_ERROR, "Internal error")


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if len(str(request.url)) > MAX_URL_LENGTH:
        return error_response(INVALID_INPUT, f"Request URL exceeds {MAX_URL_LENGTH} characters")
    return await respond(request, handler)


@web.middleware
async def gzip_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    accepted = request.headers.get("Accept-Encoding", "").lower()
    if "gzip" in accepted and isinstance(response, web.Response):
        response.enable_compression(ContentCoding.gzip)
    return response


def make_auth_middleware(config: SimConfig, world: World, store: SessionStore) -> Middleware:
    """Authenticate everything under /api/v2 and the notifications path (but the version)."""

    def protected(path: str) -> bool:
        if path in PUBLIC_PATHS:
            return False
        notifications = config.notifications_path
        return path.startswith("/api/v2/") or path == "/api/v2" or \
            path == notifications or path.startswith(notifications + "/")

    @web.middleware
    async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not protected(request.path):
            return await handler(request)
        try:
            session = authenticate(request, world, store)
        except ApiError as exc:
            return error_response(exc.status_code, exc.message)
        request[SESSION_KEY] = session
        try:
            if config.csrf:
                check_csrf(request, session)
        except ApiError as exc:
            response: web.StreamResponse = error_response(exc.status_code, exc.message)
        else:
            response = await respond(request, handler)
        decorate(request, response, session, config.csrf)
        return response

    return auth_middleware
