"""Payload builders for the fake Discord server: snowflakes, users, guilds, messages, interactions.

Shapes follow Discord's API v10 documentation, with the fields discord.py 2.7 reads.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

DISCORD_EPOCH_MS = 1420070400000
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_EXTERNAL_EMOJIS = 1 << 18
USE_APPLICATION_COMMANDS = 1 << 31
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38
# What a plain member may do in a channel (view, send, read history, use app commands).
MEMBER_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY | USE_APPLICATION_COMMANDS | SEND_MESSAGES_IN_THREADS
# What the bot was invited with (adapters/discord/invite.py asks for exactly these), before
# any channel takes some away: the `app_permissions` of a guild interaction.
BOT_PERMISSIONS = (VIEW_CHANNEL | SEND_MESSAGES | SEND_MESSAGES_IN_THREADS | CREATE_PUBLIC_THREADS | EMBED_LINKS
                   | ATTACH_FILES | READ_MESSAGE_HISTORY)
# What an app may do in its DM with someone: the `app_permissions` of a DM interaction.
DM_APP_PERMISSIONS = (VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY
                      | ADD_REACTIONS | USE_EXTERNAL_EMOJIS)
NOW = "2026-01-01T00:00:00.000000+00:00"

_counter = itertools.count(1)


def snowflake(shard: int | None = None, shard_count: int = 1, age: float = 0.0) -> int:
    """A fresh snowflake. With `shard`, one whose guild maps to that shard. With `age`, one
    minted that many seconds ago: an id carries its creation time, which is how a bot can
    tell how long an interaction took to reach it."""
    while True:
        value = ((int((time.time() - age) * 1000) - DISCORD_EPOCH_MS) << 22) | (next(_counter) & 0x3FFFFF)
        if shard is None or (value >> 22) % shard_count == shard:
            return value


def user_payload(user_id: int, name: str, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


@dataclass
class FakeMember:
    user_id: int
    name: str
    manage_guild: bool = False

    @property
    def permissions(self) -> int:
        return MEMBER_PERMISSIONS | (MANAGE_GUILD if self.manage_guild else 0)

    def payload(self, with_permissions: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "user": user_payload(self.user_id, self.name),
            "nick": None,
            "roles": [],
            "joined_at": NOW,
            "deaf": False,
            "mute": False,
            "flags": 0,
        }
        if with_permissions:
            data["permissions"] = str(self.permissions)
        return data


@dataclass
class FakeGuild:
    guild_id: int
    name: str
    channel_id: int
    members: list[FakeMember] = field(default_factory=list)
    admin_role_id: int = 0

    def member(self, name: str) -> FakeMember:
        return next(m for m in self.members if m.name == name)

    def channel_payload(self) -> dict[str, Any]:
        return {
            "id": str(self.channel_id),
            "type": 0,
            "guild_id": str(self.guild_id),
            "name": "workshop",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
        }

    def payload(self, bot_user_id: int) -> dict[str, Any]:
        everyone = {"id": str(self.guild_id), "name": "@everyone", "permissions": str(MEMBER_PERMISSIONS),
                    "position": 0, "color": 0, "hoist": False, "managed": False, "mentionable": False, "flags": 0}
        admins = {**everyone, "id": str(self.admin_role_id), "name": "hosts",
                  "permissions": str(MEMBER_PERMISSIONS | MANAGE_GUILD), "position": 1}
        members = [m.payload() for m in self.members]
        bot = FakeMember(bot_user_id, "facilitator").payload()
        bot["user"]["bot"] = True
        for member, data in zip(self.members, members):
            if member.manage_guild:
                data["roles"] = [str(self.admin_role_id)]
        return {
            "id": str(self.guild_id),
            "name": self.name,
            "icon": None,
            "owner_id": str(self.members[0].user_id if self.members else bot_user_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [everyone, admins],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
            "unavailable": False,
            "large": False,
            "member_count": len(self.members) + 1,
            "members": [*members, bot],
            "channels": [self.channel_payload()],
            "threads": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "joined_at": NOW,
        }


def message_payload(message_id: int, channel_id: int, author: dict[str, Any], body: dict[str, Any],
                    guild_id: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "author": author,
        "content": body.get("content") or "",
        "timestamp": NOW,
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": body.get("attachments", []),
        "embeds": body.get("embeds") or [],
        "components": body.get("components") or [],
        "pinned": False,
        "type": 0,
        "flags": body.get("flags", 0) or 0,
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    return data


def dm_channel_payload(channel_id: int, recipient: dict[str, Any]) -> dict[str, Any]:
    """A direct-message channel (type 1) with one person, as `POST /users/@me/channels` returns it."""
    return {"id": str(channel_id), "type": 1, "last_message_id": None, "recipients": [recipient], "flags": 0}


def thread_payload(thread_id: int, parent_id: int, guild_id: int, owner_id: int, name: str) -> dict[str, Any]:
    return {
        "id": str(thread_id),
        "type": 11,
        "guild_id": str(guild_id),
        "parent_id": str(parent_id),
        "owner_id": str(owner_id),
        "name": name,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": NOW,
            "locked": False,
        },
        "flags": 0,
    }
