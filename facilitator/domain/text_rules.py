"""What item text we accept: cleaned of invisible tricks, bounded, never empty."""

from __future__ import annotations

import re
import unicodedata

from facilitator.domain.errors import DomainError

ITEM_TEXT_LIMIT = 500  # long enough for a thought, short enough for a button label and a Slack section
WHY_LIMIT = 200  # an author's reason for an item: one line
TITLE_LIMIT = 200  # a session's title: longer ones are shortened, never refused
NOTE_LIMIT = 1000  # a facilitator's discussion note: a few sentences, well within one chat message

# Bidi overrides and isolates can make text read differently from what it says.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"))
# Zero-width characters other than the joiner (U+200D), which emoji sequences need.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u2060\ufeff\u00ad"))
_SPACES = re.compile(r"[ \t]+")


def well_formed(raw: str) -> str:
    """The text with every lone surrogate replaced by U+FFFD.

    JSON can carry half of a UTF-16 pair (`"\\ud800"`), and Slack's and Discord's payloads are
    JSON: such a string can't be encoded as UTF-8, so no database stores it and no platform
    accepts it back. We replace rather than refuse, as every UTF-8 decoder does with a broken
    sequence: the person keeps the rest of what they wrote and sees the mark where the broken
    character was. A pair written as two escapes becomes the one character it stands for.
    """
    if raw.isascii():
        return raw
    try:
        raw.encode("utf-8")
        return raw
    except UnicodeEncodeError:
        return raw.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _cleaned(raw: str) -> str:
    text = unicodedata.normalize("NFC", well_formed(raw)).translate(_BIDI_CONTROLS).translate(_INVISIBLE)
    text = "".join(ch if unicodedata.category(ch) != "Cc" or ch == "\n" else " " for ch in text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def clean_item_text(raw: str) -> str:
    text = _cleaned(raw)
    if not text:
        raise DomainError("That item is empty. Write a few words after the command, e.g. `/pln do Share first`.", "empty")
    if len(text) > ITEM_TEXT_LIMIT:
        raise DomainError(
            f"That item is {len(text)} characters; the limit is {ITEM_TEXT_LIMIT}. "
            "Shorten it, or split it into two items. Nothing was saved.",
            "too_long",
        )
    return text


def clean_note_text(raw: str) -> str:
    """A discussion note, cleaned like an item and bounded by NOTE_LIMIT."""
    text = _cleaned(raw)
    if not text:
        raise DomainError("That note is empty. Write it after the command: `/pln note TEXT`.", "empty")
    if len(text) > NOTE_LIMIT:
        raise DomainError(f"That note is {len(text)} characters; the limit is {NOTE_LIMIT}. Nothing was saved.",
                          "too_long")
    return text


def clean_title(raw: str, fallback: str) -> str:
    """A title is shortened or replaced, never refused: `/pln start` must not fail over it."""
    try:
        title = " ".join(clean_item_text(raw[:ITEM_TEXT_LIMIT]).split())
    except DomainError:  # nothing visible in it
        title = ""
    return (title or fallback)[:TITLE_LIMIT]


def clean_name(raw: str) -> str:
    name = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C").strip()
    return (name or "someone")[:100]


def clean_pledge_text(raw: str) -> str:
    """A pledge, cleaned like an item and bounded like one (domain.pledges.PLEDGE_TEXT_LIMIT)."""
    text = _cleaned(raw)
    if not text:
        raise DomainError("That pledge is empty. Say what you will do: `/pln pledge Answer one newcomer question a week`.",
                          "empty")
    if len(text) > ITEM_TEXT_LIMIT:
        raise DomainError(f"That pledge is {len(text)} characters; the limit is {ITEM_TEXT_LIMIT}. "
                          "One concrete thing fits in a sentence. Nothing was saved.", "too_long")
    return text
