"""DMs (nudges, refund notices, reminders) count against Discord's global limit, unlike
interaction responses: they go through the outbox (adapters/discord/direct.py), paced below it.
A nudge to 24 people against a fake Discord whose global limit is 10 requests a second: every
reminder arrives once, none twice, and Discord never answers 429."""

from __future__ import annotations

import asyncio

from adapters.discord.direct import DM
from adapters.outbox.budgets import Budget, Budgets
from tests.adapters.discord.conftest import running_bot
from tests.fakes.discord_server import FakeDiscord

PEOPLE = [("ada", True)] + [(f"p{n:02d}", False) for n in range(24)]


async def test_a_nudge_to_many_is_paced_below_the_global_limit_and_reaches_each_once(database_url: str) -> None:
    fake = FakeDiscord(global_per_second=10)
    guild = fake.add_guild("big circle", PEOPLE)
    await fake.start()
    try:
        async with running_bot(fake, database_url) as run:
            assert run.bot.dms is not None
            # Two DMs a second, a DM to someone new being two requests (open the channel, send): in any
            # one-second window at most three DMs, six requests.
            run.bot.dms.budgets = Budgets({DM: Budget(per_minute=120, burst=1)})
            await run.slash(guild, "ada", "start", title="Many")
            await run.slash(guild, "p00", "do", text="Share first")
            for name, _ in PEOPLE[1:]:
                await run.slash(guild, name, "join", level="newcomer")
            await run.slash(guild, "ada", "next")
            await asyncio.sleep(1.1)  # the set-up's posts spent this second's global budget; people act seconds apart
            await run.slash(guild, "ada", "nudge")
            people = [guild.member(name) for name, _ in PEOPLE[1:]]
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 40
            while not all(fake.direct_messages(m) for m in people):
                assert loop.time() < deadline, "not every reminder arrived"
                await asyncio.sleep(0.2)
            await asyncio.sleep(0.5)
            assert {m.name: len(fake.direct_messages(m)) for m in people} == {m.name: 1 for m in people}
            assert fake.limiter.rate_limited == {}  # no 429, global or per route
            assert run.bot.dms.counts["queued"] > 0  # they waited for the budget
            assert await run.app.service.outbox.waiting("discord") == 0
    finally:
        await fake.stop()
