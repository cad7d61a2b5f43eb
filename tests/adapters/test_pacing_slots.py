"""How many units of work may follow acks at once depends on the database (adapters/pacing.py)."""

from __future__ import annotations

from adapters.pacing import POSTGRES_SLOTS, SQLITE_SLOTS, slots_for
from facilitator.store.database import Database
from facilitator.store.engine import POOL_OVERFLOW, POOL_SIZE


async def test_sqlite_takes_two_slots_and_postgresql_overlaps_more_within_its_pool(db_url: str) -> None:
    database = await Database.open(db_url, migrate=False)
    try:
        expected = SQLITE_SLOTS if db_url.startswith("sqlite") else POSTGRES_SLOTS
        assert slots_for(database) == expected
    finally:
        await database.close()
    assert SQLITE_SLOTS < POSTGRES_SLOTS < POOL_SIZE + POOL_OVERFLOW  # the work never waits for a connection
