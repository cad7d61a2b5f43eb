"""People in a session: its facilitators (starter and co-hosts) and its participants."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import false, func, select, update

from facilitator.domain.levels import UNSPECIFIED_LEVEL
from facilitator.store.base import StoreBase
from facilitator.store.models import HostRow, ParticipantRow


class PeopleStore(StoreBase):
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

    async def participant(self, session_id: int, user_id: str) -> ParticipantRow | None:
        query = select(ParticipantRow).where(
            ParticipantRow.session_id == session_id, ParticipantRow.user_id == user_id
        )
        return (await self.db.scalars(query)).first()

    async def participants_named(self, session_id: int, name: str, limit: int = 2) -> Sequence[ParticipantRow]:
        """People of the session whose display name is `name`, in any case (two are enough to
        know that a name is ambiguous)."""
        query = (
            select(ParticipantRow)
            .where(ParticipantRow.session_id == session_id, func.lower(ParticipantRow.name) == name.lower())
            .order_by(ParticipantRow.id)
            .limit(limit)
        )
        return (await self.db.scalars(query)).all()

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
                .values(
                    session_id=session_id,
                    user_id=user_id,
                    name=name,
                    level=UNSPECIFIED_LEVEL,
                    votes_used=0,
                    joined_at=self.now,
                )
                .on_conflict_do_nothing(index_elements=["session_id", "user_id"])
                .returning(ParticipantRow)
            )
        ).first()
        if created is None:
            created = await self.participant(session_id, user_id)
        assert created is not None
        return created

    async def set_level(self, participant_id: int, level: str) -> None:
        await self.db.execute(
            update(ParticipantRow).where(ParticipantRow.id == participant_id).values(level=level)
        )

    async def claim_level_prompt(self, participant_id: int) -> bool:
        """True once per person and session: whether to ask them now to pick a level. One
        conditional UPDATE, so a burst of votes (on any process) asks once."""
        result = await self.db.execute(
            update(ParticipantRow)
            .where(ParticipantRow.id == participant_id, ParticipantRow.level_prompted == false())
            .values(level_prompted=True)
        )
        return bool(getattr(result, "rowcount", 0))

    async def set_quiet(self, participant_id: int, quiet: bool) -> None:
        await self.db.execute(update(ParticipantRow).where(ParticipantRow.id == participant_id).values(quiet=quiet))
