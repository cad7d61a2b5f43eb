"""Claims of due work (phase deadlines, automatic reminders), exactly once across processes.

Each claim is a single conditional UPDATE on a row that, on PostgreSQL, was first locked with
FOR UPDATE SKIP LOCKED; on SQLite the write transaction already holds the database's one write
lock. Either way only one worker wins a deadline.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select, update

from facilitator.domain.phases import Phase
from facilitator.store.base import StoreBase
from facilitator.store.models import SessionRow


class ScheduleStore(StoreBase):
    async def anything_due(self, now: datetime) -> bool:
        """A cheap read first, so idle workers don't take SQLite's write lock every few seconds."""
        due = or_(
            and_(SessionRow.deadline.is_not(None), SessionRow.deadline <= now),
            and_(SessionRow.nudge_at.is_not(None), SessionRow.nudge_at <= now),
            and_(SessionRow.item_deadline.is_not(None), SessionRow.item_deadline <= now),
        )
        return (await self.db.scalar(select(SessionRow.id).where(due).limit(1))) is not None

    async def claim_due_deadline(self, now: datetime) -> tuple[SessionRow, Phase] | None:
        """Take the most overdue deadline, clearing it so no other worker can fire it too."""
        query = (
            select(SessionRow)
            .where(SessionRow.deadline.is_not(None), SessionRow.deadline <= now)
            .order_by(SessionRow.deadline, SessionRow.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        session = (await self.db.scalars(query)).first()
        if session is None:
            return None
        phase = session.deadline_phase
        claimed = await self.db.execute(
            update(SessionRow)
            .where(SessionRow.id == session.id, SessionRow.deadline.is_not(None), SessionRow.deadline <= now)
            .values(deadline=None, deadline_phase=None)
            .execution_options(synchronize_session=False)  # SQLite's naive datetimes can't be evaluated in Python
        )
        if claimed.rowcount != 1 or phase is None:  # type: ignore[attr-defined]
            return None
        return session, Phase(phase)

    async def claim_due_nudge(self, now: datetime) -> SessionRow | None:
        query = (
            select(SessionRow)
            .where(SessionRow.nudge_at.is_not(None), SessionRow.nudge_at <= now)
            .order_by(SessionRow.nudge_at, SessionRow.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        session = (await self.db.scalars(query)).first()
        if session is None:
            return None
        claimed = await self.db.execute(
            update(SessionRow)
            .where(SessionRow.id == session.id, SessionRow.nudge_at.is_not(None), SessionRow.nudge_at <= now)
            .values(nudge_at=None)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return None
        return session

    async def claim_due_item_deadline(self, now: datetime) -> SessionRow | None:
        """An agenda item's timebox that has run out (`/pln next item 5m`), claimed once."""
        query = (
            select(SessionRow)
            .where(SessionRow.item_deadline.is_not(None), SessionRow.item_deadline <= now)
            .order_by(SessionRow.item_deadline, SessionRow.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        session = (await self.db.scalars(query)).first()
        if session is None:
            return None
        claimed = await self.db.execute(
            update(SessionRow)
            .where(SessionRow.id == session.id, SessionRow.item_deadline.is_not(None),
                   SessionRow.item_deadline <= now)
            .values(item_deadline=None)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return None
        return session
