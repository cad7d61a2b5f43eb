"""User text made inert in Markdown (CommonMark plus GitHub's tables and autolinks)."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote

# Only what can start markup mid-line: `-`, `+` and digits matter at a line's start, and no
# user text starts a line here.
_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
# Anything md() escapes besides spaces, and anything that may start a link: most text has none,
# and a search is cheaper than the changes (a 5,000-item export escapes 17,000 texts).
_CHANGED = re.compile(r"[\\`*_\[\]|~#&<>@]|://|www\.|mailto:|xmpp:", re.IGNORECASE)
# What GitHub would turn into a link on its own (its autolink extension: URLs, www. names and
# e-mail addresses). User text never becomes a link: such runs go in a code span instead.
_LINKABLE = re.compile(
    r"(?:(?:https?|ftp)://|www\.)[^\s`<>|]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:mailto|xmpp):[^\s`<>|]+", re.IGNORECASE
)


def _escape(flat: str) -> str:
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", flat)


@lru_cache(maxsize=8192)  # an item's text is in up to four tables of one export
def md(text: str) -> str:
    """User text made inert: no markup, no raw HTML, no link, one line (a newline would end a
    table row)."""
    flat = " ".join(text.split())
    if _CHANGED.search(flat) is None:
        return flat
    if _LINKABLE.search(flat) is None:
        return _escape(flat)
    out, start = [], 0
    for found in _LINKABLE.finditer(flat):
        out.append(_escape(flat[start : found.start()]))
        # A code span shows its text as it is; only a table's pipe needs its backslash there.
        out.append("`" + found.group().replace("|", "\\|") + "`")
        start = found.end()
    out.append(_escape(flat[start:]))
    return "".join(out)


def autolink(url: str) -> str:
    """A URL that stays one CommonMark autolink: no spaces or angle brackets inside."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def cell(text: str) -> str:
    """A table cell that is never empty (an empty cell reads as a mistake)."""
    return text or "–"


def row(cells: list[str]) -> str:
    return "| " + " | ".join(cell(c) for c in cells) + " |"


def table(head: list[str], rows: list[list[str]]) -> list[str]:
    """A GitHub table with `| --- |` delimiters (markdownlint's consistent table style)."""
    return [row(head), "| " + " | ".join("---" for _ in head) + " |", *(row(cells) for cells in rows), ""]
