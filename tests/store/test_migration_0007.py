"""0007 (pledges) upgrades a database at the revision before it without losing a row: every
existing session gets the default follow-up period (7 days) and no pledges, and a rolled-back
deploy keeps its data."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.store.migration_steps import filled_at, old_session, previous_revision, table_names, up_down_up


async def _upgraded(c: AsyncConnection) -> None:
    row = (await c.execute(text("SELECT title, followup, pledge_count FROM sessions"))).one()
    assert tuple(row) == ("Old", 7 * 86400, 0)
    assert "pledges" in await c.run_sync(table_names)


async def _downgraded(c: AsyncConnection) -> None:
    assert "pledges" not in await c.run_sync(table_names)
    assert (await c.execute(text("SELECT title FROM sessions"))).scalar_one() == "Old"


async def _again(c: AsyncConnection) -> None:
    assert (await c.execute(text("SELECT followup FROM sessions"))).scalar_one() == 7 * 86400


async def _check(url: str) -> None:
    await filled_at(url, previous_revision("0007"), [old_session("closed")])
    await up_down_up(url, "0007", _upgraded, _downgraded, _again)


async def test_upgrade_to_0007_keeps_data_on_sqlite(sqlite_url: str) -> None:
    await _check(sqlite_url)


async def test_upgrade_to_0007_keeps_data_on_postgresql(pg_url: str) -> None:
    await _check(pg_url)
