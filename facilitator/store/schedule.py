"""Claims of due work (phase deadlines, automatic reminders), exactly once across processes.

Each claim is a single conditional UPDATE on a session that, on PostgreSQL, was first locked
like any other action on it (store/session_lock.py): the lock waits for votes in flight, and
the row is read again once it is held, so a worker that waited behind another's claim finds it
no longer due and moves on. On SQLite the write transaction already holds the
database's one write lock. Either way only one worker wins a deadline.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select, update

from facilitator.domain.phases import Phase
from facilitator.store.base import StoreBase, as_utc
from facilitator.store.models import SessionRow
from facilitator.store.pledges import next_followup
from facilitator.store.session_lock import SessionLock, lock_first

# Each failed attempt means another worker claimed a deadline meanwhile; past this many in one
# call, the caller's next round carries on.
_CLAIM_ATTEMPTS = 20


class ScheduleStore(StoreBase):
    async def anything_due(self, now: datetime) -> bool:
        """A cheap read first, so idle workers don't take SQLite's write lock every few seconds."""
        due = or_(
            and_(SessionRow.deadline.is_not(None), SessionRow.deadline <= now),
            and_(SessionRow.nudge_at.is_not(None), SessionRow.nudge_at <= now),
            and_(SessionRow.item_deadline.is_not(None), SessionRow.item_deadline <= now),
        )
        # One statement for sessions and pledges alike: an idle tick stays one round trip. The next
        # follow-up is read, not compared in SQL: `due_at <= $1` in a prepared statement's generic
        # plan reads as a third of the table and scans it, while the first row of the due_at
        # index is one probe however many pledges are stored (BENCHMARKS.md, figure 8).
        found = (await self.db.execute(select(exists().where(due), next_followup()))).one()
        upcoming = found[1]
        return bool(found[0]) or (upcoming is not None and as_utc(upcoming) <= now)

    async def claim_due_deadline(self, now: datetime) -> tuple[SessionRow, Phase] | None:
        """Take the most overdue deadline, clearing it so no other worker can fire it too."""
        due = and_(SessionRow.deadline.is_not(None), SessionRow.deadline <= now)
        session = await self._lock_first(due, SessionRow.deadline)
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
        due = and_(SessionRow.nudge_at.is_not(None), SessionRow.nudge_at <= now)
        session = await self._lock_first(due, SessionRow.nudge_at)
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
        due = and_(SessionRow.item_deadline.is_not(None), SessionRow.item_deadline <= now)
        session = await self._lock_first(due, SessionRow.item_deadline)
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

    async def set_aside(self, session_id: int, what: str) -> SessionRow | None:
        """Take a session whose due deadline (and its reminder), item timebox or reminder failed to
        fire out of the queue; the session, or None if it wasn't due any more (another worker set it
        aside, or a facilitator changed the timer meanwhile)."""
        now = self.now
        due = [and_(SessionRow.nudge_at.is_not(None), SessionRow.nudge_at <= now)]
        cleared: dict[str, None] = {"nudge_at": None}
        if what == "deadline":
            due = [and_(SessionRow.deadline.is_not(None), SessionRow.deadline <= now)]
            cleared = {"deadline": None, "deadline_phase": None, "nudge_at": None}
        elif what == "timebox":
            due = [and_(SessionRow.item_deadline.is_not(None), SessionRow.item_deadline <= now)]
            cleared = {"item_deadline": None}
        result = await self.db.execute(
            update(SessionRow).where(SessionRow.id == session_id, *due).values(**cleared)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return None
        return await self.db.get(SessionRow, session_id)

    async def _lock_first(self, due: ColumnElement[bool], when: Any) -> SessionRow | None:
        """The first due session by `when`, locked, and still due once locked."""
        for _ in range(_CLAIM_ATTEMPTS):
            first = select(SessionRow.id).where(due).order_by(when, SessionRow.id).limit(1)
            session_id = await lock_first(self.db, first, SessionLock.EXCLUSIVE)
            if session_id is None:
                return None
            # Read once the lock is held: another worker may have claimed it while we waited.
            fresh = select(SessionRow).where(SessionRow.id == session_id, due)
            session: SessionRow | None = (await self.db.scalars(fresh.execution_options(populate_existing=True))).first()
            if session is not None:
                return session
        return None
