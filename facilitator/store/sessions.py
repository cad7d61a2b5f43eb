"""Sessions: finding them, creating them, moving their phase, their settings and deadlines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update

from facilitator.domain.phases import Phase
from facilitator.domain.settings import Settings
from facilitator.store.base import StoreBase
from facilitator.store.models import HostRow, ParticipantRow, PhaseEventRow, SessionRow
from facilitator.store import session_lock
from facilitator.store.session_lock import SessionLock

_EXCLUSIVE = SessionLock.EXCLUSIVE  # what a write takes unless it asks for SHARED


class SessionsStore(StoreBase):
    """Finding a session in a write unit of work locks it (facilitator/store/session_lock.py):
    EXCLUSIVE unless the caller asks for SHARED. On PostgreSQL that is one statement taking the
    lock and one reading the row once it is held; SQLite's BEGIN IMMEDIATE is its lock. Reads
    lock nothing: a read transaction sees one moment (REPEATABLE READ on PostgreSQL)."""

    async def session_by_id(self, session_id: int, lock: SessionLock = _EXCLUSIVE) -> SessionRow | None:
        if self._locking():
            await self.db.execute(session_lock.BY_ID[lock], {"session_id": session_id})
            return await self._fresh(session_id)
        return await self.db.get(SessionRow, session_id)

    async def open_session_in_channel(
        self, tenant: str, platform: str, channel: str, lock: SessionLock = _EXCLUSIVE
    ) -> SessionRow | None:
        if self._locking():
            found = await self.db.scalar(session_lock.OPEN_IN_CHANNEL[lock],
                                         {"tenant": tenant, "platform": platform, "channel": channel})
            session = await self._fresh(found)
            # An `end` we waited for has closed it: there is no open session in the channel now.
            return session if session is not None and session.phase != Phase.CLOSED.value else None
        return await self._one_session(
            SessionRow.tenant == tenant,
            SessionRow.platform == platform,
            SessionRow.channel == channel,
            SessionRow.phase != Phase.CLOSED.value,
        )

    async def latest_session_in_channel(self, tenant: str, platform: str, channel: str) -> SessionRow | None:
        return await self._one_session(
            SessionRow.tenant == tenant, SessionRow.platform == platform, SessionRow.channel == channel
        )

    async def session_by_thread(
        self, tenant: str, channel: str, thread: str, lock: SessionLock = _EXCLUSIVE
    ) -> SessionRow | None:
        """The session whose thread this is, in this channel: a Slack thread ts is unique only
        within its channel, so a reply in another channel whose thread_ts happens to match is not
        ours. A thread that is a channel of its own (Discord) may also be named by itself."""
        if self._locking():
            found = await self.db.scalar(session_lock.BY_THREAD[lock],
                                         {"tenant": tenant, "channel": channel, "thread": thread})
            return await self._fresh(found)
        return await self._one_session(
            SessionRow.tenant == tenant,
            SessionRow.thread == thread,
            or_(SessionRow.channel == channel, SessionRow.thread == channel),
        )

    async def latest_session(self, tenant: str | None = None) -> SessionRow | None:
        return await self._one_session(*([SessionRow.tenant == tenant] if tenant else []))

    async def _one_session(self, *conditions: Any) -> SessionRow | None:
        query = select(SessionRow).where(*conditions).order_by(SessionRow.id.desc()).limit(1)
        return (await self.db.scalars(query)).first()

    def _locking(self) -> bool:
        return self.writing and self._dialect() == "postgresql"

    async def _fresh(self, session_id: int | None) -> SessionRow | None:
        if session_id is None:
            return None
        return (await self.db.scalars(session_lock.FRESH, {"session_id": session_id})).first()

    async def recent_sessions(self, tenant: str, user_id: str, limit: int) -> Sequence[SessionRow]:
        mine = select(ParticipantRow.session_id).where(ParticipantRow.user_id == user_id)
        hosted = select(HostRow.session_id).where(HostRow.user_id == user_id)
        query = (
            select(SessionRow)
            .where(SessionRow.tenant == tenant, SessionRow.id.in_(mine.union(hosted)))
            .order_by(SessionRow.id.desc())
            .limit(limit)
        )
        return (await self.db.scalars(query)).all()

    async def create_session(self, row: SessionRow, starter_name: str) -> SessionRow:
        self.db.add(row)
        await self.db.flush()
        self.db.add(HostRow(session_id=row.id, user_id=row.started_by, name=starter_name))
        self.db.add(PhaseEventRow(session_id=row.id, phase=row.phase, at=self.now))
        await self.db.flush()
        return row

    async def adopt_templates(self, sources: Mapping[str, str]) -> None:
        """Give sessions started before they stored their template (migration 0003) the text of
        the template of that id loaded now, so they carry on if the file goes later."""
        for template_id, text in sources.items():
            await self.db.execute(
                update(SessionRow)
                .where(SessionRow.template == template_id, SessionRow.template_snapshot.is_(None))
                .values(template_snapshot=text)
            )

    async def discard_session(self, session_id: int) -> None:
        """Remove a session and everything of it (foreign keys cascade): for one nobody ever saw."""
        await self.db.execute(delete(SessionRow).where(SessionRow.id == session_id))

    async def attach_thread(self, session_id: int, thread: str) -> None:
        await self.db.execute(update(SessionRow).where(SessionRow.id == session_id).values(thread=thread))

    async def move_phase(self, session_id: int, current: Phase, target: Phase) -> bool:
        """Conditional on the phase we saw, so two facilitators clicking at once move it one step."""
        result = await self.db.execute(
            update(SessionRow)
            .where(SessionRow.id == session_id, SessionRow.phase == current.value)
            .values(phase=target.value)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        self.db.add(PhaseEventRow(session_id=session_id, phase=target.value, at=self.now))
        await self.db.flush()
        return True

    async def set_settings(self, session_id: int, settings: Settings) -> None:
        await self.db.execute(
            update(SessionRow)
            .where(SessionRow.id == session_id)
            .values(
                vote_budget=settings.vote_budget,
                max_per_item=settings.max_per_item,
                anonymous=settings.anonymous,
                blind=settings.blind,
                predict=settings.predict,
                followup=settings.followup,
            )
        )

    async def set_deadline(
        self, session_id: int, deadline: datetime | None, phase: Phase | None, nudge_at: datetime | None
    ) -> None:
        await self.db.execute(
            update(SessionRow)
            .where(SessionRow.id == session_id)
            .values(deadline=deadline, deadline_phase=phase.value if phase else None, nudge_at=nudge_at)
        )
