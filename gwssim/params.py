"""Reading operation bodies: JSON object with `operationName` and typed parameters.

Missing parameter -> statusCode 1; a value of the wrong type or form, a body that is not
a JSON object, or an operationName the path does not know -> statusCode 10.
"""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp import web

from gwssim.errors import ApiError, invalid, missing

PHONE_NUMBER = re.compile(r"^\+?[0-9*#]{1,32}$")
DTMF_DIGITS = re.compile(r"^[0-9*#A-Da-d]{1,64}$")


async def read_operation(request: web.Request) -> tuple[str, dict[str, Any]]:
    """(operationName, body) of an operation request."""
    raw = await request.read()
    try:
        body = json.loads(raw) if raw.strip() else None
    except (ValueError, UnicodeDecodeError):
        raise invalid("Request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise invalid("Request body must be a JSON object")
    name = body.get("operationName")
    if name is None:
        raise missing("operationName")
    if not isinstance(name, str):
        raise invalid("operationName must be a string")
    return name, body


def unknown_operation(name: str) -> ApiError:
    return invalid(f"Unknown operationName '{name}'")


def optional_text(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise invalid(f"{name} must be a string")
    return value


def required_text(body: dict[str, Any], name: str) -> str:
    value = optional_text(body, name)
    if value is None or value == "":
        raise missing(name)
    return value


def destination(body: dict[str, Any]) -> str:
    """The phone number of `destination`: `{"phoneNumber": "5002"}` (or a bare "5002")."""
    value = body.get("destination")
    if value is None:
        raise missing("destination")
    if isinstance(value, dict):
        value = value.get("phoneNumber")
        if value is None:
            raise missing("destination.phoneNumber")
    if not isinstance(value, str) or not PHONE_NUMBER.match(value):
        raise invalid("destination.phoneNumber must be a phone number (digits, optional +)")
    return value


def user_data(body: dict[str, Any], required: bool) -> dict[str, Any]:
    value = body.get("userData")
    if value is None:
        if required:
            raise missing("userData")
        return {}
    if not isinstance(value, dict):
        raise invalid("userData must be a JSON object")
    if any(item is None for item in value.values()):
        raise invalid("userData values must not be null")
    return value


def text_list(body: dict[str, Any], name: str) -> list[str]:
    value = body.get(name)
    if value is None:
        raise missing(name)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise invalid(f"{name} must be a non-empty list of strings")
    return value


def dtmf_digits(body: dict[str, Any]) -> str | None:
    value = optional_text(body, "dtmfDigits")
    if value is not None and not DTMF_DIGITS.match(value):
        raise invalid("dtmfDigits may contain only 0-9, *, # and A-D")
    return value
