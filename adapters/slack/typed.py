"""What people type on Slack -> commands, with their free text readable.

Slack's markup is read here, never in the core (markup.py): the grammar parses the text with
links, channels and specials made readable and people left as `<@ID>`, which is how the
grammar names a person (`/pln cohost @bob`); the free text of the command (an item, a reason,
a title) then gets display names for those ids. Structured arguments keep the id.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import markup
from adapters.slack.people import People
from facilitator import commands as cmd

FREE_TEXT = ("text", "title")  # the command fields people write freely


def bot_mention(bot_user_id: str | None) -> re.Pattern[str] | None:
    """A message that starts by mentioning the bot: `<@UBOT> vote 2 5`."""
    if not bot_user_id:
        return None
    return re.compile(rf"^\s*<@{re.escape(bot_user_id)}(?:\|[^>]*)?>[\s:,]*")


def command_after_mention(escaped: str, mention: re.Pattern[str] | None) -> str | None:
    """The escaped text after a leading mention of the bot, or None when it doesn't start with one."""
    found = mention.match(escaped) if mention is not None else None
    return None if found is None else escaped[found.end():]


def parse_slash(escaped: str) -> cmd.Command:
    """What follows `/pln`. Raises ParseError."""
    return cmd.parse_command(markup.to_core(escaped))


def parse_mention(escaped: str, in_thread: bool) -> cmd.Command:
    """What follows a mention of the bot: a subcommand, or a `DO: ...` line (what people write
    in the thread anyway; outside a thread it counts as `/pln do`). Raises ParseError."""
    core = markup.to_core(escaped)
    line = cmd.parse_message(core)
    if isinstance(line, cmd.Submit):
        return line if in_thread else cmd.Submit(line.kind, line.text)
    return line or cmd.parse_command(core)


def parse_reply(escaped: str) -> cmd.Submit | cmd.Note | None:
    """A thread reply: a `WORD: text` submission, a `NOTE: text` discussion note, or None (chat,
    or anything else)."""
    try:
        found = cmd.parse_message(markup.to_core(escaped))
    except cmd.ParseError:
        return None  # "/pln ..." typed into a thread: Slack never sends that anyway
    return found if isinstance(found, (cmd.Submit, cmd.Note)) else None


def parse_submission(escaped: str) -> cmd.Submit | None:
    """A thread reply that is a `WORD: text` submission (what edits and deletions follow)."""
    found = parse_reply(escaped)
    return found if isinstance(found, cmd.Submit) else None


async def readable(command: Any, people: People, client: AsyncWebClient, tenant: str) -> Any:
    """The command with people and channels named in its free text (markup.named)."""
    changes = {}
    for field in fields(command):
        value = getattr(command, field.name)
        if field.name in FREE_TEXT and isinstance(value, str) and "<" in value:
            changes[field.name] = await people.readable(client, tenant, value)
    return replace(command, **changes) if changes else command
