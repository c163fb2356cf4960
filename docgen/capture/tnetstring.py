"""A tnetstring decoder for mitmproxy flow records, compiled by mypyc when it can be.

mitmproxy writes flows as tnetstrings (`LENGTH:BODY` + a type tag) with a `;` tag for
text, which tnetstring3 on PyPI does not know, and its own decoder is pure Python. This one
is plain typed Python that mypyc compiles to C at install time (setup.py; about 6 times
faster on flow files). Without a C compiler the same code runs as Python: `COMPILED` says
which. Keep it self-contained (no docgen imports) and fully typed: mypyc checks the
annotations at run time.

Errors are ValueError (bad prefix, length past the end, unknown tag, nesting deeper than
MAX_DEPTH: compiled code must not recurse without bound). With `wanted`, only those keys of
a dict are decoded and the others skipped by their length prefix: `wanted[key]` is None to
decode a value whole, or again a dict of wanted keys for a nested dict.
"""

from __future__ import annotations

from typing import Any, Final

MAX_DIGITS: Final = 12  # as mitmproxy: a longer length prefix is not a tnetstring
MAX_DEPTH: Final = 64  # flow states nest a few levels; deeper input is not a flow
COMPILED: Final = not __file__.endswith(".py")


def decode(data: bytes, pos: int, wanted: dict[str, Any] | None = None) -> tuple[Any, int]:
    """The value at `pos` and the offset just past it."""
    if wanted is None:
        return _value(data, pos, 0)
    return _dict_of(data, pos, wanted, 0)


def _span(data: bytes, pos: int) -> tuple[int, int]:
    """(start, stop) of the body whose length prefix begins at `pos`; data[stop] is its
    type tag. Digits are read here, byte by byte, which compiled code does fastest."""
    length = 0
    index = pos
    end = len(data)
    while True:
        if index >= end or index > pos + MAX_DIGITS:
            raise ValueError("missing or invalid length prefix")
        byte = data[index]
        if byte == 58:  # ":"
            break
        if byte < 48 or byte > 57:
            raise ValueError(f"invalid length prefix at offset {pos}")
        length = length * 10 + (byte - 48)
        index += 1
    if index == pos:
        raise ValueError(f"empty length prefix at offset {pos}")
    stop = index + 1 + length
    if stop >= end:
        raise ValueError("length runs past the data")
    return index + 1, stop


def _value(data: bytes, pos: int, depth: int) -> tuple[Any, int]:
    start, stop = _span(data, pos)
    tag = data[stop]
    if tag == 44:  # ","  bytes
        return data[start:stop], stop + 1
    if tag == 59:  # ";"  text
        return data[start:stop].decode("utf-8"), stop + 1
    if tag == 125 or tag == 93:  # "}" dict, "]" list
        if depth >= MAX_DEPTH:
            raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
        if tag == 93:
            return _list(data, start, stop, depth + 1), stop + 1
        return _dict(data, start, stop, depth + 1), stop + 1
    return _scalar(tag, data[start:stop]), stop + 1


def _list(data: bytes, start: int, stop: int, depth: int) -> list[Any]:
    items: list[Any] = []
    while start < stop:
        item, start = _value(data, start, depth)
        items.append(item)
    _check_end(start, stop)
    return items


def _dict(data: bytes, start: int, stop: int, depth: int) -> dict[Any, Any]:
    result: dict[Any, Any] = {}
    while start < stop:
        key, start = _value(data, start, depth)
        if start >= stop:
            raise ValueError("dict key without a value")
        result[key], start = _value(data, start, depth)
    _check_end(start, stop)
    return result


def _dict_of(data: bytes, pos: int, wanted: dict[str, Any], depth: int) -> tuple[Any, int]:
    start, stop = _span(data, pos)
    if data[stop] != 125:
        return _value(data, pos, depth)  # not a dict: decoded whole, for the caller to judge
    if depth >= MAX_DEPTH:
        raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
    result: dict[Any, Any] = {}
    while start < stop:
        key, start = _value(data, start, depth + 1)
        if start >= stop:
            raise ValueError("dict key without a value")
        inner: Any = wanted.get(key, False) if isinstance(key, str) else False
        if inner is False:
            start = _span(data, start)[1] + 1  # skipped, undecoded
        elif inner is None:
            result[key], start = _value(data, start, depth + 1)
        else:
            result[key], start = _dict_of(data, start, inner, depth + 1)
    _check_end(start, stop)
    return result, stop + 1


def _check_end(end: int, stop: int) -> None:
    if end != stop:
        raise ValueError("container length does not match its items")


def _scalar(tag: int, text: bytes) -> Any:
    if tag == 35:  # "#"
        return int(text)
    if tag == 94:  # "^"
        return float(text)
    if tag == 126 and not text:  # "~"
        return None
    if tag == 33 and text in (b"true", b"false"):  # "!"
        return text == b"true"
    raise ValueError(f"invalid value {text[:20]!r} with type tag {chr(tag)!r}")
