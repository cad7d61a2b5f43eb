"""Posts what a passed deadline says (facilitator.app.timer_worker) into the session's Discord thread.

The worker runs in every bot process; the core claims each deadline once, so each "Time's
up" is posted once. Private replies (reminders before a deadline) have no interaction to
answer, so they go as direct messages; someone who doesn't accept DMs simply misses one.
"""

from __future__ import annotations

import logging

import discord

from adapters.discord.delivery import send_direct, send_kwargs
from adapters.discord.direct import letters_for
from adapters.outbox.courier import Courier
from adapters.discord.render import render
from facilitator.replies import Reply
from facilitator.app.service import FacilitationService

log = logging.getLogger(__name__)


class TimedPhases:
    def __init__(self, client: discord.Client, service: FacilitationService) -> None:
        self.client = client
        self.service = service

    async def post(self, session_id: int, replies: list[Reply]) -> None:
        await self.client.wait_until_ready()
        found = await self.service.tenant_and_place(session_id)
        place = None if found is None else found[1]
        if place is None or place.thread is None:
            log.warning("timed phase: session %s has no thread to post in", session_id)
            return
        thread = self.client.get_partial_messageable(int(place.thread), type=discord.ChannelType.public_thread)
        dms = getattr(self.client, "dms", None)  # the bot's outbox courier for DMs (direct.py)
        tenant = found[0] if found is not None else ""
        for reply in replies:
            if reply.private_to is not None:
                if isinstance(dms, Courier):
                    await dms.deliver(letters_for(tenant, reply.private_to, reply, dms.queue.now()))
                else:
                    await send_direct(self.client, reply.private_to, reply)
                continue
            for out in render(reply):
                await thread.send(**send_kwargs(out))
