"""A real Discord bot process (`facilitator run --platform discord`, against the fake Discord)
serves live boards on FACILITATOR_HOST:FACILITATOR_PORT, and `/pln board` answers privately."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import aiohttp

from tests.adapters.discord.conftest import Running, content_of
from tests.fakes.discord_server import FakeDiscord
from tests.reliability.processes import START_TIMEOUT, discord_bot, free_port, poll

LINK = re.compile(r"http://127\.0\.0\.1:(\d+)/board/[A-Za-z0-9_-]+")


async def test_a_discord_bot_serves_its_boards(tmp_path: Path) -> None:
    fake = FakeDiscord(shard_count=1)
    await fake.start()
    guild = fake.add_guild("learning circle", [("bo", False), ("cy", False)])
    bot = discord_bot("discord", tmp_path, f"sqlite:///{tmp_path / 'f.db'}", fake.api_base)
    port = free_port()
    bot.settings |= {"FACILITATOR_HOST": "127.0.0.1", "FACILITATOR_PORT": str(port)}
    run = Running(fake, bot=None, app=None)  # type: ignore[arg-type]  # only its fake-side helpers are used
    try:
        await bot.start()

        async def identified() -> bool:
            return bool(fake.shards)

        await poll(identified, "the bot to connect", START_TIMEOUT, alive=[bot])
        await run.slash(guild, "bo", "start", title="On Discord")
        answer = content_of((await run.slash(guild, "bo", "board"))[-1])
        found = LINK.search(answer)
        assert found and found.group(1) == str(port), answer
        async with aiohttp.ClientSession() as http:
            stream = await http.get(found.group(0) + "/events")
            assert stream.status == 200
            await run.slash(guild, "cy", "do", text="Seen from Discord")
            seen = b""
            while b"Seen from Discord" not in seen:
                seen = await asyncio.wait_for(stream.content.readuntil(b"\n\n"), 10)
            stream.close()
    finally:
        await bot.stop()
        await fake.stop()
