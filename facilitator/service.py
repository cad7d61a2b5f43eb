"""One async entry per /pln command: load, decide, save, reply."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from facilitator import commands as cmd
from facilitator import messages as msg
from facilitator.actors import Actor, Place
from facilitator.depth import Depth
from facilitator.domain import DomainError, Settings
from facilitator.hosting import Hosting
from facilitator.participation import Participation
from facilitator.reading import Reading
from facilitator.replies import Reply
from facilitator.store.database import Database
from facilitator.store.models import SessionRow
from facilitator.store.repository import Repository
from facilitator.templates import DEFAULT_TEMPLATE, Template, TemplateLibrary
from facilitator.text_rules import clean_name
from facilitator.unavailable import database_unavailable

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
UNAVAILABLE = "The bot can't reach its database right now (temporarily unavailable). Nothing was changed; please try again in a moment."


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SessionListing:
    id: int
    title: str
    phase: str
    channel: str
    thread: str | None
    created_at: datetime


class FacilitationService:
    def __init__(
        self,
        db: Database,
        templates: TemplateLibrary,
        clock: Clock = utc_now,
        defaults: Settings = Settings(),
    ) -> None:
        self.db = db
        self.templates = templates
        self.clock = clock
        self.defaults = defaults
        self._participation = Participation(self)
        self._hosting = Hosting(self)
        self.reading = Reading(self)
        self.depth = Depth(self)

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
        try:
            return await self._dispatch(actor, place, command)
        except DomainError as exc:
            return [msg.error(actor.user_id, exc.message, place.session_id)]
        except Exception as exc:
            if database_unavailable(exc):
                log.warning("database unavailable while handling %s: %s", type(command).__name__, type(exc).__name__)
                return [msg.error(actor.user_id, UNAVAILABLE)]
            raise

    async def _dispatch(self, actor: Actor, place: Place, command: cmd.Command) -> list[Reply]:
        handled = await self.depth.dispatch(actor, place, command)
        if handled is not None:
            return handled
        match command:
            case cmd.Start(title, template):
                return await self._hosting.start(actor, place, title, template)
            case cmd.Join(level):
                return await self._participation.join(actor, place, level)
            case cmd.Submit():
                return await self._participation.submit(actor, place, command)
            case cmd.Vote(numbers):
                return await self._participation.vote(actor, place, numbers)
            case cmd.Unvote(number):
                return await self._participation.unvote(actor, place, number)
            case cmd.Next():
                return await self._hosting.advance(actor, place)
            case cmd.End():
                return await self._hosting.end(actor, place)
            case cmd.Cohost(target):
                return await self._hosting.cohost(actor, place, target)
            case cmd.Status():
                return await self.reading.status(actor, place)
            case cmd.Results():
                return await self.reading.results(actor, place)
            case cmd.Export(fmt):
                return await self.reading.export(actor, place, fmt)
            case cmd.Help():
                return [msg.help_reply(actor.user_id)]
        raise DomainError("I don't know that command. Try `/pln help`.")

    async def export(self, actor: Actor, place: Place, fmt: str) -> list[Reply]:
        return await self.handle(actor, place, cmd.Export(fmt))

    # Sessions, located the same way for every command

    def template_of(self, session: SessionRow) -> Template:
        return self.templates.get(session.template)

    def default_template(self) -> Template:
        return self.templates.get(DEFAULT_TEMPLATE)

    async def locate(self, repo: Repository, actor: Actor, place: Place, include_closed: bool = False) -> SessionRow:
        session: SessionRow | None
        if place.session_id is not None:
            session = await repo.session_by_id(place.session_id)
            # Another workspace's session looks exactly like a missing one: ids can be guessed.
            if session is None or session.tenant != actor.tenant or session.platform != place.platform:
                raise DomainError("That session doesn't exist here.", "no_session")
            return session
        session = None
        if place.thread:
            session = await repo.session_by_thread(actor.tenant, place.thread)
        if session is None:
            session = await repo.open_session_in_channel(actor.tenant, place.platform, place.channel)
        if session is None and include_closed:
            session = await repo.latest_session_in_channel(actor.tenant, place.platform, place.channel)
        if session is None:
            raise DomainError("There's no open session in this channel. Start one with `/pln start`.", "no_session")
        return session

    async def is_facilitator(self, repo: Repository, actor: Actor, session: SessionRow) -> bool:
        return actor.is_admin or await repo.is_host(session.id, actor.user_id)

    async def require_facilitator(self, repo: Repository, actor: Actor, session: SessionRow, what: str) -> None:
        if not await self.is_facilitator(repo, actor, session):
            raise DomainError(f"Only the session's facilitators can {what}.", "not_facilitator")

    # Adapter support

    async def attach_thread(self, session_id: int, thread: str) -> None:
        async with self.db.write(self.clock()) as repo:
            await repo.attach_thread(session_id, thread)

    async def session_for_thread(self, tenant: str, thread: str) -> int | None:
        async with self.db.read(self.clock()) as repo:
            session = await repo.session_by_thread(tenant, thread)
            return None if session is None else session.id

    async def thread_of(self, tenant: str, session_id: int) -> str | None:
        """The session's thread, for adapters whose commands can come from the parent channel."""
        async with self.db.read(self.clock()) as repo:
            session = await repo.session_by_id(session_id)
            return session.thread if session is not None and session.tenant == tenant else None

    async def claim_event(self, key: str) -> bool:
        try:
            async with self.db.write(self.clock()) as repo:
                return await repo.claim_event(key)
        except IntegrityError:  # a concurrent claim of the same key won
            return False

    async def latest_session_id(self) -> int | None:
        async with self.db.read(self.clock()) as repo:
            session = await repo.latest_session()
            return None if session is None else session.id

    async def recent_sessions(self, actor: Actor, limit: int = 10) -> list[SessionListing]:
        async with self.db.read(self.clock()) as repo:
            rows = await repo.recent_sessions(actor.tenant, actor.user_id, limit)
            return [SessionListing(r.id, r.title, r.phase, r.channel, r.thread, r.created_at) for r in rows]
