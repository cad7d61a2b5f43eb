"""The facilitation subcommands (timers, settings, moderation) through discord.py and the fake Discord server."""

from __future__ import annotations

from tests.adapters.discord.conftest import content_of, running_bot
from tests.fakes.discord_model import FakeGuild
from tests.fakes.discord_server import FakeDiscord


async def test_timer_settings_and_a_held_duplicate(fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start", title="Facilitation on Discord")
        thread = run.thread_of_intro(guild)
        # A malformed duration is refused by the core grammar, in the interaction's own response.
        payload = await fake.slash(guild, "bo", "timer", {"duration": "soon"})
        callback = f"/interactions/{payload['id']}/{payload['token']}/callback"
        refused = await fake.wait_for_call(lambda c: c.path == callback)
        assert "not a duration" in content_of(refused) and refused.json["data"]["flags"] == 64
        await run.slash(guild, "bo", "timer", duration="10m")
        await run.slash(guild, "bo", "settings", changes="votes=5 blind=off")
        posted = "\n".join(content_of(c) for c in run.posts_in(thread))
        assert "Collecting ends and voting opens in 10 min" in posted
        assert "Settings changed: 5 votes each" in posted
        await run.slash(guild, "cy", "do", text="Give before you ask")
        held = await run.slash(guild, "di", "do", text="give before you ask!")
        assert "looks like #1" in content_of(held[-1])
        assert held[-1].json["flags"] == 64  # ephemeral: only di sees it
        ids = [c["custom_id"] for row in held[-1].json.get("components", []) for c in row["components"]]
        assert ids[0] == "pln:v:1:1" and ids[1].startswith("pln:s:1:")
        posted = "\n".join(content_of(c) for c in run.posts_in(thread))
        assert "give before you ask!" not in posted  # held, not posted
        await run.slash(guild, "bo", "next", timer="5m")
        posted = "\n".join(content_of(c) for c in run.posts_in(thread))
        assert "Voting closes in 5 min" in posted


async def test_a_passed_deadline_is_posted_in_the_session_thread(
    fake: FakeDiscord, guild: FakeGuild, database_url: str
) -> None:
    from datetime import UTC, datetime, timedelta

    from adapters.discord.timed import TimedPhases

    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start", title="Timed on Discord")
        thread = run.thread_of_intro(guild)
        await run.slash(guild, "cy", "do", text="Give before you ask")
        await run.slash(guild, "bo", "timer", duration="1m")
        fired = await run.app.service.fire_due(datetime.now(UTC) + timedelta(minutes=2))
        assert [session_id for session_id, _ in fired] == [1]
        before = len(run.posts_in(thread))
        await TimedPhases(run.bot, run.app.service).post(*fired[0])
        posted = [content_of(c) for c in run.posts_in(thread)[before:]]
        assert posted[0] == "Time's up for collecting."
        assert posted[1].startswith("Voting is open.")
