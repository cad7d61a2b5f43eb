"""Discord interaction -> the core's Actor and Place. Nothing else in the adapter reads
platform identity, so tenancy and admin rights are decided in one place."""

from __future__ import annotations

from typing import Any

import discord

from facilitator.domain.actors import Actor, Place

PLATFORM = "discord"


def actor_of(interaction: discord.Interaction[Any]) -> Actor:
    user = interaction.user
    # Interaction.permissions are the member's resolved permissions in this channel, sent by
    # Discord with the interaction: no member cache (and no privileged intent) needed.
    is_admin = interaction.guild_id is not None and interaction.permissions.manage_guild
    return Actor(
        tenant=str(interaction.guild_id or f"dm-{user.id}"),
        user_id=str(user.id),
        name=user.display_name,
        is_admin=is_admin,
    )


def place_of(interaction: discord.Interaction[Any], session_id: int | None = None) -> Place:
    channel = interaction.channel
    if isinstance(channel, discord.Thread):
        return Place(PLATFORM, str(channel.parent_id), thread=str(channel.id), session_id=session_id)
    return Place(PLATFORM, str(interaction.channel_id), session_id=session_id)


def actor_of_message(message: discord.Message) -> Actor:
    assert message.guild is not None
    author = message.author
    is_admin = isinstance(author, discord.Member) and author.guild_permissions.manage_guild
    return Actor(str(message.guild.id), str(author.id), author.display_name, is_admin)


def place_of_message(message: discord.Message) -> Place | None:
    """Only thread replies can be submissions; anything else is not for us."""
    channel = message.channel
    if isinstance(channel, discord.Thread):
        return Place(PLATFORM, str(channel.parent_id), thread=str(channel.id))
    if isinstance(channel, discord.PartialMessageable):
        # A channel the cache doesn't know (a thread started before a reconnect, say): the
        # session lookup by thread id decides whether it is one of ours.
        return Place(PLATFORM, str(channel.id), thread=str(channel.id))
    return None
