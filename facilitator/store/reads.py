"""Reads of a whole session at once, for tallies, summaries and exports.

Plain rows from Core selects on the tables (no ORM objects, no ORM compile step): a snapshot of
a big session reads tens of thousands of rows, and identity-mapped objects for them cost more
than the query. Votes are read as sums (see facilitator/reports/vote_counts.py); `votes_of` reads each
vote, for tests that check the sums say the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, Select, String, func, null, select, type_coerce

from facilitator.store.base import StoreBase
from facilitator.store.models import ITEMS, PARTICIPANTS, PHASE_EVENTS, VOTES, HostRow, ItemRow, ParticipantRow, VoteRow


class SessionReads(StoreBase):
    async def participants_of(self, session_id: int) -> Sequence[ParticipantRow]:
        query = select(ParticipantRow).where(ParticipantRow.session_id == session_id).order_by(ParticipantRow.id)
        return (await self.db.scalars(query)).all()

    async def participant_rows(self, session_id: int) -> Sequence[Row[int, str, str, str]]:
        query = (
            select(PARTICIPANTS.c.id, PARTICIPANTS.c.user_id, PARTICIPANTS.c.name, PARTICIPANTS.c.level)
            .where(PARTICIPANTS.c.session_id == session_id)
            .order_by(PARTICIPANTS.c.id)
        )
        return (await self.db.execute(query)).all()

    async def item_rows(
        self, session_id: int
    ) -> Sequence[Row[int, int, str, str, int, datetime, bool, str | None, int | None]]:
        """id, number, kind, text, author id, created at, hidden, why, merged into."""
        query = (
            select(
                ITEMS.c.id,
                ITEMS.c.number,
                ITEMS.c.kind,
                ITEMS.c.text,
                ITEMS.c.author_id,
                ITEMS.c.created_at,
                ITEMS.c.hidden,
                ITEMS.c.why,
                ITEMS.c.merged_into,
            )
            .where(ITEMS.c.session_id == session_id)
            .order_by(ITEMS.c.number)
        )
        return (await self.db.execute(query)).all()

    async def timeline_rows(self, session_id: int) -> Sequence[Row[str, datetime]]:
        query = (
            select(PHASE_EVENTS.c.phase, PHASE_EVENTS.c.at)
            .where(PHASE_EVENTS.c.session_id == session_id)
            .order_by(PHASE_EVENTS.c.id)
        )
        return (await self.db.execute(query)).all()

    # Aggregates, for a tally without loading every vote

    async def tally_items(self, session_id: int, with_authors: bool) -> Sequence[Row[int, int, str, str, str | None]]:
        """Visible items in order of arrival: id, number, kind, text and author's name (None without authors)."""
        query: Select[int, int, str, str, str | None] = select(
            ITEMS.c.id, ITEMS.c.number, ITEMS.c.kind, ITEMS.c.text, type_coerce(null(), String).label("author")
        )
        if with_authors:
            query = select(
                ITEMS.c.id, ITEMS.c.number, ITEMS.c.kind, ITEMS.c.text, PARTICIPANTS.c.name.label("author")
            ).join(PARTICIPANTS, PARTICIPANTS.c.id == ITEMS.c.author_id)
        query = query.where(ITEMS.c.session_id == session_id, ITEMS.c.hidden.is_(False)).order_by(ITEMS.c.number)
        return (await self.db.execute(query)).all()

    async def votes_by_item_and_level(self, session_id: int) -> Sequence[Row[int, str, int, int]]:
        """(item id, voter's level, votes, voters), hidden items included. By item id, not number:
        no join with items needed.

        COUNT(*) counts distinct voters: a person has one vote row per item (uq_votes_item_voter),
        its weight the number of votes they gave it.
        """
        query = (
            select(VOTES.c.item_id, PARTICIPANTS.c.level, func.sum(VOTES.c.weight), func.count())
            .join(PARTICIPANTS, PARTICIPANTS.c.id == VOTES.c.participant_id)
            .where(VOTES.c.session_id == session_id)
            .group_by(VOTES.c.item_id, PARTICIPANTS.c.level)
        )
        return (await self.db.execute(query)).all()

    async def votes_by_participant(self, session_id: int) -> Sequence[Row[int, int]]:
        """(participant id, votes) for everyone who holds a vote, hidden items included."""
        query = (
            select(VOTES.c.participant_id, func.sum(VOTES.c.weight))
            .where(VOTES.c.session_id == session_id)
            .group_by(VOTES.c.participant_id)
        )
        return (await self.db.execute(query)).all()

    async def people_by_level(self, session_id: int) -> Sequence[Row[str, int]]:
        query = (
            select(PARTICIPANTS.c.level, func.count())
            .where(PARTICIPANTS.c.session_id == session_id)
            .group_by(PARTICIPANTS.c.level)
        )
        return (await self.db.execute(query)).all()

    async def host_ids(self, session_id: int) -> set[str]:
        return set((await self.db.scalars(select(HostRow.user_id).where(HostRow.session_id == session_id))).all())

    async def hosts_of(self, session_id: int) -> Sequence[HostRow]:
        return (await self.db.scalars(select(HostRow).where(HostRow.session_id == session_id))).all()

    async def votes_of(self, session_id: int) -> Sequence[Row[int, int, int]]:
        """Every vote: (item number, participant id, weight). Snapshots read the sums above instead;
        tests read these to check that the sums say the same."""
        query = (
            select(ItemRow.number, VoteRow.participant_id, VoteRow.weight)
            .join(ItemRow, ItemRow.id == VoteRow.item_id)
            .where(VoteRow.session_id == session_id)
        )
        return (await self.db.execute(query)).all()
