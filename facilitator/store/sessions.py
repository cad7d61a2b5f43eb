"""Sessions: finding them, creating them, moving their phase, their settings and deadlines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update

from facilitator.domain.phases import Phase
from facilitator.domain.settings import Settings
from facilitator.store.base import StoreBase
from facilitator.store.models import HostRow, ParticipantRow, PhaseEventRow, SessionRow


class SessionsStore(StoreBase):
    async def session_by_id(self, session_id: int) -> SessionRow | None:
        return await self.db.get(SessionRow, session_id)

    async def open_session_in_channel(self, tenant: str, platform: str, channel: str) -> SessionRow | None:
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

    async def session_by_thread(self, tenant: str, channel: str, thread: str) -> SessionRow | None:
        """The session whose thread this is, in this channel: a Slack thread ts is unique only
        within its channel, so a reply in another channel whose thread_ts happens to match is not
        ours. A thread that is a channel of its own (Discord) may also be named by itself."""
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
