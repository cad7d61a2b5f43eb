"""Message events -> what a person did to a message: said it, edited it, deleted it.

Slack's shapes (PLATFORMS.md, "Field facts"): a new message is subtype-less, or
`thread_broadcast` ("also send to channel"), or `file_share` (text plus files; the files are
not kept); `app_mention` events carry the same message again. An edit is a hidden
`message_changed` with the new message in `event.message` and the old in
`event.previous_message`; a deletion is `message_deleted` with `deleted_ts` and the old
message. Bots, including this one, and `bot_message`s are never people.

`key` names the delivery of one change exactly: the event's own ts. A mention arrives as a
`message` event and an `app_mention` event with different event ids but this same ts, so
claiming (tenant, channel, key) in the database runs it once; an edit or a deletion has a ts of
its own.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

NEW_SUBTYPES = (None, "thread_broadcast", "file_share")


class Change(enum.Enum):
    NEW = "new"
    EDIT = "edit"
    DELETE = "delete"


@dataclass(frozen=True)
class Message:
    change: Change
    user: str
    channel: str
    thread: str | None  # the thread it is a reply in; None at the top of the channel
    ts: str  # the message's own ts: an item's source
    key: str  # this change's own ts (see above)
    text: str  # as Slack sends it: escaped, with markup
    before: str = ""  # an edit: the text it had


def message_of(event: dict[str, Any]) -> Message | None:
    channel = str(event.get("channel") or "")
    subtype = event.get("subtype")
    if subtype in NEW_SUBTYPES:
        return _said(Change.NEW, event, channel, str(event.get("event_ts") or event.get("ts") or ""))
    if subtype == "message_changed":
        new, old = event.get("message") or {}, event.get("previous_message") or {}
        if new.get("text") == old.get("text"):
            return None  # an unfurl, a reply count: Slack changed the message, not its author
        said = _said(Change.EDIT, new, channel, str(event.get("ts") or ""))
        return None if said is None or said.thread is None else _with_before(said, str(old.get("text") or ""))
    if subtype == "message_deleted":
        old = event.get("previous_message") or {}
        said = _said(Change.DELETE, old, channel, str(event.get("ts") or ""))
        return None if said is None or said.thread is None else said
    return None


def _said(change: Change, message: dict[str, Any], channel: str, key: str) -> Message | None:
    user, ts = message.get("user"), message.get("ts")
    if not user or not ts or message.get("bot_id") or message.get("subtype") == "bot_message" or not key:
        return None
    thread = message.get("thread_ts")
    return Message(change, str(user), channel, None if not thread or thread == ts else str(thread), str(ts), key,
                   str(message.get("text") or ""))


def _with_before(message: Message, before: str) -> Message:
    return Message(message.change, message.user, message.channel, message.thread, message.ts, message.key,
                   message.text, before)
