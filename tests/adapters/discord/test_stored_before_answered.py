"""Issue 15, item 5 on Discord: a vote is stored before the bot's first answer (the defer)
reaches Discord, so a bot that dies right after answering has kept the vote. The fake calls
back as each first answer arrives, and the test reads the database file at that moment."""

from __future__ import annotations

import sqlite3

from tests.adapters.discord.conftest import running_bot
from tests.fakes.discord_model import FakeGuild
from tests.fakes.discord_server import FakeDiscord

DEFERRED = 5


async def test_a_vote_is_in_the_database_when_its_defer_reaches_discord(fake: FakeDiscord, guild: FakeGuild,
                                                                        database_url: str) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start")
        for text in ("Say thanks", "Ask first"):
            await run.slash(guild, "cy", "do", text=text)
        await run.slash(guild, "bo", "next")
        seen: dict[int, int] = {}  # interaction id -> votes in the database as its defer arrived
        path = database_url.removeprefix("sqlite:///")

        def count_votes(interaction: int, kind: object) -> None:
            if kind == DEFERRED:
                with sqlite3.connect(path) as connection:
                    seen[interaction] = int(connection.execute("SELECT count(*) FROM votes").fetchone()[0])

        fake.on_callback.append(count_votes)
        for n, who in enumerate(("di", "ed"), start=1):
            custom_id, message_id = run.button(run.thread_of_intro(guild), f"pln:v:1:{n}")
            payload = await fake.click(guild, who, custom_id, message_id)
            await run.finished(payload)
            assert seen[int(payload["id"])] == n  # this vote, stored before the answer
