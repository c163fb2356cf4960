"""Rendering and inspecting the site's Markdown and HTML in tests."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import markdown

from docgen.publish.site.mkdocs import MARKDOWN_EXTENSIONS


def site_markdown() -> markdown.Markdown:
    """Python-Markdown configured like the generated mkdocs.yml."""
    names: list[str] = []
    configs: dict[str, Any] = {}
    for item in MARKDOWN_EXTENSIONS:
        if isinstance(item, str):
            names.append(item)
        else:
            ((name, config),) = item.items()
            names.append(name)
            configs[name] = config
    return markdown.Markdown(extensions=names, extension_configs=configs)


class ElementCollector(HTMLParser):
    """Every start tag and its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))


SAFE_TAGS = {"p", "h1", "h2", "h3", "h4", "a", "code", "pre", "em", "strong", "table", "thead",
             "tbody", "tr", "th", "td", "ul", "li", "div", "span", "input", "label", "details",
             "summary"}


