"""Figure 5: component interactions through our bot on the fake Discord gateway, against a bare
discord.py bot that only defers them.

Both are real discord.py AutoSharded clients logged in to tests.fakes.discord_server, and both
get the same clicks on the real vote buttons of a session in voting phase, injected as
INTERACTION_CREATE by 50 concurrent workers. Latency is from injecting the event on the
websocket to the fake receiving the interaction callback (the "thinking..." defer, which is all
Discord needs within 3 s). Our bot then votes and sends a follow-up; a second row says how long
until every "Voted for" follow-up had arrived. Fake, bots and workers share one event loop.
A third baseline, a bare bot that also sends one follow-up, separates the cost of replying.

What limits us (profiled with cProfile): per click our bot does the same defer as the bare
one, then, in one of adapters.pacing's slots, the core's vote (about 0.8 ms CPU on SQLite:
figure 1) and the follow-up webhook (about as costly as the defer, and served by the same
in-process fake), all on the loop that must also parse the next INTERACTION_CREATE. Buttons are
routed by custom_id in on_interaction: discord.py's dynamic-item dispatch, which rebuilt the
clicked message's view on every click, held this figure at 0.52 of the bare bot (0.74 without).
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Any

import discord
from aiohttp import web
from sqlalchemy import insert

from bench.latency import CONCURRENCY, ROUNDS, rate_row, settled_heap
from bench.table import Row, millis
from bench.workload import sqlite_file
from facilitator.store.models import ParticipantRow
from tests.adapters.discord.conftest import Running, content_of, running_bot
from tests.fakes.discord_model import FakeGuild
from tests.fakes.discord_server import FakeDiscord

ITEMS = 9
VOTES_EACH = 3  # the default budget
Click = tuple[str, str, int]  # who, custom_id, message id


class TimedDiscord(FakeDiscord):
    """The fake, noting when each interaction's callback arrives (before it reads the body)."""

    def __init__(self) -> None:
        super().__init__(shard_count=1)
        self.answered: dict[str, float] = {}
        self.waiting: dict[str, asyncio.Future[float]] = {}

    async def _rest(self, request: web.Request) -> web.Response:
        parts = request.match_info["tail"].split("/")
        if request.method == "POST" and len(parts) == 4 and parts[0] == "interactions" and parts[3] == "callback":
            now = time.perf_counter()
            self.answered[parts[2]] = now
            waiter = self.waiting.pop(parts[2], None)
            if waiter is not None and not waiter.done():
                waiter.set_result(now)
        return await super()._rest(request)

    async def answered_at(self, token: str) -> float:
        if token in self.answered:
            return self.answered[token]
        waiter = asyncio.get_running_loop().create_future()
        self.waiting[token] = waiter
        return await asyncio.wait_for(waiter, 30)


async def inject(fake: TimedDiscord, guild: FakeGuild, clicks: list[Click]) -> tuple[float, list[float], list[str]]:
    """Seconds for every click to be answered at CONCURRENCY in flight, latencies, and tokens."""
    queue = list(reversed(clicks))
    latencies: list[float] = []
    tokens: list[str] = []

    async def worker() -> None:
        while queue:
            who, custom_id, message_id = queue.pop()
            sent = time.perf_counter()
            payload = await fake.click(guild, who, custom_id, message_id)
            latencies.append(await fake.answered_at(payload["token"]) - sent)
            tokens.append(payload["token"])

    with settled_heap():
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        return time.perf_counter() - started, latencies, tokens


async def voting_session(run: Running, guild: FakeGuild, voters: list[str]) -> list[Click]:
    """A session in voting phase through our bot; the clicks: three different items per voter."""
    await run.slash(guild, "host", "start", title="Bench session")
    for number in range(1, ITEMS + 1):
        await run.slash(guild, "host", "do", text=f"Idea {number}")
    thread = run.thread_of_intro(guild)
    session_id = await run.app.service.session_for_thread(str(guild.guild_id), str(guild.channel_id), str(thread))
    assert session_id is not None
    now = datetime.now(UTC)
    async with run.app.db.engine.begin() as connection:  # people who joined as newcomers
        await connection.execute(insert(ParticipantRow), [
            {"session_id": session_id, "user_id": str(guild.member(name).user_id), "name": name, "level": "newcomer",
             "votes_used": 0, "joined_at": now} for name in voters])
    await run.slash(guild, "host", "next")
    buttons = {custom_id: message_id for _, custom_id, message_id in run.buttons(thread)}
    vote = [f"pln:v:{session_id}:{n}" for n in range(1, ITEMS + 1)]
    assert all(v in buttons for v in vote), sorted(buttons)
    return [(name, vote[(p + j) % ITEMS], buttons[vote[(p + j) % ITEMS]])
            for j in range(VOTES_EACH) for p, name in enumerate(voters)]


async def ours(fake: TimedDiscord, guild: FakeGuild, voters: list[str], database_url: str,
               ) -> tuple[tuple[float, list[float]], float, list[Click]]:
    async with running_bot(fake, database_url) as run:
        clicks = await voting_session(run, guild, voters)
        hook = f"/webhooks/{fake.application_id}/"
        seconds, latencies, tokens = await inject(fake, guild, clicks)
        started = time.perf_counter() - seconds
        wanted = {hook + token for token in tokens}
        while sum(1 for c in fake.calls if c.method == "POST" and c.path in wanted) < len(clicks):
            await asyncio.sleep(0.05)
        end_to_end = time.perf_counter() - started
        answers = [content_of(c) for c in fake.calls if c.method == "POST" and c.path in wanted]
        refused = [a for a in answers if "Voted for" not in a]
        if refused:
            raise RuntimeError(f"{len(refused)} clicks were not counted, e.g. {refused[0]!r}")
    return (seconds, latencies), end_to_end, clicks


class BareBot(discord.AutoShardedClient):
    """discord.py alone: parse the interaction, defer it, nothing else; with `reply`, also send
    one fixed ephemeral follow-up (what any useful bot must do), and no database."""

    def __init__(self, reply: bool, **options: Any) -> None:
        super().__init__(**options)
        self.reply = reply

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None  # the local fake needs no 5 s between IDENTIFYs

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.type is discord.InteractionType.component:
            await interaction.response.defer(ephemeral=True, thinking=True)
            if self.reply:
                await interaction.followup.send("Voted.", ephemeral=True)


async def bare(fake: TimedDiscord, guild: FakeGuild, clicks: list[Click], reply: bool) -> tuple[float, list[float]]:
    previous_base = discord.http.Route.BASE
    discord.http.Route.BASE = fake.api_base
    intents = discord.Intents.none()
    intents.guilds = True
    bot = BareBot(reply, intents=intents, guild_ready_timeout=0.05)
    task = asyncio.create_task(bot.start(fake.token))
    try:
        await asyncio.wait_for(bot.wait_until_ready(), 15)
        seconds, latencies, tokens = await inject(fake, guild, clicks)
        if reply:  # let the follow-ups finish before the bot goes
            wanted = {f"/webhooks/{fake.application_id}/{token}" for token in tokens}
            while sum(1 for c in fake.calls if c.method == "POST" and c.path in wanted) < len(clicks):
                await asyncio.sleep(0.05)
        return seconds, latencies
    finally:
        await bot.close()
        await asyncio.gather(task, return_exceptions=True)
        discord.http.Route.BASE = previous_base
        fake.shards.clear()


async def measure(smoke: bool) -> list[Row]:
    voters = [f"p{i}" for i in range(30 if smoke else 400)]
    fake = TimedDiscord()
    await fake.start()
    runs: dict[str, list[tuple[float, list[float]]]] = {"mine": [], "baseline": [], "replying": []}
    end_to_ends: list[float] = []
    try:
        for round_ in range(1 if smoke else ROUNDS):
            # A guild (and database) per round: each round's people vote once per item again.
            guild = fake.add_guild(f"bench {round_}", [("host", True)] + [(name, False) for name in voters])
            with sqlite_file() as path:
                mine, end_to_end, clicks = await ours(fake, guild, voters, f"sqlite:///{path}")
            runs["mine"].append(mine)
            end_to_ends.append(end_to_end)
            runs["baseline"].append(await bare(fake, guild, clicks, reply=False))
            runs["replying"].append(await bare(fake, guild, clicks, reply=True))
    finally:
        await fake.stop()
    mine, baseline, replying = (min(runs[k], key=lambda run: run[0]) for k in runs)
    end_to_end = min(end_to_ends)
    count = len(clicks)
    return [
        rate_row(f"5 Discord interactions/s, concurrency {CONCURRENCY}", count, mine, baseline,
                 "interactions", "bare discord.py bot, defer only"),
        rate_row(f"5 Discord interactions/s, concurrency {CONCURRENCY}, vs a replying bare bot", count, mine, replying,
                 "interactions", "bare discord.py bot, defer + 1 follow-up"),
        Row(f"5 Discord end-to-end votes/s ({count} clicks)",
            f"{count / end_to_end:,.0f} votes/s: all follow-ups in {millis(end_to_end)} after the first click",
            target="(no target: work after the defer)"),
    ]
