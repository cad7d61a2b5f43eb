"""A burst of clicks: every one is deferred at once, and the work behind them runs a few at a time."""

from __future__ import annotations

import asyncio

from adapters.pacing import SQLITE_SLOTS
from tests.adapters.discord.conftest import content_of, running_bot
from tests.fakes.discord_server import FakeDiscord
from tests.inflight import InFlight
from tests.app.support import stored_document
from tests.sqlite_lock import sqlite_path, write_lock_held

VOTERS = [f"voter{n}" for n in range(3 * SQLITE_SLOTS)]


async def test_clicks_are_all_deferred_while_the_work_waits_and_at_most_a_few_run_at_once(
    fake: FakeDiscord, database_url: str
) -> None:
    guild = fake.add_guild("burst", [("host", True)] + [(name, False) for name in VOTERS])
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "host", "start")
        await run.slash(guild, "host", "do", text="Keep notes")
        await run.slash(guild, "host", "next")
        vote_id, vote_message = run.button(run.thread_of_intro(guild), "pln:v:1:1")
        in_flight = InFlight(run.app.service)

        async with write_lock_held(sqlite_path(database_url)) as release:
            # Another process holds the database: no vote can finish, yet every click is answered.
            payloads = await asyncio.gather(*(fake.click(guild, who, vote_id, vote_message) for who in VOTERS))
            callbacks = {f"/interactions/{p['id']}/{p['token']}/callback" for p in payloads}
            deferred = await fake.wait_for_calls(lambda c: c.path in callbacks, len(VOTERS))
            assert {c.json["type"] for c in deferred} == {5}  # "thinking...", privately
            await asyncio.sleep(0.3)  # time for any more work to start, if anything let it
            assert in_flight.most == SQLITE_SLOTS  # the other clicks' work waits its turn
            release.set()
            hooks = {f"/webhooks/{fake.application_id}/{p['token']}" for p in payloads}
            # Each voter also gets "which level fits you?": none of them had joined.
            answers = await fake.wait_for_calls(
                lambda c: c.method == "POST" and c.path in hooks and "Voted for #1" in content_of(c), len(VOTERS))

        assert {c.path for c in answers} == hooks  # one "Voted" per click
        assert in_flight.most == SQLITE_SLOTS
        assert (await stored_document(run.app))["items"][0]["votes"] == len(VOTERS)
