"""Notifications on the site: an events section per operation and the Notifications pages.

    docs/notification-channels/index.md        the protocol (Bayeux meta messages), channels
    docs/notification-channels/<channel>.md    one page per channel: each message type with
                                               its fields, an example and what caused it

Every recorded string (channels, types, states, field names) goes through docgen.publish.markdown;
file names and anchors are our own slugs and hashes, never recorded text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from docgen.infer.correlate import sequence_text
from docgen.infer.model import (
    BodyDoc,
    CauseDoc,
    ChannelDoc,
    EventDoc,
    MessageDoc,
    MetaDoc,
    NotificationsDoc,
    Operation,
)
from docgen.publish import markdown as md
from docgen.publish.site.fields import body_section, example_block
from docgen.publish.site.names import operation_anchor, short_hash, slug

FOLDER = "notification-channels"
INDEX = f"{FOLDER}/index.md"
NAV_TITLE = "Notifications"
_CLEAN_CHANNEL = re.compile(r"(?:/[a-z0-9]+)+")
ARROW = " &#8594; "
PageOf = Mapping[tuple[str, str], str]  # (method, template) -> endpoint page, relative to docs/


def channel_page(channel: str) -> str:
    """The channel's page relative to docs/: a slug, hashed unless the slug is exact."""
    stem = slug(channel, 80) or "channel"
    if _CLEAN_CHANNEL.fullmatch(channel) is None or stem == "index":
        stem = f"{stem}-{short_hash(channel, length=8)}"
    return f"{FOLDER}/{stem}.md"


def message_anchor(message_type: str, notification_type: str) -> str:
    name = slug(f"{message_type} {notification_type}", 40) or "message"
    return f"msg-{name}-{short_hash(message_type, notification_type, length=6)}"


def kind_title(message_type: str, notification_type: str) -> str:
    """'CallStateChangeMessage (StatusChange)', already escaped."""
    title = md.text(message_type) if message_type else "(no messageType)"
    return f"{title} ({md.text(notification_type)})" if notification_type else title


def event_link(event: EventDoc) -> str:
    """A link from an endpoint page (docs/<resource>/) to the message on its channel page."""
    target = f"../{channel_page(event.channel)}#" + message_anchor(
        event.message_type, event.notification_type)
    return f"[{kind_title(event.message_type, event.notification_type)}]({target})"


def states_text(states: dict[str, dict[str, int]]) -> str:
    """'`userState.state` = `NotReady` ×12, `Ready` ×1; `call.state` = ...'."""
    parts = []
    for name, values in states.items():
        shown = ", ".join(f"{md.code(value)} &#215;{count}" for value, count in values.items())
        parts.append(f"{md.code(name)} = {shown}")
    return "; ".join(parts)


def event_line(event: EventDoc) -> str:
    line = (f"Followed by {event_link(event)} on {md.code(event.channel)} in "
            f"**{event.seen}** samples")
    if event.states:
        line += f": {states_text(event.states)}"
    if event.delay_ms is not None:
        line += f"; median {event.delay_ms:.0f} ms after the request started"
    return f"- {line}."


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def sequence_line(op: Operation) -> str:
    """The usual order of several notifications ("" when there is no order to tell)."""
    if not op.event_sequences or len(op.event_sequences[0].steps) < 2:
        return ""
    top = op.event_sequences[0]
    runs = [f"{md.text(kind)}: {ARROW.join(md.text(state) for state in states)}"
            for kind, states in sequence_text(top.steps)]
    return (f"**Usual order:** {'; then '.join(runs)} "
            f"({top.count} of {op.events_observed} samples).")


def events_section(op: Operation, head: str) -> list[str]:
    """The `Events` part of an operation (from an endpoint page): what followed it, or why
    nothing is shown. Empty when notifications are not part of the model."""
    if not op.events and not op.events_note and not op.events_observed:
        return []
    parts = [f"{head} Events"]
    if op.events_note:
        return [*parts, '!!! note "No notifications were recorded for this operation"\n\n'
                + md.indent_block(md.text(op.events_note))]
    parts.append("[Notifications](../" + INDEX + ") delivered to a CometD client of the same "
                 "session (or user) from the request until a few seconds after its response, "
                 f"or until the same user's next operation. "
                 f"{plural(op.events_observed, 'accepted request')} recorded with a client "
                 "listening.")
    if not op.events:
        return [*parts, "No notification followed this operation in any of them."]
    parts.append("\n".join(event_line(event) for event in op.events))
    if line := sequence_line(op):
        parts.append(line)
    return parts


def cause_line(cause: CauseDoc, page_of: PageOf) -> str:
    where = f"{md.code(cause.method)} {md.code(cause.template)}"
    name = md.text(cause.operation) if cause.operation is not None else where
    page = page_of.get((cause.method, cause.template))
    if page is not None:
        anchor = f"#{operation_anchor(cause.operation)}" if cause.operation is not None else ""
        name = f"[{name}](../{page}{anchor})"
    on = f" on {where}" if cause.operation is not None else ""
    return f"- {name}{on}: followed by it in {cause.samples}/{cause.observed} samples"


def payload_section(body: BodyDoc | None, head: str, what: str) -> list[str]:
    if body is None:
        return []
    return [f"{head} {what}", body_section(body)]


def message_section(message: MessageDoc, page_of: PageOf) -> str:
    anchor = message_anchor(message.message_type, message.notification_type)
    parts = [f'<a id="{anchor}"></a>\n\n'
             f"## {kind_title(message.message_type, message.notification_type)}",
             f"Delivered {plural(message.count, 'time')} on {md.code(message.channel)}."]
    if message.causes:
        parts += ["**Follows these operations:**",
                  "\n".join(cause_line(cause, page_of) for cause in message.causes)]
    else:
        parts.append("<em>Not seen after any recorded operation of the same user.</em>")
    parts += payload_section(message.data, "###", f"Fields of {md.code('data')}")
    if message.example is not None:
        parts += ["### Example", example_block(message.example)]
    return "\n\n".join(parts)


def render_channel(channel: ChannelDoc, page_of: PageOf) -> str:
    kinds = ", ".join(kind_title(m.message_type, m.notification_type) for m in channel.messages)
    intro = (f"{plural(channel.count, 'message')} delivered on {md.code(channel.channel)} to "
             f"clients subscribed to it (or to a wildcard such as {md.code('/v2/me/*')}): "
             f"{kinds}.")
    parts = [f"# Notifications on {md.text(channel.channel)}", intro]
    parts += [message_section(message, page_of) for message in channel.messages]
    return "\n\n".join(parts) + "\n"


def meta_section(meta: MetaDoc) -> str:
    paths = ", ".join(f"{md.code(path)} &#215;{n}" for path, n in meta.paths.items())
    facts = [plural(meta.requests, "message") + (f", posted to {paths}" if paths else ""),
             f"replies: {meta.successful} successful, {meta.failed} unsuccessful"]
    if meta.errors:
        facts.append("errors: " + ", ".join(f"{md.code(e)} &#215;{n}"
                                           for e, n in meta.errors.items()))
    parts = [f"### {md.text(meta.channel)}", "; ".join(facts) + "."]
    parts += payload_section(meta.request, "####", "Request message")
    if meta.request is not None and meta.request.examples:
        parts.append(example_block(meta.request.examples[0]))
    parts += payload_section(meta.reply, "####", "Reply message")
    if meta.reply is not None and meta.reply.examples:
        parts.append(example_block(meta.reply.examples[0]))
    return "\n\n".join(parts)


def channel_rows(doc: NotificationsDoc) -> list[list[str]]:
    rows = []
    for channel in doc.channels:
        target = channel_page(channel.channel).removeprefix(FOLDER + "/")
        kinds = ", ".join(kind_title(m.message_type, m.notification_type)
                          for m in channel.messages)
        rows.append([f"[{md.text(channel.channel)}]({target})", kinds, str(channel.count)])
    return rows


def render_index(doc: NotificationsDoc) -> str:
    parts = ["# Notifications",
             "Operations are answered at once; their outcome arrives later as notifications "
             f"over CometD (Bayeux long-polling) at {md.code(doc.path)}. "
             "This part documents what was recorded there: the protocol, then one page per "
             "channel with every message type and the operations it followed."]
    subscriptions = ", ".join(f"{md.code(s)} &#215;{n}" for s, n in doc.subscriptions.items())
    parts.append("\n".join([
        f"- **Exchanges on the notifications path:** {doc.exchanges}",
        f"- **Bayeux clients:** {doc.clients}",
        f"- **Data messages delivered:** {doc.messages} on "
        f"{plural(len(doc.channels), 'channel')}",
        f"- **Subscriptions:** {subscriptions or '&#8212;'}",
        f"- **Events of an operation:** notifications delivered within {doc.window_s:g} s "
        "after it to a client of the same session or user",
    ]))
    if not doc.exchanges:
        parts.append('!!! note "No notifications were recorded"\n\n    '
                     "No client listened on the notifications path while this capture was "
                     "recorded, so no events are documented. Run a CometD client (for example "
                     "`python -m gwssim.cometd_client BASE_URL --proxy PROXY_URL`) beside the "
                     "requests while recording.")
    if doc.channels:
        parts += ["## Channels", md.table(["Channel", "Message types", "Messages"],
                                          channel_rows(doc))]
    if doc.meta:
        parts += ["## Protocol",
                  "Each request is a POST of a JSON array of Bayeux messages, to the path or to "
                  "a sub-path named after the step; the reply is an array too. A "
                  f"{md.code('/meta/connect')} is held until notifications arrive, and its reply "
                  "carries them before the connect reply itself."]
        parts += [meta_section(meta) for meta in doc.meta]
    return "\n\n".join(parts) + "\n"


def render_notification_pages(doc: NotificationsDoc, page_of: PageOf) -> dict[str, str]:
    """Every Notifications page, keyed by its path relative to docs/."""
    pages = {INDEX: render_index(doc)}
    for channel in doc.channels:
        pages[channel_page(channel.channel)] = render_channel(channel, page_of)
    return pages


def notification_nav(doc: NotificationsDoc | None) -> list[dict[str, list[object]]]:
    """The nav section: the overview, then one entry per channel (titles made safe)."""
    if doc is None:
        return []
    entries: list[object] = [{"Overview": INDEX}]
    entries += [{md.plain_title(channel.channel, 60): channel_page(channel.channel)}
                for channel in doc.channels]
    return [{NAV_TITLE: entries}]
