"""The OAuth2 link a server admin opens to add the bot, with only the permissions it uses."""

from __future__ import annotations

import base64
import binascii

import discord

from facilitator.config import ConfigError

SCOPES = ("bot", "applications.commands")


def needed_permissions() -> discord.Permissions:
    """Post the intro and start its thread, post in the thread, show embeds, upload exports.
    Nothing else: no Manage, no Mention Everyone, no Add Reactions."""
    return discord.Permissions(
        view_channel=True,
        send_messages=True,
        send_messages_in_threads=True,
        create_public_threads=True,
        embed_links=True,
        attach_files=True,
        read_message_history=True,
    )


def invite_url(application_id: int) -> str:
    return discord.utils.oauth_url(application_id, permissions=needed_permissions(), scopes=SCOPES)


def application_id_from_token(token: str) -> int:
    """A bot token starts with the base64 of the bot's user id, which is its application id."""
    first = token.split(".", 1)[0]
    try:
        return int(base64.b64decode(first + "=" * (-len(first) % 4), validate=False).decode("ascii"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ConfigError(
            "DISCORD_TOKEN doesn't look like a bot token.",
            "Copy it again from the Developer Portal (Bot > Reset Token).",
        ) from None
