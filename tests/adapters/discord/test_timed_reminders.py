"""Timed phases on Discord, driven by the real timer worker and a fake clock: the reminder before
a deadline goes to each person by direct message, and the deadline itself moves the phase once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from adapters.discord.timed import TimedPhases
from tests.adapters.discord.conftest import content_of, running_bot
from tests.app.support import FakeClock
from tests.fakes.discord_mentions import unsafe_mentions
from tests.fakes.discord_model import FakeGuild
from tests.fakes.discord_server import FakeDiscord


async def test_reminders_go_by_dm_and_a_refused_dm_stops_nothing(
    fake: FakeDiscord, guild: FakeGuild, database_url: str
) -> None:
    clock = FakeClock()
    clock.now = datetime.now(UTC).replace(microsecond=0)
    cy, di, ed, bo = (guild.member(n) for n in ("cy", "di", "ed", "bo"))
    fake.refuse_dms(cy)  # cy joined first, so the refused DM comes before the others
    async with running_bot(fake, database_url, clock=clock) as run:
        await run.slash(guild, "bo", "start", title="Timed reminders")
        thread = run.thread_of_intro(guild)
        # Open tallies: the reminders may say how many votes are left (blind: tests/app/test_nudges.py).
        await run.slash(guild, "bo", "settings", changes="votes=1 blind=off")
        await run.slash(guild, "cy", "do", text="Give before you ask")
        await run.slash(guild, "di", "do", text="Keep a learning journal")
        await run.slash(guild, "ed", "dont", text="Don't ask to ask")
        await run.slash(guild, "bo", "next", timer="10m")  # voting, closing in 10 min: a reminder at 8
        await run.slash(guild, "ed", "vote", item=1)  # ed has no votes left: no reminder for ed
        service = run.app.service
        stop = asyncio.Event()
        worker = asyncio.create_task(service.run_timers(TimedPhases(run.bot, service).post, stop, every_seconds=0.02))
        try:
            await asyncio.sleep(0.1)
            assert fake.dm_channels == {} and await _phase(run) == "voting"  # nothing is due yet

            clock.advance(minutes=8, seconds=1)
            counts = await fake.wait_for_call(lambda c: c in fake.direct_messages(bo))
            reminded = {m.name: [content_of(c) for c in fake.direct_messages(m)] for m in guild.members}
            assert reminded == {
                "ada": [], "bo": [content_of(counts)], "fay": [], "gus": [], "ed": [],
                "cy": [_reminder("Timed reminders")],  # sent, and refused with 403 / 50007
                "di": [_reminder("Timed reminders")],
            }
            assert content_of(counts) == "2 people have votes left: reminded 2 privately."
            assert sorted(fake.dm_channels.values()) == sorted([cy.user_id, di.user_id, bo.user_id])
            for member in (cy, di, bo):
                for call in fake.direct_messages(member):
                    assert call.json["allowed_mentions"] == {"parse": []}
            # Nothing of it in the thread, and the phase waits for its deadline.
            assert not any("reminder" in content_of(c) or "votes left" in content_of(c) for c in run.posts_in(thread))
            assert await _phase(run) == "voting"

            before = len(run.posts_in(thread))
            clock.advance(minutes=2)
            up = await fake.wait_for_call(lambda c: c in run.posts_in(thread) and content_of(c) == "Time's up for voting.")
            await asyncio.sleep(0.2)  # the worker goes round several more times
            assert not worker.done()  # the refused DM didn't stop it
            posted = [content_of(c) for c in run.posts_in(thread)[before:]]
            assert posted.count("Time's up for voting.") == 1 and posted[0] == content_of(up)
            assert posted[1].startswith("Voting is closed.") and "Results" in "\n".join(posted[2:])
            assert await _phase(run) == "discussing"
            # Each reminder went out once: the nudge isn't claimed again.
            assert [len(fake.direct_messages(m)) for m in (cy, di, bo)] == [1, 1, 1]
            assert unsafe_mentions(fake.calls) == []
        finally:
            stop.set()
            await asyncio.wait_for(worker, 10)


async def _phase(run) -> str:  # type: ignore[no-untyped-def]
    return (await run.app.service.snapshot_of(1)).phase


def _reminder(title: str) -> str:
    return (f"A reminder before voting closes in {title}: you have 1 vote left. `/pln vote N` spends one. "
            "(`/pln quiet` stops these reminders.)")
