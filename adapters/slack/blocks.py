"""Block Kit building blocks that respect Slack's limits, with every piece of text escaped."""

from __future__ import annotations

from typing import Any

Block = dict[str, Any]

MAX_BLOCKS = 50  # a message
MAX_VIEW_BLOCKS = 100  # a modal or the Home tab
SECTION_TEXT = 3000
HEADER_TEXT = 150
BUTTON_TEXT = 75
OPTION_TEXT = 75
SELECT_OPTIONS = 100
ACTIONS_ELEMENTS = 25
FALLBACK_TEXT = 3000  # `text` is only the notification when blocks are present


def escape(text: str) -> str:
    """Slack reads <...> as links and mentions (<!channel>, <@U1>), and & starts an entity."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """Plain text only: mrkdwn that is already escaped goes through clip_mrkdwn."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clip_mrkdwn(text: str, limit: int) -> str:
    """Fit escaped mrkdwn in `limit` without cutting an entity (`&amp;`) or one of our own
    `<url|label>` links in half: the cut moves back to before it. In escaped text every `&`
    starts an entity and every `<` one of our links, so the last unfinished one is the one cut."""
    if len(text) <= limit:
        return text
    cut = limit - 1
    amp = text.rfind("&", 0, cut)
    if amp >= 0 and text.find(";", amp, cut) < 0:
        cut = amp
    link = text.rfind("<", 0, cut)
    if link >= 0 and text.find(">", link, cut) < 0:
        cut = link
    return text[:cut] + "…"


def clip_escaped(raw: str, limit: int) -> str:
    """Escape, then fit in `limit` without cutting an entity such as &amp; in half."""
    escaped = escape(raw)
    if len(escaped) <= limit:
        return escaped
    kept: list[str] = []
    used = 0
    for char in raw:
        piece = escape(char)
        if used + len(piece) > limit - 1:
            break
        kept.append(piece)
        used += len(piece)
    return "".join(kept) + "…"


def plain(raw: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip_escaped(raw, limit) or " ", "emoji": True}


def mrkdwn_section(escaped_text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": escaped_text}}


def header(raw: str) -> Block:
    return {"type": "header", "text": plain(raw, HEADER_TEXT)}


def context(escaped_text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip_mrkdwn(escaped_text, SECTION_TEXT)}]}


def button(label: str, action_id: str, value: str, primary: bool = False) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": plain(label, BUTTON_TEXT), "action_id": action_id, "value": value}
    if primary:
        element["style"] = "primary"
    return element


def actions(elements: list[dict[str, Any]]) -> list[Block]:
    return [{"type": "actions", "elements": elements[i:i + ACTIONS_ELEMENTS]}
            for i in range(0, len(elements), ACTIONS_ELEMENTS)]


def text_sections(escaped_lines: list[str], heading: str = "") -> list[Block]:
    """Pack lines into as few sections as fit in 3,000 chars each, never splitting a line
    unless the line alone is too long. `heading` (already escaped) opens the first one."""
    sections: list[Block] = []
    current = heading
    for line in escaped_lines:
        line = clip_mrkdwn(line, SECTION_TEXT - 1)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > SECTION_TEXT:
            sections.append(mrkdwn_section(current))
            current = line
        else:
            current = candidate
    if current:
        sections.append(mrkdwn_section(current))
    return sections


def paragraphs(raw: str) -> list[Block]:
    """Free text (escaped here) as sections, split at line ends when longer than a section holds."""
    return text_sections([escape(line) for line in raw.strip().split("\n")])


def chunk(blocks: list[Block], size: int = MAX_BLOCKS) -> list[list[Block]]:
    return [blocks[i:i + size] for i in range(0, len(blocks), size)] or [[]]
