"""0004 gives items their source message and post without losing a row, and one message can
be one item at most. It is filled at the revision 0004 follows (whichever that is on main)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from facilitator.store.engine import create_engine, for_writes
from facilitator.store.migrate import current_revision, upgrade
from tests.store.migration_steps import WHEN, downgrade_to, filled_at, previous_revision

BEFORE = previous_revision("0004")
ITEM = ("INSERT INTO items (session_id, number, kind, text, author_id, hidden, created_at, source)"
        " VALUES (1, :number, 'do', 'Again', 1, false, :at, :source)")
ROWS = [
    "INSERT INTO sessions (id, tenant, platform, channel, thread, title, template, phase, vote_budget,"
    " max_per_item, anonymous, blind, item_count, started_by, created_at) VALUES (1, 'T1', 'slack', 'C1',"
    " '1.1', 'Old', 'pln', 'collecting', 3, 1, false, true, 1, 'U1', :at)",
    "INSERT INTO participants (id, session_id, user_id, name, level, votes_used, joined_at)"
    " VALUES (1, 1, 'U1', 'Ann', 'veteran', 0, :at)",
    "INSERT INTO items (session_id, number, kind, text, author_id, hidden, created_at)"
    " VALUES (1, 1, 'do', 'Give first', 1, false, :at)",
]


async def _check(url: str) -> None:
    await filled_at(url, BEFORE, ROWS)
    engine = create_engine(url)
    try:
        await upgrade(engine, "0004")
        async with engine.connect() as c:
            assert tuple((await c.execute(text("SELECT text, source, post FROM items"))).one()) == ("Give first", None,
                                                                                                     None)
        async with engine.begin() as c:  # items without a source are as many as ever
            await c.execute(text(ITEM), {"number": 2, "at": WHEN, "source": None})
            await c.execute(text(ITEM), {"number": 3, "at": WHEN, "source": "1.5"})
        with pytest.raises(IntegrityError):
            async with engine.begin() as c:
                await c.execute(text(ITEM), {"number": 4, "at": WHEN, "source": "1.5"})
        async with for_writes(engine).begin() as c:
            await c.run_sync(downgrade_to, BEFORE)
        assert await current_revision(engine) == BEFORE
        async with engine.connect() as c:
            assert (await c.execute(text("SELECT count(*) FROM items"))).scalar_one() == 3
    finally:
        await engine.dispose()


async def test_upgrade_to_0004_and_back_keeps_data_on_sqlite(sqlite_url: str) -> None:
    await _check(sqlite_url)


async def test_upgrade_to_0004_and_back_keeps_data_on_postgresql(pg_url: str) -> None:
    await _check(pg_url)
