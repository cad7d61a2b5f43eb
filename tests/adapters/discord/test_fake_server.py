"""The fake Discord server is good enough for a real discord.py AutoShardedBot to run against it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.fakes.discord_mentions import unsafe_mentions
from tests.fakes.discord_server import FakeDiscord


class SmokeBot(commands.AutoShardedBot):
    def __init__(self, allowed_mentions: discord.AllowedMentions) -> None:
        super().__init__(command_prefix=commands.when_mentioned, intents=discord.Intents.none() | discord.Intents(guilds=True),
                         allowed_mentions=allowed_mentions, guild_ready_timeout=0.05)
        self.synced: list[app_commands.AppCommand] = []

        @self.tree.command(name="ping", description="answers pong")
        @app_commands.describe(text="what to echo")
        async def ping(interaction: discord.Interaction, text: str) -> None:
            await interaction.response.send_message(f"pong {text}")

        @self.tree.command(name="slow", description="defers then follows up")
        async def slow(interaction: discord.Interaction) -> None:
            await interaction.response.defer(ephemeral=True)
            await interaction.followup.send("done", ephemeral=True)

        @self.tree.command(name="post", description="posts in the channel")
        async def post(interaction: discord.Interaction) -> None:
            await interaction.response.defer()
            assert isinstance(interaction.channel, discord.TextChannel)
            message = await interaction.channel.send("root @everyone")
            thread = await message.create_thread(name="session")
            await thread.send("in thread")
            await interaction.followup.send(f"thread {thread.id}")

    async def setup_hook(self) -> None:
        self.synced = await self.tree.sync()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None  # no 5 s wait between shards against a local server


async def _running(fake: FakeDiscord, allowed_mentions: discord.AllowedMentions) -> AsyncIterator[SmokeBot]:
    previous = discord.http.Route.BASE
    discord.http.Route.BASE = fake.api_base
    bot = SmokeBot(allowed_mentions)
    task = asyncio.create_task(bot.start(fake.token))
    try:
        await fake.wait_for_shards()
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        yield bot
    finally:
        await bot.close()
        await asyncio.gather(task, return_exceptions=True)
        discord.http.Route.BASE = previous


@pytest.fixture
async def two_shard_fake() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord(shard_count=2)
    fake.add_guild("zero", [("ada", True), ("bo", False)], shard=0)
    fake.add_guild("one", [("cy", False)], shard=1)
    await fake.start()
    yield fake
    await fake.stop()


async def test_bot_logs_in_syncs_and_connects_two_shards(two_shard_fake: FakeDiscord) -> None:
    fake = two_shard_fake
    async for bot in _running(fake, discord.AllowedMentions.none()):
        assert sorted(bot.shards) == [0, 1]
        assert {g.id for g in bot.guilds} == set(fake.guilds)
        paths = [(c.method, c.path) for c in fake.calls]
        assert ("GET", "/users/@me") in paths
        assert ("GET", "/gateway/bot") in paths
        sync = next(c for c in fake.calls if c.method == "PUT")
        assert sync.path == f"/applications/{fake.application_id}/commands"
        assert {c["name"] for c in sync.json} == {"ping", "slow", "post"}
        assert sorted(i["shard"] for i in fake.identifies) == [[0, 2], [1, 2]]


async def test_interactions_reach_the_shard_that_owns_the_guild(two_shard_fake: FakeDiscord) -> None:
    fake = two_shard_fake
    async for _bot in _running(fake, discord.AllowedMentions.none()):
        for guild in fake.guilds.values():
            await fake.slash(guild, guild.members[-1].name, None, {"text": guild.name}, command="ping")
        for guild in fake.guilds.values():
            call = await fake.wait_for_call(lambda c, n=guild.name: c.path.endswith("/callback")
                                            and (c.json.get("data") or {}).get("content") == f"pong {n}")
            assert call.query == {"with_response": "1"}
            assert call.json["type"] == 4
        assert unsafe_mentions(fake.calls) == []


async def test_defer_followup_threads_and_mention_scan(two_shard_fake: FakeDiscord) -> None:
    fake = two_shard_fake
    guild = next(iter(fake.guilds.values()))
    async for _bot in _running(fake, discord.AllowedMentions.all()):
        for name in ("slow", "post"):
            await fake.slash(guild, guild.members[1].name, None, command=name)
        followup = await fake.wait_for_call(lambda c: c.path.startswith("/webhooks/") and c.json.get("content") == "done")
        assert followup.json["flags"] == 64
        thread_call = await fake.wait_for_call(lambda c: c.path.endswith("/threads"))
        thread_id = thread_call.path.split("/")[4]
        await fake.wait_for_call(lambda c: c.path == f"/channels/{thread_id}/messages")
        await fake.wait_for_call(lambda c: c.path.startswith("/webhooks/") and "thread" in (c.json.get("content") or ""))
        # The scanner catches a bot that lets @everyone through.
        offenders = unsafe_mentions(fake.calls)
        assert ("POST", f"/channels/{guild.channel_id}/messages") in [(m, p) for m, p, _found in offenders]


async def test_a_rate_limited_route_is_retried(two_shard_fake: FakeDiscord) -> None:
    fake = two_shard_fake
    guild = next(iter(fake.guilds.values()))
    fake.rate_limit("POST", f"/channels/{guild.channel_id}/messages", retry_after=0.05)
    async for _bot in _running(fake, discord.AllowedMentions.none()):
        await fake.slash(guild, guild.members[1].name, None, command="post")
        await fake.wait_for_call(lambda c: c.path.endswith("/threads"))
        posts = [c for c in fake.calls if c.path == f"/channels/{guild.channel_id}/messages"]
        assert len(posts) == 2  # the 429, then the retry
        assert unsafe_mentions(fake.calls) == []


async def test_a_dropped_shard_resumes_its_session(two_shard_fake: FakeDiscord) -> None:
    fake = two_shard_fake
    guild = next(g for g in fake.guilds.values() if fake.shard_for(g.guild_id) == 1)
    async for _bot in _running(fake, discord.AllowedMentions.none()):
        session = fake.shards[1].session_id
        await fake.drop_shard(1)
        await fake.wait_for_resume(session)
        await fake.slash(guild, guild.members[0].name, None, {"text": "again"}, command="ping")
        await fake.wait_for_call(lambda c: c.path.endswith("/callback") and c.json["data"]["content"] == "pong again")
        assert len(fake.identifies) == 2  # resumed, not identified again


async def test_direct_messages_open_one_channel_a_person_and_can_be_refused(two_shard_fake: FakeDiscord) -> None:
    fake = two_shard_fake
    guild = next(iter(fake.guilds.values()))
    ada, bo = guild.member("ada"), guild.member("bo")
    fake.refuse_dms(bo)
    async for bot in _running(fake, discord.AllowedMentions.none()):
        user = await bot.fetch_user(ada.user_id)
        assert user.name == "ada"
        await user.send("first")
        again = await bot.fetch_user(ada.user_id)
        await again.send("second")
        opened = [c for c in fake.calls if c.path == "/users/@me/channels"]
        assert [c.json for c in opened] == [{"recipient_id": ada.user_id}]  # discord.py caches the DM channel
        assert [c.json["content"] for c in fake.direct_messages(ada)] == ["first", "second"]
        dm = next(iter(fake.dm_channels))
        assert isinstance(await bot.fetch_channel(dm), discord.DMChannel)

        refusing = await bot.fetch_user(bo.user_id)
        with pytest.raises(discord.Forbidden) as refused:
            await refusing.send("hello?")
        assert refused.value.status == 403 and refused.value.code == 50007
        assert [c.json["content"] for c in fake.direct_messages(bo)] == ["hello?"]
        with pytest.raises(discord.NotFound):
            await bot.fetch_user(12345)
