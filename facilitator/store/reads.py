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
from facilitator.store.models import HOSTS, ITEMS, PARTICIPANTS, PHASE_EVENTS, VOTES, HostRow, ItemRow, ParticipantRow, VoteRow

# An item with one level's votes (see snapshot_items).
ItemVotesRow = Row[
    int, int, str, str, int, datetime, bool, str | None, int | None, int | None, str | None, int | None, int | None
]
PersonRow = Row[int, str, str, str | None, int | None, bool, bool]


class SessionReads(StoreBase):
    async def participants_of(self, session_id: int) -> Sequence[ParticipantRow]:
        query = select(ParticipantRow).where(ParticipantRow.session_id == session_id).order_by(ParticipantRow.id)
        return (await self.db.scalars(query)).all()

    async def snapshot_people(self, session_id: int) -> Sequence[PersonRow]:
        """Everyone who joined, with the votes they hold and whether they host: id, user id, name,
        level, votes (None without any), host, whether they have spent all their votes (the
        latch blind voting shows progress by). One statement where a snapshot used three."""
        held = (
            select(VOTES.c.participant_id, func.sum(VOTES.c.weight).label("votes"))
            .where(VOTES.c.session_id == session_id)
            .group_by(VOTES.c.participant_id)
            .subquery()
        )
        hosting = (
            select(HOSTS.c.id)
            .where(HOSTS.c.session_id == session_id, HOSTS.c.user_id == PARTICIPANTS.c.user_id)
            .exists()
        )
        query = (
            select(
                PARTICIPANTS.c.id,
                PARTICIPANTS.c.user_id,
                PARTICIPANTS.c.name,
                PARTICIPANTS.c.level,
                held.c.votes,
                hosting.label("host"),
                PARTICIPANTS.c.used_all_votes,
            )
            .outerjoin(held, held.c.participant_id == PARTICIPANTS.c.id)
            .where(PARTICIPANTS.c.session_id == session_id)
            .order_by(PARTICIPANTS.c.id)
        )
        return (await self.db.execute(query)).all()

    async def snapshot_items(self, session_id: int) -> Sequence[ItemVotesRow]:
        """Every item with its votes, in order of number: id, number, kind, text, author id, created
        at, hidden, why, merged into, the author's own votes on it, then a voter level with that
        level's votes and voters. An item has one row per level that voted for it, or one row with
        no level when nobody did. One statement where a snapshot used two (items, and the GROUP BY
        of votes by item and level), so a big export reads its data in two statements, not four."""
        by_level = (
            select(
                VOTES.c.item_id,
                PARTICIPANTS.c.level,
                func.sum(VOTES.c.weight).label("votes"),
                func.count().label("voters"),
            )
            .join(PARTICIPANTS, PARTICIPANTS.c.id == VOTES.c.participant_id)
            .where(VOTES.c.session_id == session_id)
            .group_by(VOTES.c.item_id, PARTICIPANTS.c.level)
            .subquery()
        )
        # The author's own vote, if any: one probe of uq_votes_item_voter per item.
        own = VOTES.alias("own")
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
                own.c.weight,
                by_level.c.level,
                by_level.c.votes,
                by_level.c.voters,
            )
            .outerjoin(own, (own.c.item_id == ITEMS.c.id) & (own.c.participant_id == ITEMS.c.author_id))
            .outerjoin(by_level, by_level.c.item_id == ITEMS.c.id)
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

    async def people_by_level(self, session_id: int) -> Sequence[Row[str, int]]:
        query = (
            select(PARTICIPANTS.c.level, func.count())
            .where(PARTICIPANTS.c.session_id == session_id)
            .group_by(PARTICIPANTS.c.level)
        )
        return (await self.db.execute(query)).all()

    async def votes_by_item(self, session_id: int) -> Sequence[Row[int, int]]:
        """(item id, votes) for every item that holds votes, hidden ones included."""
        query = (
            select(VOTES.c.item_id, func.sum(VOTES.c.weight))
            .where(VOTES.c.session_id == session_id)
            .group_by(VOTES.c.item_id)
        )
        return (await self.db.execute(query)).all()

    async def voting_progress(self, session_id: int, budget: int) -> tuple[int, int, int]:
        """Counts for visibility.has_votes_left, in one statement over the participants (none over
        the votes): people who have spent all their votes at some point of this vote (the latch),
        people who hold all of them now, and the votes held in all."""
        query = select(
            func.count().filter(PARTICIPANTS.c.used_all_votes.is_(True)),
            func.count().filter(PARTICIPANTS.c.votes_used >= budget),
            func.coalesce(func.sum(PARTICIPANTS.c.votes_used), 0),
        ).where(PARTICIPANTS.c.session_id == session_id)
        latched, spent, held = (await self.db.execute(query)).one()
        return int(latched), int(spent), int(held)

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
