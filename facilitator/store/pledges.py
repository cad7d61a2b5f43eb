"""Pledges: numbering, lookups, status changes, a channel's history, and follow-ups claimed once.

A follow-up is claimed with one conditional UPDATE on its pledge (still open, still due): on
PostgreSQL a second worker's UPDATE of the same row waits for the first to commit, then finds it
no longer due and matches nothing; on SQLite the write transaction holds the one write lock.
Either way exactly one worker sends it. `/pln done` racing a follow-up is the same row: whichever
commits second sees the other's change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, ScalarSelect, and_, select, update

from facilitator.domain.pledges import PledgeStatus
from facilitator.store.base import StoreBase, as_utc
from facilitator.store.models import PledgeRow, SessionRow

_CLAIM_ATTEMPTS = 20


def followup_due(now: datetime) -> ColumnElement[bool]:
    return and_(PledgeRow.status == PledgeStatus.OPEN.value, PledgeRow.due_at.is_not(None), PledgeRow.due_at <= now)


def next_followup() -> ScalarSelect[datetime | None]:
    """When the earliest follow-up still planned is due (the first entry of the due_at index)."""
    first = select(PledgeRow.due_at).where(PledgeRow.due_at.is_not(None), PledgeRow.status == PledgeStatus.OPEN.value)
    return first.order_by(PledgeRow.due_at).limit(1).scalar_subquery()


class PledgesStore(StoreBase):
    async def add_pledge(
        self, session: SessionRow, owner: str, owner_name: str, text: str, item: int | None, pledged_by: str,
        due_at: datetime | None,
    ) -> PledgeRow:
        number = await self.db.scalar(
            update(SessionRow)
            .where(SessionRow.id == session.id)
            .values(pledge_count=SessionRow.pledge_count + 1)
            .returning(SessionRow.pledge_count)
        )
        assert number is not None
        pledge = PledgeRow(
            session_id=session.id, tenant=session.tenant, platform=session.platform, channel=session.channel,
            number=number, owner=owner, owner_name=owner_name, text=text, item=item,
            status=PledgeStatus.OPEN.value, pledged_by=pledged_by, created_at=self.now, due_at=due_at, followups=0,
        )
        self.db.add(pledge)
        await self.db.flush()
        return pledge

    async def pledges_of(self, session_id: int) -> Sequence[PledgeRow]:
        query = select(PledgeRow).where(PledgeRow.session_id == session_id).order_by(PledgeRow.number)
        return (await self.db.scalars(query)).all()

    async def pledge(self, session_id: int, number: int) -> PledgeRow | None:
        query = select(PledgeRow).where(PledgeRow.session_id == session_id, PledgeRow.number == number)
        return (await self.db.scalars(query.execution_options(populate_existing=True))).first()

    async def set_pledge_status(self, pledge_id: int, status: PledgeStatus) -> None:
        """Done or dropped: no follow-up is due any more."""
        done_at = self.now if status is PledgeStatus.DONE else None
        dropped_at = self.now if status is PledgeStatus.DROPPED else None
        await self.db.execute(
            update(PledgeRow).where(PledgeRow.id == pledge_id)
            .values(status=status.value, done_at=done_at, dropped_at=dropped_at, due_at=None)
            .execution_options(synchronize_session=False)
        )

    async def follow_up_later(self, pledge_id: int, due_at: datetime | None) -> bool:
        """"Not yet": the next follow-up (None: no more). False when the pledge is no longer open."""
        result = await self.db.execute(
            update(PledgeRow).where(PledgeRow.id == pledge_id, PledgeRow.status == PledgeStatus.OPEN.value)
            .values(due_at=due_at)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def reschedule_followups(self, session_id: int, followup: int | None) -> None:
        """A new follow-up period: open pledges not yet followed up are asked that long after they
        were made (at once if that has passed); `off` cancels every follow-up still due."""
        if followup is None:
            await self.db.execute(
                update(PledgeRow).where(PledgeRow.session_id == session_id).values(due_at=None)
                .execution_options(synchronize_session=False)
            )
            return
        waiting = select(PledgeRow).where(
            PledgeRow.session_id == session_id, PledgeRow.status == PledgeStatus.OPEN.value, PledgeRow.followups == 0
        )
        for pledge in (await self.db.scalars(waiting)).all():
            pledge.due_at = max(as_utc(pledge.created_at) + timedelta(seconds=followup), self.now)
        await self.db.flush()

    async def channel_pledges(
        self, tenant: str, platform: str, channel: str, before_session: int | None = None, open_only: bool = False,
    ) -> Sequence[tuple[PledgeRow, SessionRow]]:
        """A channel's pledges with their sessions, oldest session first: all of them, or those of
        sessions before `before_session`, or only the open ones."""
        query = (
            select(PledgeRow, SessionRow).join(SessionRow, SessionRow.id == PledgeRow.session_id)
            .where(PledgeRow.tenant == tenant, PledgeRow.platform == platform, PledgeRow.channel == channel)
            .order_by(PledgeRow.session_id, PledgeRow.number)
        )
        if before_session is not None:
            query = query.where(PledgeRow.session_id < before_session)
        if open_only:
            query = query.where(PledgeRow.status == PledgeStatus.OPEN.value)
        return [(pledge, session) for pledge, session in (await self.db.execute(query)).all()]

    async def session_of_pledge(self, pledge: PledgeRow) -> SessionRow:
        """Its session, read without taking the session's lock: a follow-up's claim already holds
        the pledge's row, and `/pln done` takes the two in the other order (session, then row)."""
        session = await self.db.get(SessionRow, pledge.session_id)
        assert session is not None  # pledges go with their session (ON DELETE CASCADE)
        return session

    async def claim_due_followup(self, now: datetime) -> PledgeRow | None:
        """The most overdue follow-up, claimed: its `due_at` cleared and counted as sent."""
        for _ in range(_CLAIM_ATTEMPTS):
            first = select(PledgeRow.id).where(followup_due(now)).order_by(PledgeRow.due_at, PledgeRow.id).limit(1)
            pledge_id = await self.db.scalar(first)
            if pledge_id is None:
                return None
            claimed = await self.db.execute(
                update(PledgeRow).where(PledgeRow.id == pledge_id, followup_due(now))
                .values(due_at=None, followups=PledgeRow.followups + 1)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount == 1:  # type: ignore[attr-defined]
                return await self.db.get(PledgeRow, pledge_id, populate_existing=True)
        return None
