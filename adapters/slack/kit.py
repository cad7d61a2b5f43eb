"""What every Slack listener works with: the service, who people are, the outbox, the work
slots, and the database's memory of requests already handled."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from adapters.slack.deliver import Outbox
from adapters.slack.guard import guarded
from adapters.slack.people import People
from facilitator import commands as cmd
from facilitator.app.service import FacilitationService
from facilitator.domain.actors import Actor, Place
from facilitator.replies import Reply
from facilitator.store.unavailable import database_unavailable

log = logging.getLogger(__name__)


def request_key(body: dict[str, Any]) -> str | None:
    """One slash command, click, modal submission or shortcut: its trigger_id, which Slack
    issues once per request. Slack never retries these, so the same signed body again within
    its 5 minutes is a replay (PLATFORMS.md)."""
    trigger = body.get("trigger_id")
    return f"slack:trigger:{trigger}" if trigger else None


@dataclass
class Kit:
    service: FacilitationService
    people: People
    outbox: Outbox
    slots: asyncio.Semaphore  # the database work of requests, a few at a time (adapters/pacing.py)
    _later: set[asyncio.Task[None]] = field(default_factory=set)

    def later(self, work: Awaitable[object], name: str) -> None:
        """Run `work` after the listener has returned, so the HTTP answer goes now (the app runs
        with process_before_response: Bolt answers when the listener returns, and waits for no
        delivery)."""
        task = asyncio.ensure_future(guarded(work, name))
        self._later.add(task)  # a reference, or the task may be collected mid-delivery
        task.add_done_callback(self._later.discard)

    async def handle_once(self, key: str | None, actor: Actor, place: Place, command: cmd.Command) -> list[Reply]:
        """The command's replies, or none when another delivery of the request was handled: the
        claim commits with the command's first write (facilitator/store/claims.py)."""
        return await self.service.handle_once(key, actor, place, command) or []

    async def first_time(self, key: str | None) -> bool:
        """True for the first delivery of `key` on any bot process (remembered in the database).
        Without a database nothing can be claimed: the work goes on, and the service answers
        that it is unavailable."""
        if key is None:
            return True
        try:
            return await self.service.claim_event(key)
        except Exception as exc:
            if not database_unavailable(exc):
                raise
            log.warning("database unavailable while claiming a Slack request: %s", type(exc).__name__)
            return True
