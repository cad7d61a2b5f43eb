"""Reply -> Discord messages: content, embeds and the actions that become buttons.

Pure functions: nothing here talks to Discord, so the limits are easy to test. Every piece of
text is escaped (the core never escapes) and only then cut or split to fit Discord, since
Discord counts the escaped characters. Long content is split across fields, embeds and
messages; only headings (embed titles, field names) are cut, with an ellipsis.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import discord

from adapters.discord import limits
from adapters.discord.limits import chunks, clip, escape
from facilitator.replies import Action, Attachment, IntroView, ItemView, Reply, ReplyKind, Section

COLOUR = discord.Colour.blurple()
_KIND_LABELS = {"do": "DO", "dont": "DON'T"}


@dataclass
class Outgoing:
    """One Discord message to send."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    actions: tuple[Action, ...] = ()
    attachment: Attachment | None = None


def render(reply: Reply) -> list[Outgoing]:
    if reply.kind is ReplyKind.INTRO and reply.intro is not None:
        messages = _pack(intro_embeds(reply.intro, reply.session_id))
    elif reply.kind is ReplyKind.HELP and "```" not in reply.text:
        # Code blocks keep the columns aligned; a list longer than one message goes in several.
        blocks = chunks(reply.text.splitlines(), limits.CONTENT - 8)
        messages = [Outgoing(content=f"```\n{block}\n```") for block in blocks]
    elif reply.sections and reply.kind in (ReplyKind.RESULTS, ReplyKind.SUMMARY, ReplyKind.STATUS):
        messages = sections_messages(heading_of(reply.text), reply.sections)
    else:
        messages = [Outgoing(content=block) for block in chunks(escape(reply.text).splitlines(), limits.CONTENT)]
    if reply.kind is ReplyKind.PHASE and reply.items:
        messages += items_messages(reply.items)  # what the vote buttons refer to
    if reply.attachment is not None:
        messages[-1].attachment = reply.attachment
    return with_actions(messages, reply.actions)


def with_actions(messages: list[Outgoing], actions: tuple[Action, ...]) -> list[Outgoing]:
    """Buttons go on the last message, 25 a message; more (a 60-item vote) continue in pages."""
    if not actions:
        return messages
    pages = [actions[i : i + limits.BUTTONS_PER_MESSAGE] for i in range(0, len(actions), limits.BUTTONS_PER_MESSAGE)]
    messages[-1].actions = pages[0]
    for number, page in enumerate(pages[1:], start=2):
        messages.append(Outgoing(content=f"More buttons ({number}/{len(pages)})", actions=page))
    return messages


def item_line(item: ItemView) -> str:
    label = _KIND_LABELS.get(item.kind, item.kind.upper())
    who = f" ({escape(item.author)})" if item.author else ""
    return f"**#{item.number}** {label}: {escape(item.text)}{who}"


def items_messages(items: tuple[ItemView, ...]) -> list[Outgoing]:
    blocks = chunks([item_line(item) for item in items], limits.EMBED_DESCRIPTION)
    return _pack([discord.Embed(description=block, colour=COLOUR) for block in blocks])


def heading_of(text: str) -> str:
    """A reply's first line as an embed title: escaped, then cut to Discord's 256."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    return clip(escape(first), limits.EMBED_TITLE)


def intro_embeds(intro: IntroView, session_id: int | None) -> list[discord.Embed]:
    """The intro: title and prompt, then readings, levels and how to take part as fields. A
    prompt past 4,096 characters continues in more embeds, and fields past an embed's room
    (25 fields, 6,000 characters) in another: nothing of a long template is cut."""
    prompt = chunks(escape(intro.prompt.strip()).splitlines(), limits.EMBED_DESCRIPTION)
    embeds = [discord.Embed(title=clip(escape(intro.title), limits.EMBED_TITLE), description=prompt[0] or None,
                            colour=COLOUR)]
    embeds += [discord.Embed(description=more, colour=COLOUR) for more in prompt[1:]]
    footer = f"Facilitated by {intro.facilitator}" + (f" · session {session_id}" if session_id else "")
    embeds[-1].set_footer(text=clip(footer, limits.FOOTER))  # footers show no markdown: no escaping
    fields: list[tuple[str, str]] = []
    if intro.readings:
        lines = [f"[{escape(r.title)}]({r.url})" if r.url else escape(r.title) for r in intro.readings]
        fields += _fields("Starting readings", lines)
    if intro.levels:
        fields += _fields("Levels", [f"**{escape(lv.name)}**: {escape(lv.description)}" for lv in intro.levels])
    if intro.how_to.strip():
        fields += _fields("How to take part", escape(intro.how_to.strip()).splitlines())
    if intro.pledges:
        fields += _fields("Pledges still open from earlier sessions here", [escape(line) for line in intro.pledges])
    return _fill(embeds, fields)


def _fields(name: str, lines: list[str]) -> list[tuple[str, str]]:
    """(name, value) fields for escaped `lines`: several, named "(cont.)", past 1,024 chars.
    `name` is escaped here, then cut to a field name's 256."""
    return [(clip(escape(name if index == 0 else f"{name} (cont.)"), limits.FIELD_NAME), value or "\u200b")
            for index, value in enumerate(chunks(lines, limits.FIELD_VALUE))]


def _fill(embeds: list[discord.Embed], fields: list[tuple[str, str]]) -> list[discord.Embed]:
    """Adds `fields` to the last of `embeds`, starting another embed whenever one is full
    (25 fields, or 6,000 characters with everything else it holds)."""
    for name, value in fields:
        current = embeds[-1]
        too_big = len(current) + len(name) + len(value) > limits.EMBED_TOTAL
        if len(current.fields) >= limits.EMBED_FIELDS or too_big:
            current = discord.Embed(colour=COLOUR)
            embeds.append(current)
        current.add_field(name=name, value=value, inline=False)
    return embeds


def sections_messages(heading: str, sections: tuple[Section, ...]) -> list[Outgoing]:
    """Headed sections as embed fields under `heading` (already escaped and cut), packed into
    embeds (25 fields, 6,000 chars) and messages (10 embeds, 6,000 chars in all)."""
    fields: list[tuple[str, str]] = []
    for section in sections:
        fields += _fields(section.heading, [escape(line) for line in section.lines] or ["(none)"])
    return _pack(_fill([discord.Embed(title=heading or None, colour=COLOUR)], fields))


def _pack(embeds: list[discord.Embed]) -> list[Outgoing]:
    messages: list[Outgoing] = []
    for embed in embeds:
        last = messages[-1] if messages else None
        fits = last is not None and len(last.embeds) < limits.EMBEDS_PER_MESSAGE and (
            sum(len(e) for e in last.embeds) + len(embed) <= limits.EMBED_TOTAL
        )
        if last is not None and fits:
            last.embeds.append(embed)
        else:
            messages.append(Outgoing(embeds=[embed]))
    return messages
