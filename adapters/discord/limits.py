"""Discord's message limits, and text escaping and splitting that respect them.

Discord counts a limit on the string it receives, so on escaped text: every `*` of someone's
title costs two characters once it is `\\*`. Hence the order everywhere: escape first, then
clip or split, never cutting an escape in half.
"""

from __future__ import annotations

import re

import discord

CONTENT = 2000
EMBEDS_PER_MESSAGE = 10
EMBED_TOTAL = 6000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
BUTTONS_PER_MESSAGE = 25  # 5 rows of 5
MODAL_TITLE = 45
THREAD_NAME = 100
ITEM_TEXT = 500  # the core's ITEM_TEXT_LIMIT; the modal enforces it before the service does


# The core writes command hints as `/pln ...`; those stay inline code, all else is escaped.
_COMMAND_HINT = re.compile(r"(`/pln[^`\n]{0,80}`)")
# What Discord draws as a chip where markdown renders: a person, role or channel mention, a
# live timestamp, a slash-command mention. A backslash before the `<` shows it as typed.
# (Custom emoji `<:name:id>` are left to render: they name nobody.)
_CHIP = re.compile(r"<(?=(?:@[!&]?\d+|#\d+|t:-?\d+(?::[tTdDfFR])?|/[-_\w ]+:\d+)>)")


def escape(text: str) -> str:
    """Text shown as-is: no bold, links, headings, code blocks or mention chips from someone's
    item. Only the display changes; what the core stored stays as it was typed."""
    parts = _COMMAND_HINT.split(text)
    return "".join(part if index % 2 else _escape_part(part) for index, part in enumerate(parts))


def _escape_part(text: str) -> str:
    # After escape_markdown, which doubles any backslash the person typed: `\<@1>` typed
    # becomes `\\\<@1>`, a literal backslash and then the token, still no chip.
    return _CHIP.sub(r"\\<", discord.utils.escape_markdown(text))


def _cut(text: str, end: int) -> int:
    """Where to cut `text` at or before `end` without leaving half an escape (a lone trailing
    backslash would escape whatever follows it)."""
    backslashes = len(text[:end]) - len(text[:end].rstrip("\\"))
    return end - 1 if backslashes % 2 else end


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, ending in an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: _cut(text, limit - 1)] + "…"


def pieces(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters, nothing lost, no escape cut in half."""
    found = []
    while len(text) > limit:
        end = _cut(text, limit)
        found.append(text[:end])
        text = text[end:]
    found.append(text)
    return found


def chunks(lines: list[str] | tuple[str, ...], limit: int) -> list[str]:
    """Join lines into blocks of at most `limit` chars, breaking between lines; a single line
    longer than `limit` is broken into pieces rather than cut, so nothing is lost."""
    blocks: list[str] = []
    current = ""
    for whole in lines:
        for line in pieces(whole, limit):
            candidate = line if not current else current + "\n" + line
            if len(candidate) > limit:
                blocks.append(current)
                current = line
            else:
                current = candidate
    if current or not blocks:
        blocks.append(current)
    return blocks
