"""Entry points the CLI calls: `facilitator run --platform discord` and `facilitator discord-invite`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

import aiohttp
import discord

from adapters.board.runtime import Boards
from adapters.discord.bot import FacilitatorBot
from adapters.discord.settings import DiscordSettings
from adapters.discord.invite import application_id_from_token, invite_url
from adapters.discord.timed import TimedPhases
from adapters.pacing import slots_for
from facilitator.bootstrap import FacilitatorApp, open_app
from facilitator.config import Config, ConfigError

log = logging.getLogger(__name__)
_README = 'Set it in the environment or in .env. See "Run it on your Discord server" in the README.'


def build_bot(settings: DiscordSettings, app: FacilitatorApp, cls: type[FacilitatorBot] = FacilitatorBot,
              **options: Any) -> FacilitatorBot:
    # Route.BASE is discord.py's documented knob for the REST base URL (e.g. a rate-limit proxy).
    discord.http.Route.BASE = settings.api_base
    # The bot never joins voice, so the voice libraries it lacks are no news: these flags are how
    # discord.py's maintainers say to silence that start-up warning (Rapptz/discord.py#9220).
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False
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
        raise ConfigError("Discord needs DISCORD_TOKEN (the bot's token).", _README)
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
            await _serve(bot, settings)
    finally:
        stop_timers.set()
        await asyncio.gather(timers, return_exceptions=True)
        await boards.close()
        for signum in stops:
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(signum)
        await app.close()
    log.info("discord bot stopped")  # only after a clean stop: a failure to start says why instead


async def _serve(bot: FacilitatorBot, settings: DiscordSettings) -> None:
    """Logs in and serves; what Discord refuses at login becomes the operator's error."""
    assert settings.token is not None
    try:
        await bot.start(settings.token)
    except discord.LoginFailure:
        raise ConfigError("Discord refused DISCORD_TOKEN (401 Unauthorized).",
                          "Reset the token in the Developer Portal (Bot > Reset Token) and copy it again.") from None
    except discord.PrivilegedIntentsRequired:
        raise ConfigError(
            "Discord refused the Message Content intent that DISCORD_MESSAGE_CONTENT=true asks for.",
            "Turn it on in the Developer Portal (Bot > Privileged Gateway Intents), or unset DISCORD_MESSAGE_CONTENT.",
        ) from None
    except aiohttp.ClientConnectionError as exc:
        raise ConfigError(f"Can't reach Discord at {settings.api_base}: {exc}.",
                          "Check the network, or DISCORD_API_BASE.") from None


def invite(settings: DiscordSettings) -> str:
    if not settings.token:
        raise ConfigError("DISCORD_TOKEN is not set: the invite link needs the bot's application id.", _README)
    return invite_url(application_id_from_token(settings.token))
