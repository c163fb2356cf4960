"""Escaping helpers: put untrusted recorded text into Markdown so it renders inert, as text.

Everything wsdoc shows comes from recorded traffic (paths, headers, JSON keys and values),
so every string that reaches a page goes through one of these helpers:

* `text()` for prose and table cells: every character Markdown, the enabled extensions or
  HTML could give meaning to becomes a numeric character reference (`<` -> `&#60;`), and
  line breaks and invisible/control characters become visible `\\xNN`/`\\uNNNN` text.
* `code()` is `text()` inside `<code>`; `fence()` is a fenced code block whose fence is
  longer than any backtick run in the content, so the content cannot close it.
* `plain_title()` is for titles that MkDocs and the theme put into HTML *without*
  escaping (nav entries, `<title>` via `striptags`, which un-escapes entities): only a
  harmless character set survives there, everything else becomes `?`.

Python-Markdown uses STX/ETX (\\x02/\\x03) as placeholder markers for stashed HTML, so
control characters are never passed through, not even inside code blocks.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

# Characters kept verbatim in text() (except as the first character): letters, digits,
# space and punctuation that no enabled extension gives meaning to in the middle of a
# line. `text()` never emits a line break, so nothing it returns can start a block.
_TEXT_SAFE_PUNCTUATION = frozenset("/,;?@%-.:()=+")
_TITLE_SAFE_PUNCTUATION = frozenset(" /{}_.,:;?=+@%~()!*$#[]^-")
_BACKTICK_RUN = re.compile(r"`+")
_WORDS_SAFE = frozenset(" ,.:;()/=+@%-\u2192")


def visible(char: str) -> str:
    """A visible stand-in for an invisible or control character, e.g. '\\x00', '\\u202e'."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def is_invisible(char: str) -> bool:
    """Control, format (bidi overrides, zero-width), private, unassigned, line separators."""
    return unicodedata.category(char)[0] == "C" or unicodedata.category(char) in ("Zl", "Zp")


def text(value: Any) -> str:
    """Any value as inert Markdown text (safe in paragraphs, table cells and list items)."""
    raw = value if isinstance(value, str) else str(value)
    out: list[str] = []
    for index, char in enumerate(raw):
        plain = char.isalnum() and char.isascii() or char == " "
        # Punctuation first, or "1." / "12)" at the start, could open a block (list, heading).
        opens_block = index == 0 and char not in "/,;?@%(" or (
            char in ".)" and raw[:index].isdigit())
        if plain or char in _TEXT_SAFE_PUNCTUATION and not opens_block:
            out.append(char)
        elif char == "\n":
            out.append("&#92;n")  # a visible '\n': cells and list items are single lines
        elif is_invisible(char):
            out.append("".join(f"&#{ord(c)};" for c in visible(char)))
        elif char.isascii():
            out.append(f"&#{ord(char)};")
        else:
            out.append(char)  # printable non-ASCII letters and symbols mean nothing to Markdown
    return "".join(out)


def code(value: Any) -> str:
    """Inline code for untrusted text (HTML tag, so no backtick counting is needed)."""
    return f"<code>{text(value)}</code>"


def span(value: Any) -> str:
    """A Markdown code span for untrusted text that stays readable as raw Markdown (a
    changelog read in a terminal or a pull request): the fence is one backtick longer than
    any run inside, so the content cannot close it; nothing in a code span is Markdown or
    HTML to the renderer. Line breaks and invisible characters become visible escapes."""
    raw = value if isinstance(value, str) else str(value)
    shown = "".join(visible(c) if is_invisible(c) else c for c in raw)
    if not shown.strip():
        return "(empty)" if not shown else f"`{shown}`"
    fence = "`" * (max((len(run) for run in _BACKTICK_RUN.findall(shown)), default=0) + 1)
    pad = " " if shown[0] in "` " or shown[-1] in "` " else ""  # CommonMark strips one each
    return f"{fence}{pad}{shown}{pad}{fence}"


def words(value: Any) -> str:
    """Plain words as they are (`integer`, `now required`, `format email → none`); anything
    with a character Markdown or HTML could act on goes into a code span instead."""
    raw = value if isinstance(value, str) else str(value)
    plain = all(c.isalnum() or c in _WORDS_SAFE for c in raw) and raw[:1].isalnum()
    return raw if plain else span(raw)


def cell(value: Any) -> str:
    """A table cell: escaped text, or an em dash for empty values."""
    shown = text(value)
    return shown if shown.strip() else "&#8212;"


def code_cell(value: Any) -> str:
    return code(value) if str(value) else "&#8212;"


def code_block_content(content: str) -> str:
    """Content fit for a code block: one newline style, no control characters but tab."""
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        char if char in "\n\t" or not is_invisible(char) else visible(char) for char in content
    )


def fence(content: str, language: str = "", indent: str = "") -> str:
    """A fenced code block that `content` cannot close, indented by `indent` on every line."""
    body = code_block_content(content)
    longest = max((len(run) for run in _BACKTICK_RUN.findall(body)), default=0)
    marker = "`" * max(3, longest + 1)
    language = re.sub(r"[^a-z0-9]", "", language.lower())
    lines = [f"{marker}{language}", *body.split("\n"), marker]
    return "\n".join(f"{indent}{line}" if line else "" for line in lines)


TOO_DEEP = "(nested too deeply to show)"


def pretty_json(value: Any) -> str:
    """Pretty JSON for examples; non-ASCII kept readable, control characters escaped."""
    try:
        return json.dumps(value, indent=2, ensure_ascii=False, default=str)
    except (RecursionError, ValueError):
        return TOO_DEEP


def compact_json(value: Any, limit: int = 60) -> str:
    """A short one-line JSON rendering for table cells, cut at `limit` characters."""
    try:
        shown = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    except (RecursionError, ValueError):
        return TOO_DEEP
    return shown if len(shown) <= limit else shown[: limit - 1] + "\u2026"


def plain_title(value: str, limit: int = 120) -> str:
    """A title safe where the theme does not escape: unsafe characters become '?'."""
    kept = "".join(
        char if char.isalnum() and not is_invisible(char) or char in _TITLE_SAFE_PUNCTUATION
        else "?"
        for char in value
    )
    kept = kept.strip() or "untitled"
    return kept if len(kept) <= limit else kept[: limit - 1] + "\u2026"


def indent_block(block: str, indent: str = "    ") -> str:
    """Indent every non-empty line (content of admonitions and content tabs)."""
    return "\n".join(f"{indent}{line}" if line else "" for line in block.split("\n"))


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table from already-escaped cells."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
