"""The fake Discord rate-limits as Discord does (a global bucket that interactions don't count
against, per-route buckets announced in headers, 429s with `retry_after`), and a real discord.py
client honours it: it waits out an exhausted bucket and a 429, then succeeds. Refusals that
count towards an IP ban are counted per route."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import discord
import pytest

from tests.fakes.discord_clients import logged_in, probe_bot
from tests.fakes.discord_model import FakeGuild
from tests.fakes.discord_ratelimits import RouteLimit
from tests.fakes.discord_server import FakeDiscord, RecordedCall

PEOPLE = [("ada", True), ("bo", False)]
MESSAGES = "POST /channels/{channel_id}/messages"


def posts(fake: FakeDiscord, channel_id: int) -> list[RecordedCall]:
    return [c for c in fake.calls if c.method == "POST" and c.path == f"/channels/{channel_id}/messages"]


async def test_every_answer_announces_its_bucket(fake: FakeDiscord, guild: FakeGuild) -> None:
    async with aiohttp.ClientSession(headers={"Authorization": f"Bot {fake.token}"}) as session:
        for _ in range(2):
            async with session.get(f"{fake.api_base}/users/@me") as answer:
                assert answer.status == 200
    first, second = (c.headers for c in fake.calls)
    assert set(first) == {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset",
                          "X-RateLimit-Reset-After", "X-RateLimit-Bucket"}
    assert int(first["X-RateLimit-Remaining"]) == int(second["X-RateLimit-Remaining"]) + 1
    assert first["X-RateLimit-Bucket"] == second["X-RateLimit-Bucket"]
    assert 0 < float(first["X-RateLimit-Reset-After"]) <= 1


async def test_discord_py_waits_out_a_429_then_succeeds(fake: FakeDiscord, guild: FakeGuild) -> None:
    fake.rate_limit("POST", f"/channels/{guild.channel_id}/messages", retry_after=0.3)
    async with logged_in(fake) as client:
        sent = await client.get_partial_messageable(guild.channel_id).send("patience")
    limited, retried = posts(fake, guild.channel_id)
    assert (limited.status, retried.status) == (429, 200) and int(retried.answer["id"]) == sent.id
    assert limited.answer == {"message": "You are being rate limited.", "retry_after": 0.3, "global": False}
    assert limited.headers["Retry-After"] == "1" and limited.headers["X-RateLimit-Scope"] == "user"
    assert limited.headers["X-RateLimit-Remaining"] == "0" and limited.headers["X-RateLimit-Reset-After"] == "0.300"
    assert retried.at - limited.at >= 0.3  # not a moment before retry_after
    assert fake.rate_limited == {MESSAGES: 1} and fake.invalid_requests == {MESSAGES: 1}


async def test_an_exhausted_bucket_is_waited_out_without_a_429(guild_free_fake: FakeDiscord) -> None:
    fake = guild_free_fake
    guild = fake.add_guild("g", PEOPLE)
    fake.limiter.routes[MESSAGES] = RouteLimit(2, 0.5)
    other = fake.add_guild("h", PEOPLE)
    async with logged_in(fake) as client:
        for number in range(3):
            await client.get_partial_messageable(guild.channel_id).send(f"#{number}")
        await client.get_partial_messageable(other.channel_id).send("another channel, another bucket")
    first, second, third = posts(fake, guild.channel_id)
    assert [c.headers["X-RateLimit-Remaining"] for c in (first, second, third)] == ["1", "0", "1"]
    assert third.at - first.at >= 0.45  # discord.py read Remaining 0 and waited for the reset
    assert posts(fake, other.channel_id)[0].headers["X-RateLimit-Remaining"] == "1"
    assert fake.rate_limited == {}  # honoured before any 429


async def test_the_global_limit_spares_interactions(guild_free_fake: FakeDiscord) -> None:
    fake = guild_free_fake
    fake.limiter.global_per_second = 3
    guild = fake.add_guild("g", PEOPLE)
    async with logged_in(fake) as client:
        await asyncio.gather(*(client.fetch_user(guild.member("bo").user_id) for _ in range(6)))
    limited = next(c for c in fake.calls if c.status == 429)
    assert limited.answer["global"] is True
    assert limited.headers["X-RateLimit-Global"] == "true" and limited.headers["X-RateLimit-Scope"] == "global"
    assert [c.status for c in fake.calls if c.path.startswith("/users/") and c.status != 429].count(200) == 7
    async with probe_bot(fake) as bot:
        async def act(interaction: discord.Interaction[Any]) -> None:
            await interaction.response.defer(ephemeral=True)
            await interaction.followup.send("done", ephemeral=True)

        bot.act = act
        fake.calls.clear()
        payloads = [await fake.slash(guild, "bo", None, command="probe") for _ in range(8)]
        assert [await bot.outcome(p) for p in payloads] == [None] * 8
    assert not [c for c in fake.calls if c.status == 429]  # 16 interaction calls, none counted globally


@pytest.mark.parametrize(("age", "answered"), [(2.0, True), (2.7, False)])
async def test_a_429_on_the_callback_can_push_the_answer_past_3_s(fake: FakeDiscord, guild: FakeGuild,
                                                                  age: float, answered: bool) -> None:
    """discord.py sleeps whatever `retry_after` says before answering again: past the 3 s
    window, the answer comes too late."""
    async with probe_bot(fake) as bot:
        bot.act = lambda interaction: interaction.response.defer()
        fake.limit_callback(retry_after=0.5)
        outcome = await bot.outcome(await fake.slash(guild, "bo", None, command="probe", age=age))
    callbacks = [c.status for c in fake.calls if c.path.endswith("/callback")]
    if answered:
        assert callbacks == [429, 200] and isinstance(outcome, discord.InteractionCallbackResponse)
    else:
        assert callbacks == [429, 404] and isinstance(outcome, discord.NotFound) and outcome.code == 10062


async def test_invalid_requests_are_counted_per_route(fake: FakeDiscord, guild: FakeGuild) -> None:
    """401, 403 and 429 count towards the 10,000 in 10 minutes that get an IP banned; 400s don't."""
    fake.refuse_dms(guild.member("bo"))
    async with logged_in(fake) as client:
        dm = await (await client.fetch_user(guild.member("bo").user_id)).create_dm()
        for _ in range(2):
            with pytest.raises(discord.Forbidden):
                await dm.send("refused")
        with pytest.raises(discord.HTTPException):
            await dm.send("x" * 2001)
        fake.revoked_tokens.add(fake.token)
        with pytest.raises(discord.HTTPException) as unauthorised:
            await client.fetch_user(guild.member("bo").user_id)
    assert unauthorised.value.status == 401
    assert fake.invalid_requests == {MESSAGES: 2, "GET /users/{id}": 1}


@pytest.fixture
async def guild_free_fake() -> Any:
    server = FakeDiscord()
    await server.start()
    yield server
    await server.stop()
