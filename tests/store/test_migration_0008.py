"""0008 (deliberation) upgrades a database at the revision before it without losing a row:
every session reads as round 1 with predictions off, votes stay where they were, and a
rolled-back deploy keeps them."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.store.migration_steps import filled_at, old_session, previous_revision, table_names, up_down_up

NEW_TABLES = {"round_votes", "predictions", "discussions", "notes"}
ROWS = [
    old_session("discussing", items=1),
    "INSERT INTO participants (id, session_id, user_id, name, level, votes_used, joined_at, quiet)"
    " VALUES (1, 1, 'Ann', 'Ann', 'veteran', 1, :at, false)",
    "INSERT INTO items (id, session_id, number, kind, text, author_id, hidden, created_at)"
    " VALUES (1, 1, 1, 'do', 'Give first', 1, false, :at)",
    "INSERT INTO votes (id, session_id, item_id, participant_id, weight) VALUES (1, 1, 1, 1, 1)",
]


async def _upgraded(c: AsyncConnection) -> None:
    row = (await c.execute(text(
        "SELECT title, phase, round, predict, agenda, current_item, item_deadline FROM sessions"))).one()
    assert tuple(row) == ("Old", "discussing", 1, False, None, None, None)
    assert (await c.execute(text("SELECT count(*) FROM votes"))).scalar_one() == 1
    assert NEW_TABLES <= await c.run_sync(table_names)


async def _downgraded(c: AsyncConnection) -> None:
    assert not NEW_TABLES & await c.run_sync(table_names)
    assert (await c.execute(text("SELECT count(*) FROM votes"))).scalar_one() == 1
    assert (await c.execute(text("SELECT title FROM sessions"))).scalar_one() == "Old"


async def _again(c: AsyncConnection) -> None:
    assert (await c.execute(text("SELECT round FROM sessions"))).scalar_one() == 1


async def _check(url: str) -> None:
    await filled_at(url, previous_revision("0008"), ROWS)
    await up_down_up(url, "0008", _upgraded, _downgraded, _again)


async def test_upgrade_to_0008_keeps_data_on_sqlite(sqlite_url: str) -> None:
    await _check(sqlite_url)


async def test_upgrade_to_0008_keeps_data_on_postgresql(pg_url: str) -> None:
    await _check(pg_url)
