"""Discord's message limits, and text splitting that respects them."""

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
ITEM_TEXT = 500  # the core's ITEM_TEXT_LIMIT; the modal enforces it before the service does


# The core writes command hints as `/pln ...`; those stay inline code, all else is escaped.
_COMMAND_HINT = re.compile(r"(`/pln[^`\n]{0,80}`)")


def escape(text: str) -> str:
    """Text shown as-is: no bold, links, headings or code blocks from someone's item."""
    parts = _COMMAND_HINT.split(text)
    return "".join(part if index % 2 else discord.utils.escape_markdown(part) for index, part in enumerate(parts))


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def chunks(lines: list[str] | tuple[str, ...], limit: int) -> list[str]:
    """Join lines into blocks of at most `limit` chars, breaking only between lines
    (a single line longer than `limit` is cut)."""
    blocks: list[str] = []
    current = ""
    for line in lines:
        line = clip(line, limit)
        candidate = line if not current else current + "\n" + line
        if len(candidate) > limit:
            blocks.append(current)
            current = line
        else:
            current = candidate
    if current or not blocks:
        blocks.append(current)
    return blocks
