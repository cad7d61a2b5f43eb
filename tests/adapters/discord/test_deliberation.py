"""Deliberation through discord.py against the fake Discord: predictions while voting, the
agenda and its items in the thread (/pln discuss ...), notes by command and by NOTE: reply, a
second round with vote buttons, and the export that holds it all."""

from __future__ import annotations

from tests.adapters.discord.conftest import Running, content_of, running_bot
from tests.fakes.discord_mentions import unsafe_mentions
from tests.fakes.discord_model import FakeGuild
from tests.fakes.discord_server import FakeDiscord

# bo facilitates. Newcomers cy, di, ed; veterans fay, gus.
LEVELS = {"cy": "newcomer", "di": "newcomer", "ed": "newcomer", "fay": "veteran", "gus": "veteran"}


async def answer(run: Running, guild: FakeGuild, who: str, sub: str, **options: object) -> str:
    """The ephemeral answer to one slash command (its last follow-up)."""
    followups = await run.slash(guild, who, sub, **options)
    return content_of(followups[-1])


async def vote(run: Running, guild: FakeGuild, who: str, number: int) -> None:
    custom_id, message_id = next((b[1], b[2]) for b in reversed(run.buttons(run.thread_of_intro(guild)))
                                 if b[1] == f"pln:v:1:{number}")  # the latest round's buttons
    followups = await run.click(guild, who, custom_id, message_id)
    assert f"Voted for #{number}" in content_of(followups[-1])


async def test_a_workshop_deliberates_on_discord(fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    async with running_bot(fake, database_url, message_content=True) as run:
        await run.slash(guild, "bo", "start", title="Deliberation")
        thread = run.thread_of_intro(guild)
        await run.slash(guild, "bo", "settings", changes="predict=on")
        assert "predictions on" in content_of(run.posts_in(thread)[-1])
        for who, level in LEVELS.items():
            await run.slash(guild, who, "join", level=level)
        await run.slash(guild, "cy", "do", text="Follow five people")
        await run.slash(guild, "fay", "do", text="Write in public weekly")
        await run.slash(guild, "bo", "next")

        # Round 1: newcomers back #1, veterans #2; everyone predicts #1.
        for who in ("cy", "di", "ed"):
            await vote(run, guild, who, 1)
        for who in ("fay", "gus"):
            await vote(run, guild, who, 2)
        for who in LEVELS:
            assert "Your prediction for round 1: #1." in await answer(run, guild, who, "predict", item=1)
        # Nothing about predictions reaches the thread while voting is open.
        assert not any("prediction" in content_of(c).lower() and "Your" in content_of(c) for c in run.posts_in(thread))
        assert "Your prediction for round 1: #1" in await answer(run, guild, "gus", "status")

        await run.slash(guild, "bo", "next")
        posted = "\n".join(content_of(c) for c in run.posts_in(thread))
        # 5 voters, 5 predictions of #1: #2 is backed by 2/5 and predicted by none.
        assert "#2 Write in public weekly — backed by 40% of voters, predicted by 0%: +40 pts" in posted

        await run.slash(guild, "bo", "discuss agenda", order="unshared")
        agenda = content_of(run.posts_in(thread)[-1])
        assert "1. #1 DO: Follow five people — mostly newcomer support: 3 of 3 (100%)" in agenda
        await run.slash(guild, "bo", "discuss next", timebox="5m")
        item = content_of(run.posts_in(thread)[-1])
        assert item.startswith("Now discussing #1 (item 1 of 2, one level's knowledge first)")
        assert "Question: This came mostly from the newcomer level" in item and "Timebox: 5 min" in item
        assert "Noted on #1" in await answer(run, guild, "bo", "discuss note", text="Newcomers follow people first")
        assert "Only the session's facilitators" in await answer(run, guild, "cy", "discuss note", text="Me too")

        # A NOTE: reply in the thread: kept from the facilitator, chat from anyone else.
        await fake.post_message(guild, "cy", thread, "NOTE: just chatting")
        await fake.post_message(guild, "bo", thread, "NOTE: Try it for a month")
        await fake.wait_for_call(lambda c: c.path == f"/channels/{thread}/messages" and "Noted on #1" in content_of(c))

        before = len(run.posts_in(thread))
        await run.slash(guild, "bo", "discuss revote")
        opened = "\n".join(content_of(c) for c in run.posts_in(thread)[before:])
        assert "Round 2 is open" in opened and "Follow five people" in opened  # the items, with fresh vote buttons
        # Round 2: two newcomers were persuaded by the veterans.
        for who, number in (("cy", 2), ("di", 2), ("ed", 1), ("fay", 2), ("gus", 2)):
            await vote(run, guild, who, number)
        before = len(run.posts_in(thread))
        await run.slash(guild, "bo", "next")
        results = "\n".join(content_of(c) for c in run.posts_in(thread)[before:])
        assert "Round 2 compared with round 1" in results
        assert "#2 Write in public weekly — 2 → 4 (+2): newcomer +2" in results
        await run.slash(guild, "bo", "end")
        document = await run.export_json(guild, who="ed")
        assert unsafe_mentions(fake.calls) == []

    assert document["session"]["round"] == 2 and document["session"]["agenda"] == "unshared"
    assert [r["votes"] for r in document["rounds"]] == [{"1": 3, "2": 2}, {"1": 1, "2": 4}]
    assert {i["number"]: i["surprise"] for i in document["items"]} == {1: -0.4, 2: 0.4}  # from round 1
    assert document["discussion"] == [{
        "number": 1, "reason": "unshared", "started_at": document["discussion"][0]["started_at"], "timebox_seconds": 300,
        "notes": [{"text": "Newcomers follow people first", "author": "bo", "at": document["discussion"][0]["notes"][0]["at"]},
                  {"text": "Try it for a month", "author": "bo", "at": document["discussion"][0]["notes"][1]["at"]}]}]
