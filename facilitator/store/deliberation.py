"""Deliberation: vote rounds, predictions, the discussion agenda and its notes.

A second round leaves the vote path alone: `open_round` moves the closed round's votes into
`round_votes` and frees everyone's budget, so `votes` and the budget statements only ever see
the round being voted on (store/vote_statements.py is unchanged by rounds).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Integer, Row, delete, func, insert, literal, select, update

from facilitator.domain.phases import Phase
from facilitator.store.base import StoreBase
from facilitator.store.models import (
    PARTICIPANTS,
    ROUND_VOTES,
    VOTES,
    DiscussionRow,
    NoteRow,
    ParticipantRow,
    PhaseEventRow,
    PredictionRow,
    SessionRow,
    VoteRow,
)


class DeliberationStore(StoreBase):
    # Rounds

    async def open_round(self, session_id: int, closing: int) -> bool:
        """Discussing -> voting in round `closing` + 1, once: conditional on the phase and round
        we saw, so two facilitators asking at once open one round. Round `closing`'s votes move
        to `round_votes` and every budget is fresh."""
        opened = await self.db.execute(
            update(SessionRow)
            .where(SessionRow.id == session_id, SessionRow.phase == Phase.DISCUSSING.value,
                   SessionRow.round == closing)
            .values(round=closing + 1, phase=Phase.VOTING.value, current_item=None, item_deadline=None,
                    deadline=None, deadline_phase=None, nudge_at=None)
        )
        if opened.rowcount != 1:  # type: ignore[attr-defined]
            return False
        archived = select(VOTES.c.session_id, literal(closing, Integer), VOTES.c.item_id,
                          VOTES.c.participant_id, VOTES.c.weight).where(VOTES.c.session_id == session_id)
        await self.db.execute(
            insert(ROUND_VOTES).from_select(["session_id", "round", "item_id", "participant_id", "weight"], archived)
        )
        await self.db.execute(delete(VoteRow).where(VoteRow.session_id == session_id))
        # A new round: everyone's budget, and blind voting's progress latch, start again.
        await self.db.execute(update(ParticipantRow).where(ParticipantRow.session_id == session_id)
                              .values(votes_used=0, used_all_votes=False))
        self.db.add(PhaseEventRow(session_id=session_id, phase=Phase.VOTING.value, at=self.now))
        await self.db.flush()
        return True

    async def archived_votes_by_item_and_level(self, session_id: int) -> Sequence[Row[int, int, str, int, int]]:
        """(round, item id, voter's level, votes, voters) of the closed rounds, as
        SessionReads.votes_by_item_and_level gives them for the open one."""
        query = (
            select(ROUND_VOTES.c.round, ROUND_VOTES.c.item_id, PARTICIPANTS.c.level, func.sum(ROUND_VOTES.c.weight),
                   func.count())
            .join(PARTICIPANTS, PARTICIPANTS.c.id == ROUND_VOTES.c.participant_id)
            .where(ROUND_VOTES.c.session_id == session_id)
            .group_by(ROUND_VOTES.c.round, ROUND_VOTES.c.item_id, PARTICIPANTS.c.level)
        )
        return (await self.db.execute(query)).all()

    async def archived_votes_by_participant(self, session_id: int) -> Sequence[Row[int, int, int]]:
        """(round, participant id, votes) of the closed rounds."""
        query = (
            select(ROUND_VOTES.c.round, ROUND_VOTES.c.participant_id, func.sum(ROUND_VOTES.c.weight))
            .where(ROUND_VOTES.c.session_id == session_id)
            .group_by(ROUND_VOTES.c.round, ROUND_VOTES.c.participant_id)
        )
        return (await self.db.execute(query)).all()

    # Predictions

    async def set_prediction(self, session_id: int, round_: int, participant_id: int, numbers: Sequence[int]) -> None:
        """Replace this person's prediction for the round: one upsert, so it is always one whole set."""
        written = " ".join(str(number) for number in numbers)
        statement = (
            self._insert(PredictionRow)
            .values(session_id=session_id, round=round_, participant_id=participant_id, numbers=written,
                    made_at=self.now)
            .on_conflict_do_update(index_elements=["session_id", "round", "participant_id"],
                                   set_={"numbers": written, "made_at": self.now})
        )
        await self.db.execute(statement)

    async def predictions_of(self, session_id: int) -> list[tuple[int, int, tuple[int, ...]]]:
        """(round, participant id, item numbers) for every prediction of the session."""
        query = (
            select(PredictionRow.round, PredictionRow.participant_id, PredictionRow.numbers)
            .where(PredictionRow.session_id == session_id)
            .order_by(PredictionRow.id)
        )
        return [(round_, person, tuple(int(n) for n in numbers.split()))
                for round_, person, numbers in (await self.db.execute(query)).all()]

    async def prediction_of(self, session_id: int, round_: int, participant_id: int) -> tuple[int, ...] | None:
        query = select(PredictionRow.numbers).where(
            PredictionRow.session_id == session_id, PredictionRow.round == round_,
            PredictionRow.participant_id == participant_id,
        )
        numbers = await self.db.scalar(query)
        return None if numbers is None else tuple(int(n) for n in numbers.split())

    # The agenda and its notes

    async def set_agenda(self, session_id: int, order: str) -> None:
        await self.db.execute(update(SessionRow).where(SessionRow.id == session_id).values(agenda=order))

    async def discussions_of(self, session_id: int) -> Sequence[DiscussionRow]:
        query = select(DiscussionRow).where(DiscussionRow.session_id == session_id).order_by(DiscussionRow.id)
        return (await self.db.scalars(query)).all()

    async def start_discussion(self, session_id: int, number: int, reason: str, seconds: int | None,
                               deadline: datetime | None) -> bool:
        """Put item `number` up for discussion, once (uq_discussions_item); False if it already was."""
        statement = (
            self._insert(DiscussionRow)
            .values(session_id=session_id, number=number, reason=reason, started_at=self.now, seconds=seconds)
            .on_conflict_do_nothing(index_elements=["session_id", "number"])
            .returning(DiscussionRow.id)
        )
        if (await self.db.execute(statement)).first() is None:
            return False
        await self.db.execute(
            update(SessionRow).where(SessionRow.id == session_id).values(current_item=number, item_deadline=deadline)
        )
        return True

    async def add_note(self, session_id: int, number: int, author: str, author_name: str, text: str) -> None:
        self.db.add(NoteRow(session_id=session_id, number=number, author=author, author_name=author_name, text=text,
                            created_at=self.now))
        await self.db.flush()

    async def notes_of(self, session_id: int) -> Sequence[NoteRow]:
        query = select(NoteRow).where(NoteRow.session_id == session_id).order_by(NoteRow.id)
        return (await self.db.scalars(query)).all()
