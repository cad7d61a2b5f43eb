"""DISCORD_* settings reach the bot: API base, shards shared between processes."""

from __future__ import annotations

import asyncio
import os
import signal

import discord

from adapters.discord.app import build_bot, run
from facilitator.bootstrap import open_app
from adapters.discord.settings import discord_settings
from facilitator.config import load_config
from tests.fakes.discord_server import FakeDiscord


async def login_only(fake: FakeDiscord, database_url: str, shard_ids: str) -> list[str]:
    """Log in (REST only: setup_hook and command sync run here) the way one of several
    processes sharing the shards would, and return the sync calls it made."""
    previous = discord.http.Route.BASE
    env = {"DISCORD_TOKEN": fake.token, "DISCORD_API_BASE": fake.api_base + "/",
           "FACILITATOR_DATABASE_URL": database_url, "DISCORD_SHARD_COUNT": "4", "DISCORD_SHARD_IDS": shard_ids}
    config = load_config(env)
    app = await open_app(config.database_url)
    bot = build_bot(discord_settings(env), app)
    try:
        assert bot.shard_count == 4
        assert bot.shard_ids == [int(s) for s in shard_ids.split(",")]
        before = len(fake.calls)
        await bot.login(fake.token)
        return [c.path for c in fake.calls[before:] if c.method == "PUT"]
    finally:
        await bot.close()
        await app.close()
        discord.http.Route.BASE = previous


async def test_only_the_process_with_shard_zero_syncs_commands(fake: FakeDiscord, database_url: str) -> None:
    assert await login_only(fake, database_url, "2,3") == []
    assert await login_only(fake, database_url, "0,1") == [f"/applications/{fake.application_id}/commands"]
    assert fake.calls[0].path == "/users/@me"  # DISCORD_API_BASE (trailing slash and all) was used


async def test_run_serves_until_sigterm(fake: FakeDiscord, database_url: str) -> None:
    guild = fake.add_guild("server", [("ada", True)])
    previous = discord.http.Route.BASE
    env = {"DISCORD_TOKEN": fake.token, "DISCORD_API_BASE": fake.api_base, "FACILITATOR_DATABASE_URL": database_url}
    task = asyncio.create_task(run(load_config(env), discord_settings(env)))
    try:
        await fake.wait_for_shards()
        payload = await fake.slash(guild, "ada", "help")
        answer = await fake.wait_for_call(lambda c: c.path == f"/webhooks/{fake.application_id}/{payload['token']}")
        assert "/pln start" in answer.json["content"]
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(task, 10)  # returns: the gateway and the database were closed
    finally:
        task.cancel()
        discord.http.Route.BASE = previous
