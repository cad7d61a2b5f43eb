"""Runs the Slack app: HTTP on FACILITATOR_HOST:FACILITATOR_PORT (/slack/events, plus the
OAuth pages when OAuth is on), or Socket Mode when SLACK_APP_TOKEN is set."""

from __future__ import annotations

import asyncio
import errno
import logging
import signal
from dataclasses import dataclass

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from adapters.board.runtime import Boards
from adapters.board.server import SHUTDOWN_TIMEOUT_S, RedactingAccessLogger
from adapters.slack.app import EVENTS_PATH, build_app, close_client
from adapters.slack.courier import courier_for
from adapters.slack.http import events_app
from adapters.slack.settings import SlackSettings
from adapters.slack.timed import SlackTimedPhases
from adapters.slow_clients import BODY_TIMEOUT_S, HEAD_TIMEOUT_S, KEEPALIVE_TIMEOUT_S, GuardedSite
from facilitator.bootstrap import FacilitatorApp, open_app
from facilitator.config import Config, ConfigError

log = logging.getLogger(__name__)
_BIND_FAILURES = {
    errno.EADDRINUSE: "the port is already in use",
    errno.EADDRNOTAVAIL: "this machine has no such address",
    errno.EACCES: "permission denied (ports below 1024 need privileges)",
}


@dataclass
class HttpServer:
    runner: web.AppRunner
    port: int

    async def close(self) -> None:
        await self.runner.cleanup()


async def serve_http(app: AsyncApp, host: str, port: int, signing_secret: str, boards: Boards | None = None,
                     head_timeout_s: float = HEAD_TIMEOUT_S, body_timeout_s: float = BODY_TIMEOUT_S) -> HttpServer:
    """/slack/events, and /slack/install + /slack/oauth_redirect with OAuth (http.py, which checks
    signatures before anything reads a body); with `boards`, the live boards too (/board/...)."""
    web_app = events_app(app, EVENTS_PATH, signing_secret)
    if boards is not None:
        boards.add_routes(web_app)

    async def close_slack_client(_: web.Application) -> None:
        await close_client(app)  # the server was the last user of the app's Web API session

    web_app.on_cleanup.append(close_slack_client)
    # Slow clients are cut off (slow_clients.py); board tokens never reach the access log.
    runner = web.AppRunner(web_app, access_log_class=RedactingAccessLogger, keepalive_timeout=KEEPALIVE_TIMEOUT_S,
                           shutdown_timeout=SHUTDOWN_TIMEOUT_S)
    await runner.setup()
    site = GuardedSite(runner, host, port, head_timeout_s, body_timeout_s)
    try:
        await site.start()
    except OSError as exc:  # the port is taken, or the address isn't this machine's
        await runner.cleanup()
        reason = _BIND_FAILURES.get(exc.errno or 0, exc.strerror or str(exc))
        raise ConfigError(f"Can't listen on {host}:{port}: {reason}.",
                          "Stop whatever uses that port, or set FACILITATOR_HOST/FACILITATOR_PORT.") from None
    if boards is not None:
        boards.served_at(host, site.port)
    return HttpServer(runner, site.port)  # the real port when asked for port 0


async def check_token(app: AsyncApp) -> None:
    """Fail at start, with a plain message, rather than on the first command."""
    try:
        identity = await app.client.auth_test()
    except SlackApiError as exc:
        raise ConfigError(
            f"Slack refused SLACK_BOT_TOKEN ({exc.response.get('error')}).",
            "Copy the Bot User OAuth Token (xoxb-...) again from the app's Install App page.",
        ) from None
    except (aiohttp.ClientError, OSError) as exc:
        raise ConfigError(f"Can't reach the Slack API at {app.client.base_url}: {exc}.",
                          "Check the network, or SLACK_API_URL.") from None
    log.info("Slack bot %s in workspace %s", identity.get("user_id"), identity.get("team"))


def stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def run(
    config: Config, slack: SlackSettings, stop: asyncio.Event | None = None, facilitator: FacilitatorApp | None = None
) -> None:
    """Runs the Slack app until `stop` is set (by default: until SIGINT or SIGTERM) or the task
    is cancelled. Opens the core on config.database_url unless `facilitator` is given."""
    if not slack.app_token and not slack.signing_secret:
        raise ConfigError("HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode).")
    stop = stop or stop_on_signals()
    owned = facilitator is None
    core = facilitator or await open_app(config.database_url, templates_dir=config.templates_dir,
                                         public_url=config.public_url)
    timers: asyncio.Task[None] | None = None
    app: AsyncApp | None = None
    boards = Boards(core.service)
    try:
        app = await build_app(slack, core.service, core.db.engine)
        if not slack.uses_oauth:
            await check_token(app)
        # Replies an earlier run (or a process that died) left waiting go out; close_client stops it.
        courier_for(app, core.service).start(keep_polling=True)
        timers = asyncio.create_task(
            core.service.run_timers(SlackTimedPhases(app, core.service, slack).post, stop), name="timers"
        )
        if slack.app_token:
            if slack.uses_oauth:
                log.warning("Socket Mode serves no /slack/install page: unset SLACK_APP_TOKEN to install through OAuth")
            await boards.serve(config.host, config.port)  # Socket Mode needs no port of its own
            handler = AsyncSocketModeHandler(app, slack.app_token)
            await handler.connect_async()  # type: ignore[no-untyped-call]
            log.info("Slack app connected in Socket Mode")
            try:
                await stop.wait()
            finally:
                await handler.close_async()  # type: ignore[no-untyped-call]
        else:
            await boards.start_relay()
            server = await serve_http(app, config.host, config.port, slack.signing_secret or "", boards)
            oauth = " (OAuth install at /slack/install)" if slack.uses_oauth else ""
            log.info("Slack app listening on %s:%s%s%s", config.host, server.port, EVENTS_PATH, oauth)
            try:
                await stop.wait()
            finally:
                await boards.close()  # ends the board streams, which the server would wait for
                await server.close()
    finally:
        if timers is not None:
            timers.cancel()  # a fire cut short rolls back: its deadline fires on the next run
            await asyncio.gather(timers, return_exceptions=True)
        await boards.close()
        if app is not None:
            await close_client(app)
        if owned:
            await core.close()

