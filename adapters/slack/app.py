"""Builds the Bolt app: one workspace with SLACK_BOT_TOKEN, or many through OAuth with
installations and OAuth state kept in our own database."""

from __future__ import annotations

import logging

import aiohttp
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.courier import stop_courier, tier4
from adapters.slack.handlers import register
from adapters.slack.settings import SlackSettings
from facilitator.app.service import FacilitationService
from facilitator.config import ConfigError

log = logging.getLogger(__name__)


class _TokenInOurClient(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment by itself and, because we hand it a client
    (which carries that same token, our base URL, retries and one HTTP session), warns on every
    start that the token "will be unused". That is the set-up we chose, not news for the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


_BOLT_APP_LOG = logging.getLogger(f"slack_bolt.{AsyncApp.__name__}")  # Bolt's own logger for the app
if not any(isinstance(f, _TokenInOurClient) for f in _BOLT_APP_LOG.filters):
    _BOLT_APP_LOG.addFilter(_TokenInOurClient())

# What the bot needs and no more: the /pln command, posting, thread replies in public and
# private channels (for DO:/DON'T: capture), mentions of the bot (commands in threads, where
# Slack runs no slash command), names and admin flags, and export uploads.
BOT_SCOPES = ["commands", "chat:write", "channels:history", "groups:history", "app_mentions:read", "users:read",
              "files:write"]
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
EVENTS_PATH = "/slack/events"
# Bolt answers Slack when a listener returns, not when it calls ack(). Our listeners store first,
# then ack and return, and leave the deliveries to run after the answer (Kit.later). Without it
# Bolt polls every 10 ms for each request whose ack waits on the database: in a burst of 1,500
# clicks, 50 at a time, that was a third of the event loop's time.
PROCESS_BEFORE_RESPONSE = True
RATE_LIMIT_RETRIES = 3  # each waits what Retry-After says
SERVER_ERROR_RETRIES = 2  # 500 and 503, with backoff
OAUTH_STATE_SECONDS = 600


def web_client(slack: SlackSettings, token: str | None = None, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    base_url = slack.api_url if slack.api_url.endswith("/") else slack.api_url + "/"
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        session=session,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=1),
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            AsyncServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
        ],
    )


async def close_client(app: AsyncApp) -> None:
    """Stop the app's outbox courier (what it was sending waits in the database for the next
    start) and close the HTTP session build_app gave the app's Web API client (once; later
    calls do nothing)."""
    await stop_courier(app)
    session = app.client.session
    if session is not None and not session.closed:
        await session.close()


async def build_app(slack: SlackSettings, service: FacilitationService, engine: AsyncEngine) -> AsyncApp:
    # One keep-alive HTTP session for every Web API call (Bolt hands it to each request's client).
    # Without it slack_sdk opens a new session, and a new connection, per call: at a burst of
    # clicks that cost a quarter of our acks (bench figure 4). close_client() closes it.
    session = aiohttp.ClientSession()
    if slack.uses_oauth:
        assert slack.client_id is not None and slack.client_secret is not None
        installations = AsyncSQLAlchemyInstallationStore(client_id=slack.client_id, engine=engine)
        states = AsyncSQLAlchemyOAuthStateStore(expiration_seconds=OAUTH_STATE_SECONDS, engine=engine)
        # create_all only adds missing tables, so every process may run it at start.
        await installations.create_tables()  # type: ignore[no-untyped-call]
        await states.create_tables()  # type: ignore[no-untyped-call]
        settings = AsyncOAuthSettings(
            client_id=slack.client_id,
            client_secret=slack.client_secret,
            scopes=BOT_SCOPES,
            installation_store=installations,
            state_store=states,
            install_path=INSTALL_PATH,
            redirect_uri_path=REDIRECT_PATH,
        )
        client = web_client(slack, session=session)
        app = AsyncApp(
            signing_secret=slack.signing_secret or "",
            client=client,
            process_before_response=PROCESS_BEFORE_RESPONSE,
            installation_store=installations,
            oauth_settings=settings,
            # Authorising runs before our ack: the token is still read from the database on
            # every request (so an uninstall takes effect at once), but its auth.test answer
            # is cached, sparing a round trip to Slack inside the 3 s.
            # (Bolt accepts an AsyncAuthorize instance here although its annotation says callable.)
            authorize=AsyncInstallationStoreAuthorize(  # type: ignore[arg-type]
                installation_store=installations, client_id=slack.client_id,
                client_secret=slack.client_secret, cache_enabled=True, logger=log, client=client,
            ),
        )
    else:
        if not slack.bot_token:
            raise ConfigError("Slack needs SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth).")
        app = AsyncApp(signing_secret=slack.signing_secret or "", client=web_client(slack, slack.bot_token, session),
                       process_before_response=PROCESS_BEFORE_RESPONSE)
    register(app, service, uninstall_listeners=not slack.uses_oauth, budgets=tier4(slack.tier4_per_minute))
    if slack.uses_oauth:  # after ours: Bolt tries listeners in order, and clicks are the bursts
        app.enable_token_revocation_listeners()  # app_uninstalled, tokens_revoked delete the tokens
    return app
