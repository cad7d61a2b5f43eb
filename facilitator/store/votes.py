"""Votes and the budget they are spent from. Every exactly-once rule is one atomic statement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, delete, select, update

from facilitator.store.base import StoreBase
from facilitator.store.models import ParticipantRow, VoteRow
from facilitator.store.vote_statements import ADD_VOTE, SPEND_VOTES


@dataclass(frozen=True)
class Voter:
    """A participant as a vote leaves them."""

    id: int
    level: str
    votes_used: int
    level_prompted: bool = False  # asked to pick a level already (participation.vote asks once)


class VotesStore(StoreBase):
    async def spend_votes(self, session_id: int, user_id: str, name: str, count: int, budget: int) -> Voter | None:
        """Spend `count` votes at once, or none: None when the budget doesn't allow it.

        One atomic statement (vote_statements._spend_votes), so double clicks can't overspend,
        and it creates the person as `unspecified` if voting is the first thing they do.
        """
        parameters = {
            "session_id": session_id,
            "user_id": user_id,
            "name": name,
            "now": self.now,
            "count": count,
            "budget": budget,
        }
        row = (await self.db.execute(SPEND_VOTES[self._dialect()], parameters)).first()
        return None if row is None else Voter(row.id, row.level, row.votes_used, bool(row.level_prompted))

    async def refund(self, participant_id: int, votes: int = 1) -> None:
        await self.db.execute(
            update(ParticipantRow)
            .where(ParticipantRow.id == participant_id, ParticipantRow.votes_used >= votes)
            .values(votes_used=ParticipantRow.votes_used - votes)
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
