"""Pledges on Discord, through the real bot against the fake: `/pln pledge make`, the follow-up
by direct message with its Done / Not yet / Drop buttons, and a click on one of them from the DM
(which reaches the session's thread)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from adapters.discord.timed import TimedPhases
from tests.adapters.discord.conftest import content_of, running_bot
from tests.app.support import FakeClock
from tests.fakes.discord_mentions import unsafe_mentions
from tests.fakes.discord_model import FakeGuild
from tests.fakes.discord_server import FakeDiscord


def _buttons(call) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(c["label"], c["custom_id"]) for row in call.json.get("components", []) for c in row["components"]]


async def test_a_follow_up_comes_by_dm_and_its_button_works_from_there(
    fake: FakeDiscord, guild: FakeGuild, database_url: str
) -> None:
    clock = FakeClock()
    clock.now = datetime.now(UTC).replace(microsecond=0)
    cy = guild.member("cy")
    async with running_bot(fake, database_url, clock=clock) as run:
        await run.slash(guild, "bo", "start", title="Pledges")
        thread = run.thread_of_intro(guild)
        await run.slash(guild, "bo", "settings", changes="followup=1h")
        await run.slash(guild, "cy", "join", level="newcomer")
        await run.slash(guild, "cy", "pledge make", text="Answer one newcomer question a week")
        assert any("New pledge #1 from cy" in content_of(c) for c in run.posts_in(thread))
        service = run.app.service
        stop = asyncio.Event()
        worker = asyncio.create_task(service.run_timers(TimedPhases(run.bot, service).post, stop, every_seconds=0.02))
        try:
            clock.advance(hours=1)
            followup = await fake.wait_for_call(lambda c: c in fake.direct_messages(cy))
            assert "did you do what you pledged?" in content_of(followup)
            assert [label for label, _ in _buttons(followup)] == ["Done", "Not yet", "Drop"]
            assert followup.json["allowed_mentions"] == {"parse": []}
            done = next(custom for label, custom in _buttons(followup) if label == "Done")
            message_id = int(followup.answer["id"])
            await run.finished(await fake.dm_click(cy, done, message_id))
            kept = await fake.wait_for_call(lambda c: c in run.posts_in(thread) and "kept:" in content_of(c))
            assert content_of(kept) == "Pledge #1 (cy) kept: Answer one newcomer question a week"
            snapshot = await service.snapshot_of(1)
            assert snapshot.pledges[0].status == "done"
            # Someone else's click from their own DM can't reach it (Discord delivers only the owner's).
            await asyncio.sleep(0.1)
            assert len(fake.direct_messages(cy)) == 1  # one follow-up, not repeated
            assert unsafe_mentions(fake.calls) == []
        finally:
            stop.set()
            await asyncio.wait_for(worker, 10)


async def test_a_facilitator_pledges_for_someone_who_gets_a_dm_with_drop(
    fake: FakeDiscord, guild: FakeGuild, database_url: str
) -> None:
    di = guild.member("di")
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start", title="Pledges")
        thread = run.thread_of_intro(guild)
        await run.slash(guild, "di", "join", level="veteran")
        await run.slash(guild, "bo", "pledge make", text="Host the next session", person=di)
        told = await fake.wait_for_call(lambda c: c in fake.direct_messages(di))
        assert "bo pledged for you in Pledges" in content_of(told)
        assert [label for label, _ in _buttons(told)] == ["Done", "Drop"]
        drop = next(custom for label, custom in _buttons(told) if label == "Drop")
        await run.finished(await fake.dm_click(di, drop, int(told.answer["id"])))
        await fake.wait_for_call(lambda c: c in run.posts_in(thread) and "dropped:" in content_of(c))
        assert (await run.app.service.snapshot_of(1)).pledges[0].status == "dropped"
        assert unsafe_mentions(fake.calls) == []


async def test_the_next_intro_reviews_open_pledges_in_its_embed(
    fake: FakeDiscord, guild: FakeGuild, database_url: str
) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start", title="First")
        await run.slash(guild, "cy", "join", level="newcomer")
        await run.slash(guild, "cy", "pledge make", text="Share **one** link a week @everyone")
        await run.slash(guild, "bo", "end")
        before = len(run.posts_in(guild.channel_id))
        await run.slash(guild, "bo", "start", title="Second")
        (intro, *_) = run.posts_in(guild.channel_id)[before:]
        fields = {f["name"]: f["value"] for embed in intro.json["embeds"] for f in embed.get("fields", [])}
        review = fields["Pledges still open from earlier sessions here"]
        assert "session 1, #1 from cy: Share \\*\\*one\\*\\* link a week" in review  # markdown escaped
        assert intro.json["allowed_mentions"] == {"parse": []} and unsafe_mentions(fake.calls) == []
