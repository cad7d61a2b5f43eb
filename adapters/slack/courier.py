"""Slack's side of the outbox (adapters/outbox): private notices sent with chat.postEphemeral
at Tier 4, merged per person while they wait, answered on the request's response_url when the
bot can't post in the channel, and dropped (logged, counted) when Slack will never take them.

Each Bolt app has one courier (`courier_for`); close_client stops it.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler, AsyncServerErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.outbox.budgets import Budget, Budgets
from adapters.outbox.courier import Courier, Delivered, Dropped, Later, Outcome
from adapters.slack.tenancy import bot_token_for
from facilitator.app.outbox import Letter, Queued
from facilitator.app.service import FacilitationService

log = logging.getLogger(__name__)
PLATFORM = "slack"
EPHEMERAL = "chat.postEphemeral"
# Slack's published tiers (PLATFORMS.md): Tier 4 is "100+ a minute". Slack publishes no bucket
# size; a whole minute's worth at once is the most a one-minute window allows. We keep a tenth of
# that burst in reserve for the calls that don't pass through this bucket (a reply that can't use
# its response_url, another process of the same app), so a burst doesn't meet a 429 by one call;
# the refill rate stays the tier's, and a 429 still corrects us.
RESERVE = 0.1


def tier4(per_minute: float) -> dict[str, Budget]:
    """The budgets for a workspace whose Tier 4 allows `per_minute`."""
    return {EPHEMERAL: Budget(per_minute, per_minute * (1 - RESERVE))}


TIER_4 = tier4(100)[EPHEMERAL]
SLACK_BUDGETS: dict[str, Budget] = {EPHEMERAL: TIER_4}
# An ephemeral answers something a person just did: past a response_url's life (30 minutes) it
# would only confuse, and the response_url fallback could not carry it either.
NOTICE_LIFETIME = timedelta(minutes=30)
NOT_A_MEMBER = ("not_in_channel", "channel_not_found")
MAX_BLOCKS = 50  # a message's limit: merged notices stay within it
_DIVIDER: dict[str, Any] = {"type": "divider"}
TOKEN_SECONDS = 60.0
SERVER_ERROR_PAUSE = 5.0  # an OAuth install's token read from the database, kept this long

_couriers: weakref.WeakKeyDictionary[AsyncApp, Courier] = weakref.WeakKeyDictionary()


def notice_letter(tenant: str, channel: str, user: str, body: dict[str, Any], now: datetime,
                  thread: str | None = None, fallback_url: str | None = None) -> Letter:
    return Letter(PLATFORM, tenant, EPHEMERAL, channel, body, now + NOTICE_LIFETIME, user, thread, fallback_url)


def merge_notices(queued: Sequence[Queued]) -> list[tuple[list[Queued], dict[str, Any]]]:
    """What waits for one person in one place becomes one message, in order, within 50 blocks."""
    groups: dict[tuple[str, str | None, str | None], list[list[Queued]]] = {}
    order: list[list[Queued]] = []
    for q in queued:
        key = (q.letter.channel, q.letter.recipient, q.letter.thread)
        runs = groups.setdefault(key, [])
        blocks = len(q.letter.body.get("blocks") or [])
        if runs and sum(len(x.letter.body.get("blocks") or []) + 1 for x in runs[-1]) + blocks <= MAX_BLOCKS:
            runs[-1].append(q)
        else:
            runs.append([q])
            order.append(runs[-1])
    return [(group, _combined(group)) for group in order]


def _combined(group: Sequence[Queued]) -> dict[str, Any]:
    if len(group) == 1:
        return group[0].letter.body
    blocks: list[Any] = []
    for q in group:
        if blocks:
            blocks.append(_DIVIDER)
        blocks += q.letter.body.get("blocks") or []
    text = "\n\n".join(str(q.letter.body.get("text") or "") for q in group)
    return {"text": text, "blocks": blocks}


class SlackSender:
    """One chat.postEphemeral, with no retry hidden inside it: a 429 comes back to the courier,
    which closes the lane for Retry-After instead of sleeping in the call."""

    def __init__(self, bolt: AsyncApp) -> None:
        self.bolt = bolt
        self._tokens: dict[str, tuple[float, str | None]] = {}

    async def _client(self, tenant: str) -> AsyncWebClient | None:
        base = self.bolt.client
        token: str | None = base.token
        store = self.bolt.installation_store
        if store is not None:
            cached = self._tokens.get(tenant)
            if cached is None or time.monotonic() - cached[0] > TOKEN_SECONDS:
                cached = (time.monotonic(), await bot_token_for(store, tenant))
                self._tokens[tenant] = cached
            token = cached[1]
        if token is None:
            return None
        return AsyncWebClient(token=token, base_url=base.base_url, session=base.session,
                              retry_handlers=[AsyncConnectionErrorRetryHandler(max_retry_count=1),
                                              AsyncServerErrorRetryHandler(max_retry_count=2)])

    async def send(self, letter: Letter, body: dict[str, Any]) -> Outcome:
        client = await self._client(letter.tenant)
        if client is None:
            return Dropped("no installation")
        try:
            await client.chat_postEphemeral(channel=letter.channel, user=letter.recipient or "",
                                            thread_ts=letter.thread, **body)
        except SlackApiError as exc:
            if exc.response.status_code == 429:
                return Later(float(exc.response.headers.get("Retry-After", 1) or 0))
            if exc.response.status_code >= 500:  # still failing after the client's retries: later
                return Later(SERVER_ERROR_PAUSE, rate_limited=False)
            error = str(exc.response.get("error"))
            if error in NOT_A_MEMBER and letter.fallback_url:
                # Not a member of the channel: the request's response_url can still answer.
                return await self._respond(letter.fallback_url, body, error)
            return Dropped(error)
        return Delivered()

    @staticmethod
    async def _respond(url: str, body: dict[str, Any], error: str) -> Outcome:
        answer = await AsyncWebhookClient(url).send(response_type="ephemeral", **body)
        if answer.status_code == 429:
            return Later(float(answer.headers.get("Retry-After", 1) or 1))
        return Delivered() if answer.status_code == 200 else Dropped(f"{error}, then response_url {answer.status_code}")



def courier_for(bolt: AsyncApp, service: FacilitationService, budgets: dict[str, Budget] | None = None) -> Courier:
    """The app's courier, made on first use (`budgets` counts only then)."""
    courier = _couriers.get(bolt)
    if courier is None:
        courier = Courier(service.outbox, PLATFORM, Budgets(budgets or SLACK_BUDGETS), SlackSender(bolt).send,
                          merge_notices)
        _couriers[bolt] = courier
    return courier


async def stop_courier(bolt: AsyncApp) -> None:
    courier = _couriers.get(bolt)
    if courier is not None:
        await courier.stop()
