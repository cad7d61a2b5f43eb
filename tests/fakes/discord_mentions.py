"""Checks that nothing the bot sent to Discord could ping anyone, or show as a mention chip."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from tests.fakes.discord_server import RecordedCall

SAFE: dict[str, Any] = {"parse": []}
# Calls that carry a message body: channel messages and their edits, follow-ups and their edits.
_MESSAGE_PATHS = re.compile(
    r"^/channels/\d+/messages(/\d+)?$|^/webhooks/\d+/[^/]+(/messages/(@original|\d+))?$"
)
_MESSAGE_CALLBACKS = {4, 7}  # CHANNEL_MESSAGE_WITH_SOURCE, UPDATE_MESSAGE


def message_body(call: RecordedCall) -> dict[str, Any] | None:
    """The message the call sends, or None when it sends none (defer, modal, sync...)."""
    if call.method not in ("POST", "PATCH") or not isinstance(call.json, dict):
        return None
    if "/interactions/" in call.path and call.path.endswith("/callback"):
        if call.json.get("type") in _MESSAGE_CALLBACKS:
            return call.json.get("data") or {}
        return None
    if _MESSAGE_PATHS.match(call.path):
        return call.json
    return None


def unsafe_mentions(calls: Iterable[RecordedCall]) -> list[tuple[str, str, Any]]:
    """Every message-sending call whose allowed_mentions is missing or not `{"parse": []}`.

    Returns (method, path, allowed_mentions found) for each offender; empty means safe.
    """
    offenders = []
    for call in calls:
        body = message_body(call)
        if body is None:
            continue
        found = body.get("allowed_mentions")
        if not pings_nobody(found):
            offenders.append((call.method, call.path, found))
    return offenders


def pings_nobody(found: Any) -> bool:
    """`{"parse": []}`, or the same on a reply that doesn't ping the replied-to author
    (discord.py's `reply(mention_author=False)` adds `"replied_user": false`)."""
    return found == SAFE or found == SAFE | {"replied_user": False}


def message_calls(calls: Iterable[RecordedCall]) -> list[RecordedCall]:
    return [call for call in calls if message_body(call) is not None]


# Discord turns these into chips (a person's or role's name, a channel link, a live timestamp,
# a command or an emoji) wherever markdown renders; a backslash before `<` shows them as typed,
# unless it is itself escaped: `\\<@1>` is a backslash, then the chip.
CHIP = re.compile(r"(?<!\\)(?:\\\\)*(?P<chip><(?:@[!&]?\d+|#\d+|t:-?\d+(?::[tTdDfFR])?|/[-_\w ]+:\d+|a?:\w+:\d+)>)")


def rendered_text(body: dict[str, Any]) -> list[str]:
    """The parts of a message where Discord renders markdown and mentions: its content, and each
    embed's description and field values (titles, field names and footers show text as typed)."""
    parts = [str(body.get("content") or "")]
    for embed in body.get("embeds") or []:
        parts.append(str(embed.get("description") or ""))
        parts += [str(f.get("value") or "") for f in embed.get("fields") or []]
    return parts


def chips(calls: Iterable[RecordedCall]) -> list[tuple[str, str, str]]:
    """(method, path, chip) for every mention, timestamp, command or emoji chip in any message
    the bot sent or edited."""
    found = []
    for call in calls:
        body = message_body(call)
        if body is None:
            continue
        for text in rendered_text(body):
            found += [(call.method, call.path, match["chip"]) for match in CHIP.finditer(text)]
    return found
