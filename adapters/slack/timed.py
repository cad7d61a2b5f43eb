"""Posts what a passed deadline says (facilitator.app.timer_worker) into the session's Slack thread.

The worker runs beside the Bolt app in every bot process; the core claims each deadline
once, so each "Time's up" is posted once. Reminders before a deadline are ephemeral
messages to each person in the session's channel, like any other private reply.
"""

from __future__ import annotations

import logging

from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import web_client
from adapters.slack.courier import courier_for
from adapters.slack.deliver import Outbox, Where
from adapters.slack.settings import SlackSettings
from adapters.slack.tenancy import bot_token_for
from facilitator.replies import Reply
from facilitator.app.service import FacilitationService

log = logging.getLogger(__name__)


class SlackTimedPhases:
    def __init__(self, bolt: AsyncApp, service: FacilitationService, slack: SlackSettings) -> None:
        self.bolt = bolt
        self.service = service
        self.slack = slack
        self.outbox = Outbox(service, courier_for(bolt, service))

    async def post(self, session_id: int, replies: list[Reply]) -> None:
        found = await self.service.tenant_and_place(session_id)
        if found is None:
            return
        tenant, place = found
        client = await self._client(tenant)
        if client is None:
            log.warning("timed phase: no installation for %s", tenant)
            return
        await self.outbox.send(client, replies, Where(tenant, place.channel, place.thread, in_thread=True))

    async def _client(self, tenant: str) -> AsyncWebClient | None:
        store = self.bolt.installation_store
        if store is None:  # one workspace, one token
            return self.bolt.client
        token = await bot_token_for(store, tenant)
        return None if token is None else web_client(self.slack, token)
