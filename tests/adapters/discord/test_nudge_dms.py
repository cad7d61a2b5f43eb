"""`/pln nudge` on Discord: each reminder reaches its person by direct message (an ephemeral
message shows only to whoever ran the command), and the facilitator sees only counts."""

from __future__ import annotations

from tests.adapters.discord.conftest import content_of, dms_by_name, running_bot, wait_for_dms
from tests.fakes.discord_mentions import unsafe_mentions
from tests.fakes.discord_model import FakeGuild
from tests.fakes.discord_server import FakeDiscord

REMINDER = ("A reminder before voting closes in Nudges: you have {} left. `/pln vote N` spends one. "
            "(`/pln quiet` stops these reminders.)")


async def test_nudge_reminds_people_with_votes_left_by_dm_and_tells_the_facilitator_counts(
    fake: FakeDiscord, guild: FakeGuild, database_url: str
) -> None:
    cy, di, ed, fay, gus = (guild.member(n) for n in ("cy", "di", "ed", "fay", "gus"))
    fake.refuse_dms(cy)  # a refused DM stops nobody else
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start", title="Nudges")
        thread = run.thread_of_intro(guild)
        # Open tallies: the reminders may say how many votes are left (blind: tests/app/test_nudges.py).
        await run.slash(guild, "bo", "settings", changes="blind=off")
        for who, text in (("cy", "Give before you ask"), ("di", "Keep a learning journal"),
                          ("ed", "Share what you learn")):
            await run.slash(guild, who, "do", text=text)
        await run.slash(guild, "fay", "join", level="veteran")
        await run.slash(guild, "gus", "join", level="newcomer")
        await run.slash(guild, "bo", "next")
        await run.slash(guild, "ed", "vote", item=1, more="2 3")  # no votes left: not reminded
        await run.slash(guild, "di", "vote", item=1)
        await run.slash(guild, "fay", "quiet")  # opted out
        before = len(run.posts_in(thread))

        (answer,) = await run.slash(guild, "bo", "nudge")
        assert answer.json["flags"] == 64
        assert content_of(answer) == "4 people have votes left: reminded 3 privately (1 opted out with `/pln quiet`)."
        await wait_for_dms(fake, gus, 1)
        assert dms_by_name(fake, guild) == {
            "cy": [REMINDER.format("3 votes")],  # sent, and refused with 403 / 50007
            "di": [REMINDER.format("2 votes")],
            "gus": [REMINDER.format("3 votes")],
        }
        assert all(c.json["allowed_mentions"] == {"parse": []} for m in (cy, di, gus) for c in fake.direct_messages(m))
        assert fake.direct_messages(ed) == [] and fake.direct_messages(fay) == []
        assert run.posts_in(thread)[before:] == []  # nothing of it in the thread
        assert unsafe_mentions(fake.calls) == []
