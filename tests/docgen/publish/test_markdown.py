"""Escaping helpers: recorded text renders inert and visibly, with the site's own extensions."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from docgen.publish import markdown as md
from tests.support.html_checks import site_markdown
from tests.support.site_models import HOSTILE_STRINGS

TAG = re.compile(r"<[^>]+>")




def to_html(source: str) -> str:
    return site_markdown().convert(source)


def visible_text(fragment: str) -> str:
    return html.unescape(TAG.sub("", fragment))


def shown(value: str) -> str:
    """What a reader should see: the value with invisible characters made visible."""
    return "".join(md.visible(c) if md.is_invisible(c) else c
                   for c in value.replace("\n", "\\n"))


@pytest.mark.parametrize("value", HOSTILE_STRINGS)
def test_text_is_inert_and_visible_in_a_paragraph(value: str) -> None:
    out = to_html(f"Value: {md.text(value)}")
    assert out.startswith("<p>") and out.count("<p>") == 1
    assert TAG.findall(out) == ["<p>", "</p>"]  # no element but the paragraph
    assert visible_text(out) == "Value: " + shown(value)


@pytest.mark.parametrize("value", HOSTILE_STRINGS)
def test_table_cells_hold_any_value(value: str) -> None:
    source = md.table(["a", "b"], [[md.cell(value), md.code_cell(value)]])
    out = to_html(source)
    cells = re.findall(r"<td>(.*?)</td>", out, re.DOTALL)
    assert len(cells) == 2
    assert visible_text(cells[0]) == shown(value)
    assert visible_text(cells[1]) == shown(value)
    assert set(TAG.findall(cells[1])) == {"<code>", "</code>"}


def test_text_escapes_every_markdown_and_html_character() -> None:
    out = md.text("<>&\"'`*_[]{}|#!~\\^$ \n")
    for char in "<>&\"'`*_[]{}|#!~\\^$\n":
        assert char not in out.replace("&#", "").replace(";", "")
    assert md.text("plain words, a/b; 50% @x 1.5-2 (ok) a=b+c:d") == (
        "plain words, a/b; 50% @x 1.5-2 (ok) a=b+c:d")


def test_leading_punctuation_cannot_start_a_block() -> None:
    for value in ("- item", "1. item", "12) x", "# head", "> quote", "+ x", "=== \"tab\"", ": def"):
        out = to_html(f"{md.text(value)}")
        assert TAG.findall(out) == ["<p>", "</p>"], value


def test_control_and_invisible_characters_become_visible() -> None:
    value = "a\x00b\x02c\x03d\u202ee\u200bf\x7f"
    assert md.text(value).count("&#92;") == 6
    assert visible_text(to_html(md.text(value))) == "a\\x00b\\x02c\\x03d\\u202ee\\u200bf\\x7f"


@pytest.mark.parametrize("content", [
    "```\n<script>alert(1)</script>\n```",
    "`````````` and ``` and `",
    "~~~\n~~~~\n",
    "\x02wzxhzdk:0\x03",
    "    indented\n\n\nafter blank lines\r\nwindows\rold mac",
    "=== \"tab\"\n!!! note\n??? note \"x\"\n--8<-- \"/etc/passwd\"",
])
def test_fence_cannot_be_closed_by_its_content(content: str) -> None:
    out = to_html("before\n\n" + md.fence(content, "json") + "\n\nafter")
    codes = re.findall(r"<code[^>]*>(.*?)</code>", out, re.DOTALL)
    assert len(codes) == 1
    expected = md.code_block_content(content)
    assert html.unescape(TAG.sub("", codes[0])).rstrip("\n") == expected.rstrip("\n")
    assert out.rstrip().endswith("<p>after</p>")


def test_fence_inside_an_indented_block_keeps_blank_lines() -> None:
    source = '=== "A"\n\n' + md.indent_block(md.fence("a\n\n\nb", "text"))
    out = to_html(source)
    assert "a\n\n\nb" in html.unescape(TAG.sub("", out))


def test_fence_language_is_sanitised() -> None:
    assert md.fence("x", 'json" onclick="x').splitlines()[0] == "```jsononclickx"


def test_plain_title_keeps_only_harmless_characters() -> None:
    for value in HOSTILE_STRINGS:
        title = md.plain_title(value)
        assert not set(title) & set("<>&\"'`\\|\n\r\x00\x02\x03")
        assert 0 < len(title) <= 120
    assert md.plain_title("GET /api/v2/me/calls/{callId}") == "GET /api/v2/me/calls/{callId}"
    assert md.plain_title("") == "untitled"
    assert len(md.plain_title("x" * 500)) == 120


def test_json_helpers_survive_deep_nesting() -> None:
    deep: Any = []
    for _ in range(100_000):
        deep = [deep]
    assert md.pretty_json(deep) == md.TOO_DEEP
    assert md.compact_json(deep) == md.TOO_DEEP
    assert md.compact_json({"a": "x" * 100}, limit=20).endswith("\u2026")


def test_span_fences_past_backticks_and_shows_invisible_characters() -> None:
    from docgen.publish.markdown import span, words

    assert span("GET /a/{id}") == "`GET /a/{id}`"
    assert span("a``b") == "```a``b```"
    assert span("`x`") == "`` `x` ``"
    assert span("line\nbreak\x02") == "`line\\x0abreak\\x02`"
    assert span("") == "(empty)"
    assert words("type string \u2192 integer") == "type string \u2192 integer"
    assert words("<b>bold</b>") == "`<b>bold</b>`"
    assert words("-starts like a list") == "`-starts like a list`"
