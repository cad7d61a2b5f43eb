"""Data access for the facilitation-depth features, on the unit of work's own connection.

Claims of due deadlines and nudges are single conditional UPDATEs on rows that, on
PostgreSQL, were first locked with FOR UPDATE SKIP LOCKED; on SQLite the write transaction
already holds the database's one write lock. Either way only one worker wins a deadline.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, or_, select, update

from facilitator.domain import Phase
from facilitator.store.models import AuditRow, ItemRow, PairRow, ParticipantRow, PendingItemRow, SessionRow, VoteRow
from facilitator.store.repository import Repository


class DepthStore:
    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.db = repo.db
        self.now = repo.now

    # Audit trail

    async def record(self, session_id: int, actor: str, actor_name: str, action: str, **details: Any) -> None:
        self.db.add(
            AuditRow(
                session_id=session_id,
                at=self.now,
                actor=actor,
                actor_name=actor_name,
                action=action,
                details=json.dumps(details, ensure_ascii=False, sort_keys=True),
            )
        )
        await self.db.flush()

    async def audit_of(self, session_id: int) -> Sequence[AuditRow]:
        query = select(AuditRow).where(AuditRow.session_id == session_id).order_by(AuditRow.id)
        return (await self.db.scalars(query)).all()

    # Items

    async def set_hidden(self, item_id: int, hidden: bool, merged_into: int | None = None) -> None:
        values: dict[str, Any] = {"hidden": hidden}
        if not hidden or merged_into is not None:
            values["merged_into"] = merged_into
        await self.db.execute(update(ItemRow).where(ItemRow.id == item_id).values(**values))

    async def set_why(self, item_id: int, why: str) -> None:
        await self.db.execute(update(ItemRow).where(ItemRow.id == item_id).values(why=why))

    # Pairs

    async def add_pair(self, session_id: int, dont_number: int, do_number: int) -> bool:
        statement = (
            self.repo._insert(PairRow)
            .values(session_id=session_id, dont_number=dont_number, do_number=do_number)
            .on_conflict_do_nothing(index_elements=["session_id", "dont_number", "do_number"])
            .returning(PairRow.id)
        )
        return (await self.db.execute(statement)).first() is not None

    async def pairs_of(self, session_id: int) -> Sequence[PairRow]:
        query = select(PairRow).where(PairRow.session_id == session_id).order_by(PairRow.id)
        return (await self.db.scalars(query)).all()

    # Participants

    async def set_quiet(self, participant_id: int, quiet: bool) -> None:
        await self.db.execute(update(ParticipantRow).where(ParticipantRow.id == participant_id).values(quiet=quiet))

    async def refund(self, participant_id: int, votes: int) -> None:
        await self.db.execute(
            update(ParticipantRow)
            .where(ParticipantRow.id == participant_id)
            .values(votes_used=ParticipantRow.votes_used - votes)
        )

    # Votes on one item, for merges and hides

    async def votes_on(self, item_id: int) -> Sequence[VoteRow]:
        # In the order they were cast, so the people told of a refund are told in that order
        # on every database.
        query = select(VoteRow).where(VoteRow.item_id == item_id).order_by(VoteRow.id)
        return (await self.db.scalars(query)).all()

    async def move_vote(self, vote_id: int, item_id: int) -> None:
        await self.db.execute(update(VoteRow).where(VoteRow.id == vote_id).values(item_id=item_id))

    async def set_weight(self, vote_id: int, weight: int) -> None:
        await self.db.execute(update(VoteRow).where(VoteRow.id == vote_id).values(weight=weight))

    async def delete_vote(self, vote_id: int) -> None:
        await self.db.execute(delete(VoteRow).where(VoteRow.id == vote_id))

    # Settings

    async def update_session(self, session_id: int, **values: Any) -> None:
        await self.db.execute(update(SessionRow).where(SessionRow.id == session_id).values(**values))

    # Deadlines and nudges

    async def set_deadline(self, session_id: int, deadline: datetime | None, phase: Phase | None,
                           nudge_at: datetime | None) -> None:
        await self.update_session(
            session_id, deadline=deadline, deadline_phase=phase.value if phase else None, nudge_at=nudge_at
        )

    async def anything_due(self, now: datetime) -> bool:
        """A cheap read first, so idle workers don't take SQLite's write lock every few seconds."""
        due = or_(
            and_(SessionRow.deadline.is_not(None), SessionRow.deadline <= now),
            and_(SessionRow.nudge_at.is_not(None), SessionRow.nudge_at <= now),
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

    # Held-back submissions

    async def hold(self, session_id: int, user_id: str, kind: str, text: str, stale_before: datetime) -> int:
        await self.db.execute(
            delete(PendingItemRow).where(
                PendingItemRow.session_id == session_id, PendingItemRow.created_at < stale_before
            )
        )
        row = PendingItemRow(session_id=session_id, user_id=user_id, kind=kind, text=text, created_at=self.now)
        self.db.add(row)
        await self.db.flush()
        return row.id

    async def take_held(self, pending_id: int, session_id: int, user_id: str) -> PendingItemRow | None:
        """The held submission, removed, if it is this person's in this session (exactly once)."""
        row = await self.db.get(PendingItemRow, pending_id)
        if row is None or row.session_id != session_id or row.user_id != user_id:
            return None
        gone = await self.db.execute(delete(PendingItemRow).where(PendingItemRow.id == pending_id))
        return row if gone.rowcount == 1 else None  # type: ignore[attr-defined]
