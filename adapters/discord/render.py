"""Reply -> Discord messages: content, embeds and the actions that become buttons.

Pure functions: nothing here talks to Discord, so the limits are easy to test. Every piece of
text is escaped (the core never escapes), and everything is cut or split to fit Discord.
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
        messages = [Outgoing(embeds=[intro_embed(reply.intro, reply.session_id)])]
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
    return clip(text.strip().splitlines()[0] if text.strip() else "", limits.EMBED_TITLE)


def intro_embed(intro: IntroView, session_id: int | None) -> discord.Embed:
    embed = discord.Embed(
        title=clip(escape(intro.title), limits.EMBED_TITLE),
        description=clip(escape(intro.prompt.strip()), limits.EMBED_DESCRIPTION),
        colour=COLOUR,
    )
    if intro.readings:
        lines = [f"[{escape(r.title)}]({r.url})" if r.url else escape(r.title) for r in intro.readings]
        _add_field(embed, "Starting readings", lines)
    if intro.levels:
        _add_field(embed, "Levels", [f"**{escape(lv.name)}**: {escape(lv.description)}" for lv in intro.levels])
    if intro.how_to.strip():
        _add_field(embed, "How to take part", escape(intro.how_to.strip()).splitlines())
    footer = f"Facilitated by {intro.facilitator}" + (f" · session {session_id}" if session_id else "")
    embed.set_footer(text=clip(footer, limits.FOOTER))  # footers show no markdown: no escaping
    return embed


def _add_field(embed: discord.Embed, name: str, lines: list[str]) -> None:
    """A field, or several named "(cont.)" when the lines pass 1,024 chars."""
    for index, value in enumerate(chunks(lines, limits.FIELD_VALUE)):
        if len(embed.fields) >= limits.EMBED_FIELDS:
            return
        shown = name if index == 0 else f"{name} (cont.)"
        embed.add_field(name=clip(shown, limits.FIELD_NAME), value=value or "\u200b", inline=False)


def sections_messages(heading: str, sections: tuple[Section, ...]) -> list[Outgoing]:
    """Headed sections as embed fields, packed into embeds (25 fields, 6,000 chars) and
    messages (10 embeds, 6,000 chars in all)."""
    fields: list[tuple[str, str]] = []
    for section in sections:
        lines = [escape(line) for line in section.lines] or ["(none)"]
        for index, value in enumerate(chunks(lines, limits.FIELD_VALUE)):
            name = section.heading if index == 0 else f"{section.heading} (cont.)"
            fields.append((clip(escape(name), limits.FIELD_NAME), value or "\u200b"))
    embeds: list[discord.Embed] = []
    current = discord.Embed(title=escape(heading) or None, colour=COLOUR)
    for name, value in fields:
        too_big = len(current) + len(name) + len(value) > limits.EMBED_TOTAL
        if len(current.fields) >= limits.EMBED_FIELDS or too_big:
            embeds.append(current)
            current = discord.Embed(colour=COLOUR)
        current.add_field(name=name, value=value, inline=False)
    embeds.append(current)
    return _pack(embeds)


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
