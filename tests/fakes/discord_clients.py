"""discord.py clients for testing the fake Discord through discord.py's own objects rather than
hand-made HTTP calls: a client that only logs in (for REST routes), and a bare bot that does,
with each interaction it gets, whatever a test asks (Interaction, InteractionResponse, the
follow-up Webhook, Modal).

    async with probe_bot(fake) as bot:
        bot.act = lambda interaction: interaction.response.send_message("hi")
        payload = await fake.slash(guild, "ada", None, command="probe")
        outcome = await bot.outcome(payload)  # what `act` returned, or the exception it raised
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import discord
from discord import app_commands

from tests.fakes.discord_server import FakeDiscord

Act = Callable[[discord.Interaction[Any]], Awaitable[Any]]


async def _nothing(interaction: discord.Interaction[Any]) -> None:
    return None


class ProbeBot(discord.AutoShardedClient):
    def __init__(self) -> None:
        super().__init__(intents=discord.Intents(guilds=True), allowed_mentions=discord.AllowedMentions.none(),
                         guild_ready_timeout=0.05)
        self.tree: app_commands.CommandTree[ProbeBot] = app_commands.CommandTree(self)
        self.act: Act = _nothing
        self.seen: list[discord.Interaction[Any]] = []
        self._results: dict[int, list[Any]] = {}
        self._done = asyncio.Condition()

        @self.tree.command(name="probe", description="does what the test asks")
        @app_commands.describe(text="anything")
        async def probe(interaction: discord.Interaction[Any], text: str | None = None) -> None:
            await self._run(interaction)

        @self.tree.command(name="guildonly", description="never offered in DMs")
        @app_commands.guild_only()
        async def guild_only(interaction: discord.Interaction[Any]) -> None:
            await self._run(interaction)

    async def setup_hook(self) -> None:
        await self.tree.sync()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None  # no 5 s between IDENTIFYs against a local server

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.type in (discord.InteractionType.component, discord.InteractionType.modal_submit):
            await self._run(interaction)

    async def _run(self, interaction: discord.Interaction[Any]) -> None:
        self.seen.append(interaction)
        try:
            result = await self.act(interaction)
        except Exception as exc:  # the test reads it from outcome()
            result = exc
        async with self._done:
            self._results.setdefault(interaction.id, []).append(result)
            self._done.notify_all()

    async def outcomes(self, payload: dict[str, Any], count: int, timeout: float = 10) -> list[Any]:
        """What `act` returned (or raised) each time the interaction `payload` reached the bot."""
        interaction_id = int(payload["id"])

        async def wait() -> list[Any]:
            async with self._done:
                await self._done.wait_for(lambda: len(self._results.get(interaction_id, [])) >= count)
            return self._results[interaction_id]

        return await asyncio.wait_for(wait(), timeout)

    async def outcome(self, payload: dict[str, Any], timeout: float = 10) -> Any:
        """What `act` returned for the interaction `payload`, or the exception it raised."""
        return (await self.outcomes(payload, 1, timeout))[0]


@asynccontextmanager
async def logged_in(fake: FakeDiscord) -> AsyncIterator[discord.Client]:
    """A discord.py client logged in to the fake (REST only, no gateway)."""
    previous = discord.http.Route.BASE
    discord.http.Route.BASE = fake.api_base
    client = discord.Client(intents=discord.Intents.none(), allowed_mentions=discord.AllowedMentions.none())
    await client.login(fake.token)
    try:
        yield client
    finally:
        await client.close()
        discord.http.Route.BASE = previous


@asynccontextmanager
async def probe_bot(fake: FakeDiscord) -> AsyncIterator[ProbeBot]:
    previous = discord.http.Route.BASE
    discord.http.Route.BASE = fake.api_base  # discord.py's documented knob for the REST base
    bot = ProbeBot()
    task = asyncio.create_task(bot.start(fake.token))
    try:
        await fake.wait_for_shards()
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        yield bot
    finally:
        await bot.close()
        await asyncio.gather(task, return_exceptions=True)
        discord.http.Route.BASE = previous
        fake.shards.clear()
