"""The exactly-once rules that live in the schema itself, checked below the service."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from facilitator.domain.phases import Phase
from facilitator.store.database import Database
from facilitator.store.models import ItemRow, SessionRow, VoteRow
from tests.app.support import START


@pytest.fixture
async def db(app_db_url: str) -> AsyncIterator[Database]:
    database = await Database.open(app_db_url)
    try:
        yield database
    finally:
        await database.close()


def session_row(channel: str = "c1", phase: Phase = Phase.COLLECTING) -> SessionRow:
    return SessionRow(
        tenant="t1", platform="slack", channel=channel, title="T", template="pln", phase=phase.value,
        vote_budget=3, max_per_item=1, anonymous=False, blind=True, item_count=0, started_by="U1",
        created_at=START,
    )


async def new_session(db: Database, channel: str = "c1", phase: Phase = Phase.COLLECTING) -> int:
    async with db.write(START) as repo:
        return (await repo.create_session(session_row(channel, phase), "Ana")).id


async def test_a_channel_holds_one_open_session_but_any_number_of_closed_ones(db: Database) -> None:
    first = await new_session(db)
    with pytest.raises(IntegrityError):
        await new_session(db)
    await new_session(db, channel="c2")

    async with db.write(START) as repo:
        assert await repo.move_phase(first, Phase.COLLECTING, Phase.CLOSED)
    second = await new_session(db)
    await new_session(db, phase=Phase.CLOSED)

    async with db.read(START) as repo:
        current = await repo.open_session_in_channel("t1", "slack", "c1")
        assert current is not None and current.id == second
    async with db.write(START) as repo:
        await repo.db.execute(update(SessionRow).where(SessionRow.id == second).values(phase="closed"))
    async with db.read(START) as repo:
        assert await repo.open_session_in_channel("t1", "slack", "c1") is None


async def test_item_numbers_are_unique_within_a_session(db: Database) -> None:
    session_id = await new_session(db)
    async with db.write(START) as repo:
        person = await repo.ensure_participant(session_id, "U2", "Bo")
        item = await repo.add_item(session_id, "do", "One", person.id)
        assert item.number == 1
    with pytest.raises(IntegrityError):
        async with db.write(START) as repo:
            repo.db.add(ItemRow(session_id=session_id, number=1, kind="do", text="Copy", author_id=person.id,
                                hidden=False, created_at=START))
            await repo.db.flush()


async def test_one_vote_row_per_item_and_voter(db: Database) -> None:
    session_id = await new_session(db)
    async with db.write(START) as repo:
        person = await repo.ensure_participant(session_id, "U2", "Bo")
        item = await repo.add_item(session_id, "do", "One", person.id)
        assert await repo.add_vote(session_id, item.id, person.id, max_per_item=2)
        assert await repo.add_vote(session_id, item.id, person.id, max_per_item=2)
        assert not await repo.add_vote(session_id, item.id, person.id, max_per_item=2)
        assert await repo.votes_of(session_id) == [(1, person.id, 2)]
    with pytest.raises(IntegrityError):
        async with db.write(START) as repo:
            repo.db.add(VoteRow(session_id=session_id, item_id=item.id, participant_id=person.id, weight=1))
            await repo.db.flush()


async def test_the_vote_budget_is_one_conditional_update(db: Database) -> None:
    session_id = await new_session(db)
    async with db.write(START) as repo:
        person = await repo.ensure_participant(session_id, "U2", "Bo")

        async def spend_one() -> bool:
            return await repo.spend_votes(session_id, "U2", "Bo", 1, 3) is not None

        assert [await spend_one() for _ in range(5)] == [True, True, True, False, False]
        await repo.refund(person.id)
        assert await spend_one()
        assert not await spend_one()


async def test_claiming_the_same_event_key_twice_in_the_store(db: Database) -> None:
    async with db.write(START) as repo:
        assert await repo.claim_event("k1")
        assert not await repo.claim_event("k1")
