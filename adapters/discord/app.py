"""Entry points the CLI calls: `facilitator run --platform discord` and `facilitator discord-invite`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

import discord

from adapters.board.runtime import Boards
from adapters.discord.bot import FacilitatorBot
from adapters.discord.settings import DiscordSettings
from adapters.discord.invite import application_id_from_token, invite_url
from adapters.discord.timed import TimedPhases
from adapters.pacing import slots_for
from facilitator.bootstrap import FacilitatorApp, open_app
from facilitator.config import Config

log = logging.getLogger(__name__)


def build_bot(settings: DiscordSettings, app: FacilitatorApp, cls: type[FacilitatorBot] = FacilitatorBot,
              **options: Any) -> FacilitatorBot:
    # Route.BASE is discord.py's documented knob for the REST base URL (e.g. a rate-limit proxy).
    discord.http.Route.BASE = settings.api_base
    return cls(
        app.service,
        app.service.context.templates,
        guild_id=settings.guild_id,
        message_content=settings.message_content,
        shard_count=settings.shard_count,
        shard_ids=settings.shard_ids,
        work_slots=slots_for(app.db),
        **options,
    )


async def run(config: Config, settings: DiscordSettings) -> None:
    """Runs the bot until SIGINT or SIGTERM, then closes the gateway and the database."""
    if not settings.token:
        raise SystemExit("DISCORD_TOKEN is not set: see Run it on your Discord server in the README")
    app = await open_app(config.database_url, templates_dir=config.templates_dir, public_url=config.public_url)
    bot = build_bot(settings, app)
    boards = Boards(app.service)
    await boards.serve(config.host, config.port)
    loop = asyncio.get_running_loop()
    stops = (signal.SIGINT, signal.SIGTERM)
    for signum in stops:
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(signum, lambda: asyncio.ensure_future(bot.close()))
    stop_timers = asyncio.Event()
    timers = asyncio.create_task(app.service.run_timers(TimedPhases(bot, app.service).post, stop_timers))
    try:
        async with bot:
            await bot.start(settings.token)
    finally:
        stop_timers.set()
        await asyncio.gather(timers, return_exceptions=True)
        await boards.close()
        for signum in stops:
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(signum)
        await app.close()
        log.info("discord bot stopped")


def invite(settings: DiscordSettings) -> str:
    if not settings.token:
        raise SystemExit("DISCORD_TOKEN is not set: the invite link needs the bot's application id")
    return invite_url(application_id_from_token(settings.token))
