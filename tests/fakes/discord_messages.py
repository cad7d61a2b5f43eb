"""Messages the bot creates on the fake Discord: the checks every message-carrying route shares,
and the stored message Discord answers with."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.fakes.discord_errors import EMPTY_MESSAGE, Path, invalid_form_body, plain
from tests.fakes.discord_message_rules import is_empty, message_errors
from tests.fakes.discord_model import message_payload, snowflake, user_payload

if TYPE_CHECKING:
    from tests.fakes.discord_server import FakeDiscord

Answer = tuple[int, Any]


@dataclass
class Incoming:
    """What a REST call brought: its JSON (or multipart `payload_json`), files, and query."""

    body: Any
    files: list[tuple[str, bytes]] = field(default_factory=list)
    query: dict[str, str] = field(default_factory=dict)


def message_refusal(body: Any, files: list[tuple[str, bytes]], creating: bool, at: Path = ()) -> Answer | None:
    """Discord's 400 for a message body it won't take: over a limit (50035), or, when creating,
    nothing to show (50006). An edit may leave out what it doesn't change."""
    if not isinstance(body, dict):
        return 400, plain((50109, "The request body contains invalid JSON."))
    errors = message_errors(body, len(files), at)
    if errors:
        return 400, invalid_form_body(errors)
    if creating and is_empty(body, len(files)):
        return 400, plain(EMPTY_MESSAGE)
    return None


def store_bot_message(fake: FakeDiscord, channel_id: int, body: dict[str, Any], files: list[tuple[str, bytes]],
                      message_id: int | None = None) -> dict[str, Any]:
    """The message as Discord returns it, kept in `fake.messages` (an edit keeps its id)."""
    attachments = [{"id": str(snowflake()), "filename": name, "size": len(content),
                    "url": f"https://cdn.invalid/{name}", "proxy_url": f"https://cdn.invalid/{name}"}
                   for name, content in files]
    if not files and message_id is not None:
        attachments = list(fake.messages.get(message_id, {}).get("attachments", []))
    guild = fake.guild_of_channel(channel_id)
    data = message_payload(message_id or snowflake(), channel_id,
                           user_payload(fake.bot_user_id, "facilitator", bot=True),
                           {**body, "attachments": attachments}, guild.guild_id if guild is not None else None)
    fake.messages[int(data["id"])] = data
    return data
