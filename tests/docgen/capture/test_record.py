"""The exchange record: header lookup as HTTP defines it (names case-insensitive)."""

from __future__ import annotations

import pytest

from docgen.capture.record import Exchange

HEADERS = [("Content-Type", "application/json"), ("X-CSRF-TOKEN", "t1"),
           ("x-csrf-token", "t2"), ("\u212aeep", "kelvin"), ("Straße", "street"),
           ("\u0130X", "dotted")]


def with_headers() -> Exchange:
    return Exchange("GET", "http", "h", 80, "/", request_headers=list(HEADERS),
                    response_headers=[("SET-COOKIE", "a=1")])


def reference(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name.lower()), None)


@pytest.mark.parametrize("name", ["content-type", "CONTENT-TYPE", "x-csrf-token", "keep",
                                  "KEEP", "straße", "STRASSE", "\u0130x",
                                  "i\u0307x", "missing", "", "content-typ"])
def test_header_is_the_first_with_that_name_in_any_case(name: str) -> None:
    # "\u212a" (KELVIN SIGN) lowers to an ASCII "k": the lookup must still find "keep";
    # "\u0130" (I WITH DOT ABOVE) lowers to two characters: lengths differ, names match.
    assert with_headers().header(name) == reference(HEADERS, name)


def test_response_headers_are_looked_up_apart() -> None:
    exchange = with_headers()
    assert exchange.header("set-cookie", response=True) == "a=1"
    assert exchange.header("set-cookie") is None
    assert exchange.header("keep") == "kelvin"
