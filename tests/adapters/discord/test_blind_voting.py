"""Blind voting on Discord: an export during voting would post the running tallies into the thread
as a file for everyone, so the bot refuses it with an ephemeral follow-up and uploads nothing."""

from __future__ import annotations

from tests.adapters.discord.conftest import content_of, running_bot
from tests.fakes.discord_model import FakeGuild
from tests.fakes.discord_server import FakeDiscord

EPHEMERAL = 64


async def test_an_export_during_blind_voting_is_refused_privately_and_uploads_nothing(
    fake: FakeDiscord, guild: FakeGuild, database_url: str
) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start", title="Blind room")
        thread = run.thread_of_intro(guild)
        await run.slash(guild, "cy", "join", level="newcomer")
        await run.slash(guild, "cy", "do", text="Say thanks")
        await run.slash(guild, "bo", "next")
        await run.slash(guild, "di", "vote", item=1)

        before = len(fake.calls)
        # A participant and the facilitator, from the thread and from the channel.
        for who, fmt, where in (("di", "json", thread), ("bo", "md", thread), ("cy", "csv", guild.channel_id)):
            answers = await run.slash(guild, who, "export", channel_id=where, format=fmt)
            refusal = answers[-1]
            assert refusal.json["flags"] == EPHEMERAL
            assert "blind" in content_of(refusal) and "once voting closes" in content_of(refusal)
        await run.slash(guild, "di", "status", channel_id=thread)  # later: the refusals were all delivered
        later = fake.calls[before:]
        assert [c for c in later if c.files] == []
        public = [c.path for c in later if c.method == "POST" and c.path.startswith("/channels/")]
        assert public == []

        # Once voting closes the same command uploads the file into the thread, with the tallies.
        await run.slash(guild, "bo", "next")
        document = await run.export_json(guild, who="di")
    assert [i["votes"] for i in document["items"]] == [1]
