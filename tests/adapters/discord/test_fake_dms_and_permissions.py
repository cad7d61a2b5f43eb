"""Interactions from a DM arrive as Discord sends them (no guild_id, `user` not `member`, a
type-1 channel, context 1) and discord.py parses them; only commands Discord offers in DMs are
delivered there. A channel that takes permissions from the bot says so in `app_permissions`,
and REST answers 403 where the bot lacks what a call needs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import discord
import pytest
from discord import ui

from tests.fakes.discord_clients import ProbeBot, probe_bot
from tests.fakes.discord_events import NotDeliverable
from tests.fakes.discord_model import (
    CREATE_PUBLIC_THREADS,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
    VIEW_CHANNEL,
    FakeGuild,
)
from tests.fakes.discord_server import FakeDiscord


@pytest.fixture
async def bot(fake: FakeDiscord) -> AsyncIterator[ProbeBot]:
    async with probe_bot(fake) as running:
        yield running


def where(interaction: discord.Interaction[Any]) -> dict[str, Any]:
    return {"guild_id": interaction.guild_id, "user": type(interaction.user), "name": interaction.user.name,
            "channel": type(interaction.channel), "in_dm": interaction.context.dm_channel,
            "is_guild_integration": interaction.is_guild_integration()}


async def test_a_command_in_a_dm_reaches_discord_py_as_discord_sends_it(fake: FakeDiscord, guild: FakeGuild,
                                                                       bot: ProbeBot) -> None:
    bo = guild.member("bo")

    async def act(interaction: discord.Interaction[Any]) -> dict[str, Any]:
        await interaction.response.send_message("pong")
        return where(interaction)

    bot.act = act
    payload = await fake.dm_slash(bo, None, {"text": "hi"}, command="probe")
    assert "guild_id" not in payload and "member" not in payload and payload["user"]["id"] == str(bo.user_id)
    assert payload["channel"]["type"] == 1 and payload["context"] == 1
    seen = await bot.outcome(payload)
    assert seen == {"guild_id": None, "user": discord.User, "name": "bo", "channel": discord.DMChannel,
                    "in_dm": True, "is_guild_integration": False}
    answered = fake.messages[int(fake.calls[-1].answer["resource"]["message"]["id"])]
    assert fake.dm_channels[int(answered["channel_id"])] == bo.user_id  # the answer is in bo's DM
    assert "guild_id" not in answered


async def test_a_guild_only_command_is_never_delivered_in_a_dm(fake: FakeDiscord, guild: FakeGuild,
                                                               bot: ProbeBot) -> None:
    with pytest.raises(NotDeliverable, match="not registered in DMs"):
        await fake.dm_slash(guild.member("bo"), None, command="guildonly")
    in_guild = await fake.slash(guild, "bo", None, command="guildonly")
    assert await bot.outcome(in_guild) is None  # in a guild it is
    # ...with the guild's shape: `member` (with permissions) and no top-level `user`.
    assert "user" not in in_guild and in_guild["member"]["user"]["username"] == "bo"
    assert (in_guild["guild_id"], in_guild["context"]) == (str(guild.guild_id), 0)


async def test_a_button_in_a_dm_is_clicked_from_the_dm(fake: FakeDiscord, guild: FakeGuild, bot: ProbeBot) -> None:
    bo, cy = guild.member("bo"), guild.member("cy")
    view = ui.View()
    view.add_item(ui.Button(label="ok", custom_id="ok"))
    sent = await (await bot.fetch_user(bo.user_id)).send("press", view=view)

    async def act(interaction: discord.Interaction[Any]) -> dict[str, Any]:
        await interaction.response.defer()
        return where(interaction)

    bot.act = act
    seen = await bot.outcome(await fake.dm_click(bo, "ok", sent.id))
    assert seen["guild_id"] is None and seen["user"] is discord.User and seen["channel"] is discord.DMChannel
    with pytest.raises(NotDeliverable, match="not in cy's DM"):
        await fake.dm_click(cy, "ok", sent.id)


async def test_a_channel_without_the_bots_permissions(fake: FakeDiscord, guild: FakeGuild, bot: ProbeBot) -> None:
    fake.deny_bot(guild.channel_id, SEND_MESSAGES | CREATE_PUBLIC_THREADS)

    async def act(interaction: discord.Interaction[Any]) -> list[Any]:
        granted = interaction.app_permissions
        results: list[Any] = [(granted.send_messages, granted.create_public_threads, granted.embed_links)]
        await interaction.response.send_message("answers need no channel permission")
        answer = await interaction.original_response()
        assert isinstance(interaction.channel, discord.TextChannel)
        for call in (lambda: interaction.channel.send("a post does"),
                     lambda: answer.create_thread(name="so does a thread")):
            try:
                results.append(await call())
            except discord.HTTPException as exc:
                results.append(exc)
        return results

    bot.act = act
    granted, post, thread = await bot.outcome(await fake.slash(guild, "bo", None, command="probe"))
    assert granted == (False, False, True)
    for refused in (post, thread):
        assert isinstance(refused, discord.Forbidden) and (refused.status, refused.code) == (403, 50013)
    assert fake.invalid_requests == {"POST /channels/{channel_id}/messages": 1,
                                     "POST /channels/{channel_id}/messages/{id}/threads": 1}


async def test_threads_inherit_and_hidden_channels_are_missing_access(fake: FakeDiscord, guild: FakeGuild,
                                                                      bot: ProbeBot) -> None:
    channel = bot.get_channel(guild.channel_id)
    assert isinstance(channel, discord.TextChannel)
    thread = await (await channel.send("root")).create_thread(name="t")
    fake.deny_bot(guild.channel_id, SEND_MESSAGES_IN_THREADS)
    with pytest.raises(discord.Forbidden) as in_thread:
        await thread.send("no")
    fake.deny_bot(guild.channel_id, VIEW_CHANNEL)
    with pytest.raises(discord.Forbidden) as hidden:
        await channel.send("no")
    assert (in_thread.value.code, hidden.value.code) == (50013, 50001)
    assert hidden.value.text == "Missing Access"
