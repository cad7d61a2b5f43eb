"""0005 (the outbox, and the level prompt asked once) upgrades a database at the revision before
it without losing a row: a participant who was asked for a level under the old rule counts as not
yet asked (at most one more prompt), and a rolled-back deploy keeps its data."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.store.migration_steps import filled_at, old_session, previous_revision, table_names, up_down_up

ROWS = [
    old_session("voting"),
    "INSERT INTO participants (id, session_id, user_id, name, level, votes_used, joined_at)"
    " VALUES (1, 1, 'U1', 'Ann', 'unspecified', 1, :at)",
]


async def _upgraded(c: AsyncConnection) -> None:
    row = (await c.execute(text("SELECT name, votes_used, level_prompted FROM participants"))).one()
    assert (row[0], row[1], bool(row[2])) == ("Ann", 1, False)
    assert "outbox" in await c.run_sync(table_names)


async def _downgraded(c: AsyncConnection) -> None:
    assert "outbox" not in await c.run_sync(table_names)
    assert (await c.execute(text("SELECT name FROM participants"))).scalar_one() == "Ann"


async def _again(c: AsyncConnection) -> None:
    assert "outbox" in await c.run_sync(table_names)


async def _check(url: str) -> None:
    await filled_at(url, previous_revision("0005"), ROWS)
    await up_down_up(url, "0005", _upgraded, _downgraded, _again)


async def test_upgrade_to_0005_keeps_data_on_sqlite(sqlite_url: str) -> None:
    await _check(sqlite_url)


async def test_upgrade_to_0005_keeps_data_on_postgresql(pg_url: str) -> None:
    await _check(pg_url)
