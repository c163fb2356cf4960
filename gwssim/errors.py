"""statusCode values, their HTTP statuses, and the JSON error bodies.

Every body the simulator sends has a top-level `statusCode`; an error adds `statusMessage`
and changes nothing. HTTP statuses follow the statusCode (the reference marks this mapping
as a guess, so it lives in one table):

    0, 7 -> 200   1, 2, 10 -> 400   6 -> 404   3, 5, 20 -> 403   4 -> 500   others -> 400

A missing or wrong CSRF token is statusCode 3 ("operation forbidden"): the documentation
gives no code for it, and 3 is the one that says the request itself was refused.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

OK = 0
MISSING_PARAMETER = 1
INVALID_STATE = 2
FORBIDDEN = 3
INTERNAL_ERROR = 4
NO_PERMISSION = 5
NOT_FOUND = 6
PARTIAL_SUCCESS = 7
INVALID_INPUT = 10
NOT_AUTHENTICATED = 20

HTTP_STATUS_OF: dict[int, int] = {
    OK: 200,
    PARTIAL_SUCCESS: 200,
    MISSING_PARAMETER: 400,
    INVALID_STATE: 400,
    INVALID_INPUT: 400,
    NOT_FOUND: 404,
    FORBIDDEN: 403,
    NO_PERMISSION: 403,
    NOT_AUTHENTICATED: 403,
    INTERNAL_ERROR: 500,
}

ACCESS_DENIED = "Access denied"
CSRF_MESSAGE = "Missing or invalid Csrf token"
JSON_CONTENT_TYPE = "application/json;charset=UTF-8"  # as the real (Jetty) server sends


class ApiError(Exception):
    """Raised anywhere in a handler; becomes `{"statusCode":..,"statusMessage":..}`."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message


def http_status(status_code: int) -> int:
    return HTTP_STATUS_OF.get(status_code, 400)


def json_response(body: Any, status: int = 200) -> web.Response:
    """A compact JSON response (the real server sends no spaces)."""
    text = json.dumps(body, separators=(",", ":"))
    return web.Response(body=text.encode(), status=status,
                        headers={"Content-Type": JSON_CONTENT_TYPE})


def ok_response(**fields: Any) -> web.Response:
    return json_response({"statusCode": OK, **fields})


def error_response(status_code: int, message: str) -> web.Response:
    body = {"statusCode": status_code, "statusMessage": message}
    return json_response(body, http_status(status_code))


def missing(name: str) -> ApiError:
    return ApiError(MISSING_PARAMETER, f"Missing required parameter '{name}'")


def invalid(message: str) -> ApiError:
    return ApiError(INVALID_INPUT, message)


def not_found(kind: str, ident: str) -> ApiError:
    return ApiError(NOT_FOUND, f"{kind} '{ident}' not found")
