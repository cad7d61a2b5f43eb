"""0008 (deliberation) upgrades a database at the revision before it without losing a row:
every session reads as round 1 with predictions off, votes stay where they were, and a
rolled-back deploy keeps them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from facilitator.store.engine import create_engine, for_writes
from facilitator.store.migrate import current_revision, upgrade
from tests.store.migration_steps import downgrade_to, previous_revision, table_names

WHEN = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
NEW_TABLES = {"round_votes", "predictions", "discussions", "notes"}
PREVIOUS = previous_revision("0008")


async def _fill_before_0008(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine, PREVIOUS)
        async with engine.begin() as c:
            await c.execute(text(
                "INSERT INTO sessions (id, tenant, platform, channel, thread, title, template, phase, vote_budget,"
                " max_per_item, anonymous, blind, item_count, started_by, created_at) VALUES (1, 'T1', 'shell', 'C1',"
                " NULL, 'Old', 'pln', 'discussing', 3, 1, false, true, 1, 'Fay', :at)"), {"at": WHEN})
            await c.execute(text(
                "INSERT INTO participants (id, session_id, user_id, name, level, votes_used, joined_at, quiet)"
                " VALUES (1, 1, 'Ann', 'Ann', 'veteran', 1, :at, false)"), {"at": WHEN})
            await c.execute(text(
                "INSERT INTO items (id, session_id, number, kind, text, author_id, hidden, created_at)"
                " VALUES (1, 1, 1, 'do', 'Give first', 1, false, :at)"), {"at": WHEN})
            await c.execute(text(
                "INSERT INTO votes (id, session_id, item_id, participant_id, weight) VALUES (1, 1, 1, 1, 1)"))
    finally:
        await engine.dispose()




async def _check(url: str) -> None:
    await _fill_before_0008(url)
    engine = create_engine(url)
    try:
        await upgrade(engine, "0008")
        async with engine.connect() as c:
            row = (await c.execute(text(
                "SELECT title, phase, round, predict, agenda, current_item, item_deadline FROM sessions"))).one()
            assert tuple(row) == ("Old", "discussing", 1, False, None, None, None)
            assert (await c.execute(text("SELECT count(*) FROM votes"))).scalar_one() == 1
            assert NEW_TABLES <= await c.run_sync(table_names)
        async with for_writes(engine).begin() as c:
            await c.run_sync(downgrade_to, PREVIOUS)
        assert await current_revision(engine) == PREVIOUS
        async with engine.connect() as c:
            assert not NEW_TABLES & await c.run_sync(table_names)
            assert (await c.execute(text("SELECT count(*) FROM votes"))).scalar_one() == 1
            assert (await c.execute(text("SELECT title FROM sessions"))).scalar_one() == "Old"
        await upgrade(engine, "0008")
        async with engine.connect() as c:
            assert (await c.execute(text("SELECT round FROM sessions"))).scalar_one() == 1
    finally:
        await engine.dispose()


async def test_upgrade_to_0008_keeps_data_on_sqlite(sqlite_url: str) -> None:
    await _check(sqlite_url)


async def test_upgrade_to_0008_keeps_data_on_postgresql(pg_url: str) -> None:
    await _check(pg_url)
