"""mkdocs.yml: the Material theme set up for offline use, and the nav grouped by resource.

Nothing here may fetch from the network at build or view time: Google fonts are off
(`font: false`), no plugin but the built-in search, no extension that embeds remote
content. Extensions are the minimum the pages use; in particular no `attr_list`,
`md_in_html`, `pymdownx.snippets` or `pymdownx.magiclink`, which would give recorded
text (attributes, file includes, auto-links) a meaning.

MkDocs and the theme put nav titles and the site name into HTML without escaping (and
`<title>` via `striptags`, which un-escapes), so those go through `plain_title`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

import yaml

from docgen.infer.model import Endpoint
from docgen.publish import markdown as md
from docgen.publish.site import auth, unmatched
from docgen.publish.site.notifications import NAV_TITLE as NOTIFICATIONS_TITLE

NavPage = tuple[str, str, Endpoint, str, str]  # resource, resource dir, endpoint, path, kind
TRANSPORT = "transport"  # the notifications channel's endpoints: listed under Notifications
UNMATCHED = "unmatched"  # never a 2xx, unknown to the profile: one shared page
STYLESHEET = "assets/wsdoc.css"
MAX_LABEL = 26  # characters of a nav label: the sidebar shows ~28 at 1400 px

THEME: dict[str, Any] = {
    "name": "material",
    "font": False,  # no Google fonts: the site works offline
    "features": [
        "content.code.copy", "content.tabs.link", "navigation.sections",
        "navigation.top", "search.highlight", "toc.follow",
    ],
    "palette": [
        {"media": "(prefers-color-scheme: light)", "scheme": "default",
         "toggle": {"icon": "material/brightness-7", "name": "Switch to dark mode"}},
        {"media": "(prefers-color-scheme: dark)", "scheme": "slate",
         "toggle": {"icon": "material/brightness-4", "name": "Switch to light mode"}},
    ],
}
MARKDOWN_EXTENSIONS: list[Any] = [
    "tables",
    {"toc": {"permalink": True}},
    "admonition",
    "pymdownx.details",
    "pymdownx.superfences",
    {"pymdownx.tabbed": {"alternate_style": True}},
    {"pymdownx.highlight": {"use_pygments": True, "pygments_lang_class": True}},
]


def resource_title(resource: str) -> str:
    return md.plain_title(resource, 60) if resource else "(root)"


def nav_label(method: str, template: str, resource: str) -> str:
    """A short label: the method and the path below the resource ('POST calls/{callId}');
    long parameter names shrink to `{id}`, then the start gives way to an ellipsis. The
    page's own heading carries the full path."""
    segments = [s for s in template.split("/") if s]
    if resource in segments:
        segments = segments[segments.index(resource) + 1:]
    if not segments or segments[0].startswith("{"):
        segments = [resource, *segments] if resource else segments  # 'users/{userId}'
    rest = "/".join(segments) or "/"
    if len(method) + 1 + len(rest) > MAX_LABEL:
        rest = "/".join("{id}" if s.startswith("{") and s.endswith("}") else s
                        for s in rest.split("/"))
    room = MAX_LABEL - len(method) - 1
    cut = len(rest) > room
    rest = md.plain_title(rest[-(room - 1):] if cut else rest, MAX_LABEL)
    return md.plain_title(method, 16) + " " + ("\u2026" if cut else "") + rest


def build_nav(pages: Sequence[NavPage], hand_pages: Sequence[str]) -> list[Any]:
    """Home, Authentication, top-level hand-written pages, one section per resource folder;
    transport endpoints go to the Notifications section (`notification_entries`)."""
    nav: list[Any] = [{"Home": "index.md"}, {auth.NAV_TITLE: auth.PAGE}]
    by_dir: dict[str, list[Any]] = {}
    titles: dict[str, str] = {}
    for resource, folder, ep, path, kind in pages:
        if kind in (TRANSPORT, UNMATCHED):
            continue
        titles.setdefault(folder, resource_title(resource))
        by_dir.setdefault(folder, []).append(
            {nav_label(ep.method, ep.template, resource): path})
    for page in sorted(hand_pages):
        parent = str(PurePosixPath(page).parent)
        if parent == ".":
            nav.append(page)  # titled by the page's own heading
            continue
        titles.setdefault(parent, md.plain_title(parent, 60))
        by_dir.setdefault(parent, []).append(page)
    for folder in sorted(by_dir, key=lambda f: (titles[f].lower(), f)):
        nav.append({titles[folder]: by_dir[folder]})
    return nav


def transport_entries(pages: Sequence[NavPage]) -> list[Any]:
    """Nav entries of the notifications channel's own endpoints ('Transport: handshake')."""
    entries = []
    for _, _, ep, path, kind in pages:
        if kind == TRANSPORT:
            last = [s for s in ep.template.split("/") if s][-1:] or ["/"]
            entries.append({md.plain_title(f"{ep.method} {last[0]}", MAX_LABEL): path})
    return entries


def with_transport(extra_nav: Sequence[Any], pages: Sequence[NavPage]) -> list[Any]:
    """The Notifications section with the transport endpoints folded in (made when the
    model has none but the endpoints were recorded)."""
    transport = transport_entries(pages)
    nav = [dict(section) for section in extra_nav]
    for section in nav:
        if NOTIFICATIONS_TITLE in section:
            section[NOTIFICATIONS_TITLE] = [*section[NOTIFICATIONS_TITLE], *transport]
            return nav
    return [*nav, {NOTIFICATIONS_TITLE: transport}] if transport else nav


def render_mkdocs_config(title: str, pages: Sequence[NavPage], hand_pages: Sequence[str],
                         extra_nav: Sequence[Any] = ()) -> str:
    """`extra_nav`: sections appended after the resources (the Notifications pages)."""
    config = {
        "site_name": md.plain_title(title),
        "docs_dir": "docs",
        "site_dir": "public",
        "use_directory_urls": False,  # pages open from the file system too
        "copyright": "Generated by wsdoc from recorded HTTP traffic",
        "theme": THEME,
        "plugins": ["search"],
        "markdown_extensions": MARKDOWN_EXTENSIONS,
        "extra_css": [STYLESHEET],
        "nav": [*build_nav(pages, hand_pages), *with_transport(extra_nav, pages),
                *([{unmatched.NAV_TITLE: unmatched.UNMATCHED_PAGE}]
                  if any(page[4] == UNMATCHED for page in pages) else [])],
    }
    header = "# Generated by wsdoc on every build; edits here are overwritten.\n"
    return header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=1000)
