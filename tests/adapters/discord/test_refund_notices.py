"""Votes that come back on Discord: after `/pln hide` or `/pln merge`, each person whose votes
came back is told by direct message (an ephemeral message shows only to the person who acted),
someone who refuses DMs stops nobody else, and the facilitator's own answer is as before. With
open tallies each voter hears of their own votes; with blind voting one post in the thread tells
everyone alike (docs/ANONYMITY.md)."""

from __future__ import annotations

from tests.adapters.discord.conftest import Running, content_of, dms_by_name, running_bot, wait_for_dms
from tests.fakes.discord_mentions import unsafe_mentions
from tests.fakes.discord_model import FakeGuild
from tests.fakes.discord_server import FakeDiscord


async def test_hide_and_merge_tell_the_voters_by_dm(fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    ed, cy, di, gus = (guild.member(n) for n in ("ed", "cy", "di", "gus"))
    fake.refuse_dms(ed)  # ed votes first, so the refused DM comes before the others
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start", title="Refunds")
        thread = run.thread_of_intro(guild)
        await run.slash(guild, "bo", "settings", changes="votes=3 per-item=2 blind=off")
        for who, text in (("cy", "Give before you ask"), ("di", "Keep a learning journal"),
                          ("ed", "Share what you learn"), ("gus", "Answer one question a week")):
            await run.slash(guild, who, "do", text=text)
        await run.slash(guild, "bo", "next")
        await run.slash(guild, "ed", "vote", item=2, more="1 3")
        await run.slash(guild, "cy", "vote", item=2, more="2 1")
        await run.slash(guild, "di", "vote", item=2)
        await run.slash(guild, "gus", "vote", item=1, more="3")

        # Hide #2: ed, cy and di had votes on it.
        before = len(run.posts_in(thread))
        (answer,) = await run.slash(guild, "bo", "item hide", item=2)
        # A leading # would make a heading on Discord: the renderer escapes it.
        assert content_of(answer) == ("\\#2 is hidden from the lists and the summary. Its 4 votes went back "
                                      "to the voters. `/pln restore 2` brings it back.")
        assert answer.json["flags"] == 64
        await wait_for_dms(fake, di, 1)
        gone = "\\#2 was taken out of the lists, so your {} on it came back to you: {} left."
        assert dms_by_name(fake, guild) == {
            "ed": [gone.format("vote", 1)],  # sent, and refused with 403 / 50007
            "cy": [gone.format("2 votes", 2)],
            "di": [gone.format("vote", 3)],
        }
        assert run.posts_in(thread)[before:] == []  # nothing of it in the thread

        # Merge #3 into #1: ed and gus voted for both, and get one back; di's #3 vote only moves.
        await run.slash(guild, "di", "vote", item=3)
        before = len(run.posts_in(thread))
        (answer,) = await run.slash(guild, "bo", "item merge", keep=1, other=3)
        assert content_of(answer) == f"Done in <#{thread}>."
        assert [content_of(c) for c in run.posts_in(thread)[before:]] == [
            "\\#3 is merged into #1 (Give before you ask). Votes on #3 now count for #1; anyone who had "
            "voted for both got the extra vote back."]
        await wait_for_dms(fake, gus, 1)
        both = "You had voted for both #1 and #3, which are now one item, so 1 vote came back to you: {} left."
        assert dms_by_name(fake, guild) == {
            "ed": [gone.format("vote", 1), both.format(2)],
            "cy": [gone.format("2 votes", 2)],
            "di": [gone.format("vote", 3)],
            "gus": [both.format(2)],
        }

        for member in (ed, cy, di, gus):
            for call in fake.direct_messages(member):
                assert call.json["allowed_mentions"] == {"parse": []}
        assert "came back to you" not in "\n".join(content_of(c) for c in run.posts_in(thread))
        assert unsafe_mentions(fake.calls) == []
        assert await _used(run) == {"ed": 1, "cy": 1, "di": 1, "gus": 1}


async def _used(run: Running) -> dict[str, int]:
    async with run.app.db.read(run.app.service.context.clock()) as repo:
        return {p.name: p.votes_used for p in await repo.participants_of(1) if p.name in ("ed", "cy", "di", "gus")}


async def test_a_hide_during_blind_voting_tells_the_thread_not_the_voters(
    fake: FakeDiscord, guild: FakeGuild, database_url: str
) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start", title="Blind refunds")
        thread = run.thread_of_intro(guild)
        for who, text in (("cy", "Give before you ask"), ("di", "Keep a learning journal")):
            await run.slash(guild, who, "do", text=text)
        await run.slash(guild, "bo", "next")
        await run.slash(guild, "cy", "vote", item=2)  # di votes for nothing
        before = len(run.posts_in(thread))
        (answer,) = await run.slash(guild, "bo", "item hide", item=2)
        assert "Any votes on it went back to the voters." in content_of(answer)
        assert [content_of(c) for c in run.posts_in(thread)[before:]] == [
            "\\#2 was taken out of the lists. If you had voted for it, that vote came back to you: "
            "`/pln status` shows your votes left."]
        assert fake.dm_channels == {}  # who voted for #2 is nobody's to learn from a DM
