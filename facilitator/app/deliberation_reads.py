"""Reads a session's deliberation records for its snapshot: closed rounds' votes (as sums, like
the open round's), predictions, and the discussion with its notes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from facilitator.reports.snapshot import DiscussionRecord, NoteRecord, PredictionRecord, RoundRecord
from facilitator.reports.vote_counts import VoteCounts
from facilitator.store.base import as_utc
from facilitator.store.models import SessionRow
from facilitator.store.store import Store


class DeliberationRecords(NamedTuple):
    rounds: tuple[RoundRecord, ...]
    predictions: tuple[PredictionRecord, ...]
    discussions: tuple[DiscussionRecord, ...]
    notes: tuple[NoteRecord, ...]


async def deliberation_records(store: Store, session: SessionRow, number_of: Mapping[int, int]) -> DeliberationRecords:
    """`number_of` maps every item id of the session to its number. A session still in round 1
    has no closed round, and one with predictions off has none (the setting only changes before
    voting): their reads are skipped, so an ordinary export costs two statements more, not five."""
    session_id = session.id
    item_sums = await store.archived_votes_by_item_and_level(session_id) if session.round > 1 else ()
    person_sums = await store.archived_votes_by_participant(session_id) if session.round > 1 else ()
    rounds = tuple(
        RoundRecord(
            round_,
            VoteCounts.of_sums(
                [(item, level, votes, voters) for r, item, level, votes, voters in item_sums if r == round_],
                [(person, votes, None) for r, person, votes in person_sums if r == round_],
                number_of,
            ),
        )
        for round_ in sorted({row[0] for row in person_sums})
    )
    made = await store.predictions_of(session_id) if session.predict else []
    predictions = tuple(PredictionRecord(r, person, numbers) for r, person, numbers in made)
    discussions = tuple(
        DiscussionRecord(row.number, row.reason, as_utc(row.started_at), row.seconds)
        for row in await store.discussions_of(session_id)
    )
    notes = tuple(
        NoteRecord(row.number, row.author_name, row.text, as_utc(row.created_at)) for row in await store.notes_of(session_id)
    )
    return DeliberationRecords(rounds, predictions, discussions, notes)
