"""0005 (the outbox, and the level prompt asked once) upgrades a database at the revision before
it without losing a row: a participant who was asked for a level under the old rule counts as not
yet asked (at most one more prompt), and a rolled-back deploy keeps its data."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from facilitator.store.engine import create_engine, for_writes
from facilitator.store.migrate import current_revision, upgrade
from tests.store.migration_steps import downgrade_to, previous_revision, table_names

WHEN = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
PREVIOUS = previous_revision("0005")


async def _fill_before_0005(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine, PREVIOUS)
        async with engine.begin() as c:
            await c.execute(text(
                "INSERT INTO sessions (id, tenant, platform, channel, thread, title, template, phase, vote_budget,"
                " max_per_item, anonymous, blind, item_count, started_by, created_at) VALUES (1, 'T1', 'shell', 'C1',"
                " NULL, 'Old', 'pln', 'voting', 3, 1, false, true, 0, 'Fay', :at)"), {"at": WHEN})
            await c.execute(text(
                "INSERT INTO participants (id, session_id, user_id, name, level, votes_used, joined_at)"
                " VALUES (1, 1, 'U1', 'Ann', 'unspecified', 1, :at)"), {"at": WHEN})
    finally:
        await engine.dispose()




async def _check(url: str) -> None:
    await _fill_before_0005(url)
    engine = create_engine(url)
    try:
        await upgrade(engine, "0005")
        async with engine.connect() as c:
            row = (await c.execute(text("SELECT name, votes_used, level_prompted FROM participants"))).one()
            assert (row[0], row[1], bool(row[2])) == ("Ann", 1, False)
            assert "outbox" in await c.run_sync(table_names)
        async with for_writes(engine).begin() as c:
            await c.run_sync(downgrade_to, PREVIOUS)
        assert await current_revision(engine) == PREVIOUS
        async with engine.connect() as c:
            assert "outbox" not in await c.run_sync(table_names)
            assert (await c.execute(text("SELECT name FROM participants"))).scalar_one() == "Ann"
        await upgrade(engine, "0005")
        assert await current_revision(engine) == "0005"
    finally:
        await engine.dispose()


async def test_upgrade_to_0005_keeps_data_on_sqlite(sqlite_url: str) -> None:
    await _check(sqlite_url)


async def test_upgrade_to_0005_keeps_data_on_postgresql(pg_url: str) -> None:
    await _check(pg_url)
