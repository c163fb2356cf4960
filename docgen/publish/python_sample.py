"""The same recorded request as `docgen.publish.curl`, written with Python's `requests`.

It reuses curl's pieces (which headers are dropped, where masked secrets become
placeholders), so both samples expect the same variables: in Python they are read from
the environment (`os.environ["CSRF_TOKEN"]`), exactly what the shell exported. Every
recorded string becomes a Python literal through `repr`, so nothing recorded can break out.
"""

from __future__ import annotations

from docgen.capture.record import Exchange
from docgen.publish.curl import (
    BODY_FILE,
    MAX_INLINE_BODY,
    Var,
    Word,
    basic_user,
    cookie_word,
    header_words,
    merged,
    target_url,
)


def expression(word: Word) -> str:
    """A Python expression for one shell word: literals and `os.environ[...]` joined by +."""
    parts = [repr(piece) if isinstance(piece, str) else f"os.environ[{piece.name!r}]"
             for piece in merged(word)]
    return " + ".join(parts) or "''"


def uses_variables(word: Word) -> bool:
    return any(isinstance(piece, Var) for piece in word)


def header_items(ex: Exchange) -> tuple[list[str], Word | None]:
    """`"Name": value` items for the headers dict, and the Basic user:password word."""
    items: list[str] = []
    user: Word | None = None
    for name, value in ex.request_headers:
        found = header_words(name, value)
        if not found:
            continue
        if found[0] == ("-u",):
            user = user or basic_user(value)
            continue
        if name.lower() == "cookie":
            items.append(f"{name!r}: {expression(cookie_word(value))}")
            continue
        header = merged(found[1])
        head = header[0] if header and isinstance(header[0], str) else ""
        key, _, first = head.partition(": ")
        items.append(f"{key!r}: {expression((first, *header[1:]))}")
    return items, user


def auth_argument(user: Word) -> str:
    """`auth=("amiller", os.environ["PASSWORD"])` from the `-u` word."""
    pieces = merged(user)
    literal = pieces[0] if pieces and isinstance(pieces[0], str) else ""
    name, _, password = literal.partition(":")
    secret: Word = (password, *pieces[1:]) if ":" in literal else pieces
    if not name and pieces and isinstance(pieces[0], Var):  # `$USERNAME:$PASSWORD`
        return f"auth=(os.environ[{pieces[0].name!r}], {expression(pieces[2:])})"
    return f"auth=({name!r}, {expression(secret)})"


def body_argument(ex: Exchange) -> str:
    body = ex.request_body
    if body.content is None:
        return f"data=open({BODY_FILE[1:]!r}, 'rb')" if body.size else ""
    if not body.content:
        return ""
    try:
        text = body.content.decode("utf-8")
    except UnicodeDecodeError:
        return f"data=open({BODY_FILE[1:]!r}, 'rb')"
    if len(text) > MAX_INLINE_BODY:
        return f"data=open({BODY_FILE[1:]!r}, 'rb')"
    return f"data={text!r}"


def python_sample(ex: Exchange, base_url: str) -> str:
    """A runnable script: send the request, print the status and the body."""
    items, user = header_items(ex)
    arguments = [expression(target_url(ex, base_url))]
    if user is not None:
        arguments.append(auth_argument(user))
    if items:
        arguments.append("headers={" + ", ".join(items) + "}")
    if body := body_argument(ex):
        arguments.append(body)
    needs_os = "os.environ" in "".join(arguments)
    lines = ["import os" if needs_os else "", "import requests", "",
             f"response = requests.request({ex.method.upper()!r},"]
    lines += [f"    {argument}," for argument in arguments]
    lines += ["    timeout=30,", ")", "print(response.status_code, response.text)"]
    return "\n".join(line for index, line in enumerate(lines) if line or index > 0).lstrip("\n")
