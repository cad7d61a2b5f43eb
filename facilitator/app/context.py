"""What every use case depends on: the database, the clock, the templates, finding the session
a command is about, and who may do what. Use cases take a Context, never the dispatcher."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from facilitator.app.board_access import BoardAccess
from facilitator.commands.registry import facilitator_only
from facilitator.commands.types import Command
from facilitator.domain.actors import Actor, Place
from facilitator.domain.errors import DomainError
from facilitator.domain.numbers import fits
from facilitator.domain.settings import Settings
from facilitator.domain.suggestions import as_choices
from facilitator.domain.templates import (
    DEFAULT_TEMPLATE,
    Template,
    TemplateError,
    TemplateLibrary,
    template_from_snapshot,
)
from facilitator.store.database import Database
from facilitator.store.models import SessionRow
from facilitator.store.session_lock import SessionLock
from facilitator.store.store import Store

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
NO_SESSION = "There's no open session in this channel. Start one with `/pln start`."
TEMPLATE_GONE = (
    "This session runs on the template `{template}`, which this bot no longer has, and it started before "
    "sessions kept a copy of their template. Ask whoever runs the bot to put the template file back; "
    "nothing was changed."
)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Context:
    db: Database
    templates: TemplateLibrary
    clock: Clock = utc_now
    defaults: Settings = Settings()
    boards: BoardAccess = field(default_factory=BoardAccess)

    def template_of(self, session: SessionRow) -> Template:
        """The template a session runs on: the copy it stored when it started, so that editing,
        renaming or removing the file changes nothing for it; the loaded one for a session that
        has no copy (started before copies were stored, and not adopted: store.adopt_templates),
        or whose copy no longer passes today's template rules."""
        return self.stored_template(session.id, session.template, session.template_snapshot)

    def stored_template(self, session_id: int, name: str, snapshot: str | None) -> Template:
        """template_of, from the session's template name and stored copy."""
        if snapshot:
            try:
                return template_from_snapshot(snapshot)
            except TemplateError as exc:
                log.warning("session %s: its stored template no longer parses (%s); using the loaded one",
                            session_id, exc.field)
        try:
            return self.templates.get(name)
        except KeyError:
            raise DomainError(TEMPLATE_GONE.format(template=name[:40]), "template_gone") from None

    def default_template(self) -> Template:
        return self.templates.get(DEFAULT_TEMPLATE)

    async def locate(
        self, store: Store, actor: Actor, place: Place, include_closed: bool = False,
        lock: SessionLock = SessionLock.EXCLUSIVE,
    ) -> SessionRow:
        """The session a command is about: the one a button or form names, else the thread's,
        else the channel's open one (or, for reading commands, its latest).

        In a write unit of work the session comes back locked, EXCLUSIVE unless the use case
        asks for SHARED (votes, take-backs, joins), so that actions on one session run one after
        the other (facilitator/store/session_lock.py)."""
        session: SessionRow | None
        if place.session_id is not None:
            # A number no database column holds names no session (and would fail the query).
            fitting = fits(place.session_id)
            session = await store.session_by_id(place.session_id, lock) if fitting else None
            # Another workspace's session looks exactly like a missing one: ids can be guessed.
            if session is None or session.tenant != actor.tenant or session.platform != place.platform:
                raise DomainError("That session doesn't exist here.", "no_session")
            return session
        session = None
        if place.thread:
            session = await store.session_by_thread(actor.tenant, place.channel, place.thread, lock)
        if session is None:
            session = await store.open_session_in_channel(actor.tenant, place.platform, place.channel, lock)
        if session is None and include_closed:
            session = await store.latest_session_in_channel(actor.tenant, place.platform, place.channel)
        if session is None:
            raise DomainError(NO_SESSION, "no_session")
        return session

    async def is_facilitator(self, store: Store, actor: Actor, session: SessionRow) -> bool:
        return actor.is_admin or await store.is_host(session.id, actor.user_id)

    async def authorize(self, store: Store, actor: Actor, session: SessionRow, command: Command) -> None:
        """Refuses a facilitator-only command (as the registry declares it) from anyone else,
        saying whom to ask."""
        what = facilitator_only(command)
        if what and not await self.is_facilitator(store, actor, session):
            who = await self.facilitators_named(store, session, last="or")
            raise DomainError(f"Only the session's facilitators can {what}. Ask {who}.", "not_facilitator")

    async def facilitator_names(self, store: Store, session: SessionRow) -> tuple[str, ...]:
        """The starter first, then co-hosts in the order they were added (platform admins, who
        count as facilitators too, are not listed: nobody named them for this session)."""
        hosts = sorted(await store.hosts_of(session.id), key=lambda h: (h.user_id != session.started_by, h.id))
        return tuple(h.name for h in hosts)

    async def facilitators_named(self, store: Store, session: SessionRow, last: str = "or") -> str:
        """"Ana", "Ana or Bo": whom to ask for what only a facilitator can do."""
        names = await self.facilitator_names(store, session)
        return as_choices(names, quote="", last=last) if names else "A facilitator"
