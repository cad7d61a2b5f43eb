"""The core's one entry for adapters: a command in, replies out; plus the few lookups adapters
need (threads, delivered events, recent sessions)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from facilitator import commands as cmd
from facilitator.app import boards, participation, reading, timer_worker
from facilitator.app.changes import Announcer, SessionWatcher
from facilitator.app.context import Context
from facilitator.app.dispatch import HANDLERS
from facilitator.app.outbox import OutboxQueue
from facilitator.domain.actors import Actor, Place
from facilitator.domain.errors import DomainError
from facilitator.domain.text_rules import clean_name
from facilitator.replies import ItemForm, Reply
from facilitator.replies import messages as msg
from facilitator.reports.board import BoardView
from facilitator.reports.snapshot import SessionSnapshot
from facilitator.store.claims import AlreadyClaimed, claiming
from facilitator.store.unavailable import database_unavailable

log = logging.getLogger(__name__)
CLAIMS_KEPT = timedelta(days=1)
UNAVAILABLE = "The bot can't reach its database right now (temporarily unavailable). Nothing was changed; please try again in a moment."


@dataclass(frozen=True)
class SessionListing:
    id: int
    title: str
    phase: str
    channel: str
    thread: str | None
    created_at: datetime


class FacilitationService:
    def __init__(self, context: Context, prune_every: int = 500) -> None:
        self.context = context
        self.prune_every = prune_every  # claims between two prunings of old ones
        self._claims = 0
        self.announcer = Announcer()
        self.outbox = OutboxQueue(context)  # replies waiting for a platform's rate limits

    def watch(self, watcher: SessionWatcher) -> None:
        """`watcher` hears of every session change this process commits (see app.changes)."""
        self.announcer.watchers.append(watcher)

    async def handle_text(self, actor: Actor, place: Place, text: str) -> list[Reply]:
        try:
            command = cmd.parse_message(text) if place.thread else cmd.parse_command(text)
        except cmd.ParseError as exc:
            return [msg.error(actor.user_id, exc.message)]
        if command is None:
            return []
        return await self.handle(actor, place, command)

    async def handle(self, actor: Actor, place: Place, command: cmd.Command) -> list[Reply]:
        actor = Actor(actor.tenant, actor.user_id, clean_name(actor.name), actor.is_admin)
        handler = HANDLERS[type(command)]
        try:
            replies = await handler(self.context, actor, place, command)
        except DomainError as exc:
            return [msg.error(actor.user_id, exc.message, place.session_id)]
        except Exception as exc:
            if database_unavailable(exc):
                log.warning("database unavailable while handling %s: %s", type(command).__name__, type(exc).__name__)
                return [msg.error(actor.user_id, UNAVAILABLE)]
            raise
        self.announcer.after_command(command, replies)
        return replies

    async def handle_once(self, key: str | None, actor: Actor, place: Place, command: cmd.Command) -> list[Reply] | None:
        """`handle` for a platform request `key` that may be delivered again: None when another
        delivery of it was handled (on any process). The claim commits with the command's first
        write (store/claims.py); a command that wrote nothing is claimed afterwards."""
        if key is None:
            return await self.handle(actor, place, command)
        with claiming(key) as claim:
            try:
                replies = await self.handle(actor, place, command)
            except AlreadyClaimed:
                return None
        if claim.done:
            return replies
        try:
            return replies if await self.claim_event(key) else None
        except Exception as exc:
            if not database_unavailable(exc):
                raise
            return replies  # the reply already says the database is away

    # Reading a whole session (the CLI's export, tests)

    async def snapshot_of(self, session_id: int) -> SessionSnapshot:
        return await reading.snapshot_of(self.context, session_id)

    # Timers: adapters run the worker beside their events

    async def fire_due(self, now: datetime) -> list[timer_worker.Fired]:
        fired = await timer_worker.fire_due(self.context, now)
        self.announcer.changed(session_id for session_id, _ in fired)
        return fired

    async def run_timers(self, post: timer_worker.Post, stop: asyncio.Event, every_seconds: float = 5.0) -> None:
        async def announce_and_post(session_id: int, replies: list[Reply]) -> None:
            self.announcer.changed((session_id,))
            await post(session_id, replies)

        await timer_worker.run_worker(self.context, announce_and_post, stop, every_seconds)

    # Live boards (adapters/board serves them)

    async def session_of_board(self, token: str) -> int | None:
        return await boards.session_of_board(self.context, token)

    async def live_board_hashes(self, session_id: int) -> set[str]:
        return await boards.live_board_hashes(self.context, session_id)

    async def board_view(self, session_id: int) -> BoardView | None:
        return await boards.board_view(self.context, session_id)

    async def tenant_and_place(self, session_id: int) -> tuple[str, Place] | None:
        return await timer_worker.tenant_and_place(self.context, session_id)

    # Adapter support

    async def attach_thread(self, session_id: int, thread: str) -> None:
        async with self.context.db.write(self.context.clock()) as store:
            await store.attach_thread(session_id, thread)

    async def submission_refusal(self, actor: Actor, place: Place) -> str | None:
        """Whether the session `place` names takes submissions now: None, or why not. A cheap
        read, for a form that must not open on a closed session (Discord's modal is the
        interaction's only answer, so the refusal can't come after it)."""
        return await participation.submission_refusal(self.context, actor, place)

    async def session_for_thread(self, tenant: str, channel: str, thread: str) -> int | None:
        async with self.context.db.read(self.context.clock()) as store:
            session = await store.session_by_thread(tenant, channel, thread)
            return None if session is None else session.id

    async def attach_post(self, session_id: int, number: int, post: str) -> None:
        """The platform message that announced item #number: an edit of the item updates it."""
        async with self.context.db.write(self.context.clock()) as store:
            await store.attach_post(session_id, number, post)

    async def discard_unseen(self, session_id: int) -> None:
        """A session whose intro the platform refused: nobody saw it, so nothing of it is kept
        (no ghost on anyone's list, and the channel is free for the next `/pln start`)."""
        async with self.context.db.write(self.context.clock()) as store:
            await store.discard_session(session_id)

    async def item_form(self, actor: Actor, place: Place) -> ItemForm | Reply:
        """What a new-item form should offer here, or the private reply saying why there is none."""
        try:
            return await participation.item_form(self.context, actor, place)
        except DomainError as exc:
            return msg.error(actor.user_id, exc.message, place.session_id)
        except Exception as exc:
            if not database_unavailable(exc):
                raise
            return msg.error(actor.user_id, UNAVAILABLE)

    async def thread_of(self, tenant: str, session_id: int) -> str | None:
        """The session's thread, for adapters whose commands can come from the parent channel."""
        async with self.context.db.read(self.context.clock()) as store:
            session = await store.session_by_id(session_id)
            return session.thread if session is not None and session.tenant == tenant else None

    async def claim_event(self, key: str) -> bool:
        """True the first time `key` (a platform delivery) is claimed, on any process."""
        try:
            async with self.context.db.write(self.context.clock()) as store:
                claimed = await store.claim_event(key)
        except IntegrityError:  # a concurrent claim of the same key won
            return False
        self._claims += 1
        if claimed and self._claims % self.prune_every == 0:
            # Every request now leaves a row; platforms redeliver and replays are refused for
            # minutes only (Slack: 5), so a day's worth is plenty and the table stays small.
            now = self.context.clock()
            async with self.context.db.write(now) as store:
                await store.forget_events(before=now - CLAIMS_KEPT)
        return claimed

    async def latest_session_id(self) -> int | None:
        async with self.context.db.read(self.context.clock()) as store:
            session = await store.latest_session()
            return None if session is None else session.id

    async def recent_sessions(self, actor: Actor, limit: int = 10) -> list[SessionListing]:
        async with self.context.db.read(self.context.clock()) as store:
            rows = await store.recent_sessions(actor.tenant, actor.user_id, limit)
            return [SessionListing(r.id, r.title, r.phase, r.channel, r.thread, r.created_at) for r in rows]
