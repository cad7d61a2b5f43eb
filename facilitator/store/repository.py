"""Data access for one unit of work. Every exactly-once rule is a single atomic statement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from facilitator.domain import UNSPECIFIED_LEVEL, Phase
from facilitator.store.models import (
    HostRow,
    ItemRow,
    ParticipantRow,
    PhaseEventRow,
    ProcessedEventRow,
    SessionRow,
    VoteRow,
)
from facilitator.store.session_reads import SessionReads
from facilitator.store.vote_statements import ADD_VOTE, ITEMS_BY_NUMBER, SPEND_VOTES, VOTE_TARGETS


@dataclass(frozen=True)
class Voter:
    """A participant as a vote leaves them."""

    id: int
    level: str
    votes_used: int


@dataclass(frozen=True)
class VoteTarget:
    """An item as a vote sees it."""

    id: int
    hidden: bool
    merged_into: int | None


def as_utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Repository(SessionReads):
    def __init__(self, session: AsyncSession, now: datetime) -> None:
        self.db = session
        self.now = now

    def _dialect(self) -> str:
        return "postgresql" if self.db.get_bind().dialect.name == "postgresql" else "sqlite"

    def _insert(self, table: Any) -> Any:
        return (postgresql if self._dialect() == "postgresql" else sqlite).insert(table)

    # Sessions

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

    async def session_by_thread(self, tenant: str, thread: str) -> SessionRow | None:
        return await self._one_session(SessionRow.tenant == tenant, SessionRow.thread == thread)

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

    # Hosts

    async def is_host(self, session_id: int, user_id: str) -> bool:
        query = select(HostRow.id).where(HostRow.session_id == session_id, HostRow.user_id == user_id)
        return (await self.db.scalar(query)) is not None

    async def add_host(self, session_id: int, user_id: str, name: str) -> bool:
        statement = (
            self._insert(HostRow)
            .values(session_id=session_id, user_id=user_id, name=name)
            .on_conflict_do_nothing(index_elements=["session_id", "user_id"])
            .returning(HostRow.id)
        )
        return (await self.db.execute(statement)).first() is not None

    # Participants

    async def participant(self, session_id: int, user_id: str) -> ParticipantRow | None:
        query = select(ParticipantRow).where(
            ParticipantRow.session_id == session_id, ParticipantRow.user_id == user_id
        )
        return (await self.db.scalars(query)).first()

    async def participant_named(self, session_id: int, name: str) -> ParticipantRow | None:
        query = select(ParticipantRow).where(
            ParticipantRow.session_id == session_id, func.lower(ParticipantRow.name) == name.lower()
        )
        return (await self.db.scalars(query)).first()

    async def ensure_participant(self, session_id: int, user_id: str, name: str) -> ParticipantRow:
        """The person's row, created as `unspecified` if this is the first thing they do."""
        existing = await self.participant(session_id, user_id)
        if existing is not None:
            return existing
        # RETURNING the new row saves reading it back; nothing comes back only if a concurrent
        # first action of the same person inserted it between our SELECT and this INSERT.
        created = (
            await self.db.scalars(
                self._insert(ParticipantRow)
                .values(self._new_participant(session_id, user_id, name, votes_used=0))
                .on_conflict_do_nothing(index_elements=["session_id", "user_id"])
                .returning(ParticipantRow)
            )
        ).first()
        if created is None:
            created = await self.participant(session_id, user_id)
        assert created is not None
        return created

    def _new_participant(self, session_id: int, user_id: str, name: str, votes_used: int) -> dict[str, Any]:
        return {
            "session_id": session_id,
            "user_id": user_id,
            "name": name,
            "level": UNSPECIFIED_LEVEL,
            "votes_used": votes_used,
            "joined_at": self.now,
        }

    async def set_level(self, participant_id: int, level: str) -> None:
        await self.db.execute(
            update(ParticipantRow).where(ParticipantRow.id == participant_id).values(level=level)
        )

    # Items

    async def add_item(self, session_id: int, kind: str, text: str, author_id: int) -> ItemRow:
        number = await self.db.scalar(
            update(SessionRow)
            .where(SessionRow.id == session_id)
            .values(item_count=SessionRow.item_count + 1)
            .returning(SessionRow.item_count)
        )
        assert number is not None
        item = ItemRow(
            session_id=session_id,
            number=number,
            kind=kind,
            text=text,
            author_id=author_id,
            hidden=False,
            created_at=self.now,
        )
        self.db.add(item)
        await self.db.flush()
        return item

    async def items_by_number(self, session_id: int, numbers: Sequence[int]) -> dict[int, ItemRow]:
        found = await self.db.scalars(ITEMS_BY_NUMBER, {"session_id": session_id, "numbers": sorted(set(numbers))})
        return {item.number: item for item in found.all()}

    async def vote_targets(self, session_id: int, numbers: Sequence[int]) -> dict[int, VoteTarget]:
        """What a vote needs of each item, as plain rows: the vote path loads no ORM objects."""
        rows = await self.db.execute(VOTE_TARGETS, {"session_id": session_id, "numbers": sorted(set(numbers))})
        return {row.number: VoteTarget(row.id, row.hidden, row.merged_into) for row in rows}

    async def items_of(self, session_id: int) -> Sequence[ItemRow]:
        query = select(ItemRow).where(ItemRow.session_id == session_id).order_by(ItemRow.number)
        return (await self.db.scalars(query)).all()

    # Votes

    async def spend_votes(self, session_id: int, user_id: str, name: str, count: int, budget: int) -> Voter | None:
        """Spend `count` votes at once, or none: None when the budget doesn't allow it.

        One atomic statement, so double clicks can't overspend: an upsert that creates the person
        as `unspecified` if voting is the first thing they do, and otherwise adds to votes_used
        only while the sum stays within the budget.
        """
        if count > budget:
            return None
        parameters = {
            "session_id": session_id,
            "user_id": user_id,
            "name": name,
            "now": self.now,
            "count": count,
            "budget": budget,
        }
        row = (await self.db.execute(SPEND_VOTES[self._dialect()], parameters)).first()
        return None if row is None else Voter(row.id, row.level, row.votes_used)

    async def refund_vote(self, participant_id: int) -> None:
        await self.db.execute(
            update(ParticipantRow)
            .where(ParticipantRow.id == participant_id, ParticipantRow.votes_used > 0)
            .values(votes_used=ParticipantRow.votes_used - 1)
        )

    async def add_vote(self, session_id: int, item_id: int, participant_id: int, max_per_item: int) -> bool:
        """One more vote on the item, unless this person has already given it the most allowed."""
        parameters = {
            "session_id": session_id,
            "item_id": item_id,
            "participant_id": participant_id,
            "max_per_item": max_per_item,
        }
        return (await self.db.execute(ADD_VOTE[self._dialect()], parameters)).first() is not None

    async def remove_vote(self, item_id: int, participant_id: int) -> bool:
        mine = and_(VoteRow.item_id == item_id, VoteRow.participant_id == participant_id)
        lowered = await self.db.execute(
            update(VoteRow).where(mine, VoteRow.weight > 1).values(weight=VoteRow.weight - 1)
        )
        if lowered.rowcount == 1:  # type: ignore[attr-defined]
            return True
        removed = await self.db.execute(delete(VoteRow).where(mine))
        return bool(removed.rowcount == 1)  # type: ignore[attr-defined]

    async def claim_event(self, key: str) -> bool:
        statement = (
            self._insert(ProcessedEventRow)
            .values(key=key, seen_at=self.now)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(ProcessedEventRow.key)
        )
        return (await self.db.execute(statement)).first() is not None
