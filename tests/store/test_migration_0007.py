"""0007 (pledges) upgrades a database at the revision before it without losing a row: every
existing session gets the default follow-up period (7 days) and no pledges, and a rolled-back
deploy keeps its data."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from facilitator.store.engine import create_engine, for_writes
from facilitator.store.migrate import current_revision, upgrade
from tests.store.migration_steps import downgrade_to, previous_revision, table_names

WHEN = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
PREVIOUS = previous_revision("0007")


async def _fill_before_0007(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine, PREVIOUS)
        async with engine.begin() as c:
            await c.execute(text(
                "INSERT INTO sessions (id, tenant, platform, channel, thread, title, template, phase, vote_budget,"
                " max_per_item, anonymous, blind, item_count, started_by, created_at) VALUES (1, 'T1', 'shell', 'C1',"
                " NULL, 'Old', 'pln', 'closed', 3, 1, false, true, 0, 'Fay', :at)"), {"at": WHEN})
    finally:
        await engine.dispose()




async def _check(url: str) -> None:
    await _fill_before_0007(url)
    engine = create_engine(url)
    try:
        await upgrade(engine, "0007")
        async with engine.connect() as c:
            row = (await c.execute(text("SELECT title, followup, pledge_count FROM sessions"))).one()
            assert tuple(row) == ("Old", 7 * 86400, 0)
            assert "pledges" in await c.run_sync(table_names)
        async with for_writes(engine).begin() as c:
            await c.run_sync(downgrade_to, PREVIOUS)
        assert await current_revision(engine) == PREVIOUS
        async with engine.connect() as c:
            assert "pledges" not in await c.run_sync(table_names)
            assert (await c.execute(text("SELECT title FROM sessions"))).scalar_one() == "Old"
        await upgrade(engine, "0007")
        async with engine.connect() as c:
            assert (await c.execute(text("SELECT followup FROM sessions"))).scalar_one() == 7 * 86400
    finally:
        await engine.dispose()


async def test_upgrade_to_0007_keeps_data_on_sqlite(sqlite_url: str) -> None:
    await _check(sqlite_url)


async def test_upgrade_to_0007_keeps_data_on_postgresql(pg_url: str) -> None:
    await _check(pg_url)
