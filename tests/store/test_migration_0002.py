"""0002 upgrades a database made by 0001 without losing a row, and matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, text

from facilitator.store.engine import create_engine, for_writes
from facilitator.store.migrate import current_revision, head_revision, upgrade
from facilitator.store.models import Base
from tests.store.migration_steps import downgrade_to, filled_at, old_session

ROWS_AT_0001 = [
    old_session("voting", items=1),
    "INSERT INTO participants (id, session_id, user_id, name, level, votes_used, joined_at)"
    " VALUES (1, 1, 'Ann', 'Ann', 'veteran', 1, :at)",
    "INSERT INTO items (id, session_id, number, kind, text, author_id, hidden, created_at)"
    " VALUES (1, 1, 1, 'do', 'Give first', 1, false, :at)",
    "INSERT INTO votes (id, session_id, item_id, participant_id, weight) VALUES (1, 1, 1, 1, 1)",
]


def _diff(connection: Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


async def _check_upgrade(url: str) -> None:
    await filled_at(url, "0001", ROWS_AT_0001)
    engine = create_engine(url)
    try:
        await upgrade(engine)  # through 0002 and every later revision, which must keep the rows too
        assert await current_revision(engine) == head_revision()
        async with engine.connect() as c:
            session = (await c.execute(text("SELECT title, phase, deadline, nudge_at FROM sessions"))).one()
            person = (await c.execute(text("SELECT name, votes_used, quiet FROM participants"))).one()
            item = (await c.execute(text("SELECT text, why, merged_into FROM items"))).one()
            votes = (await c.execute(text("SELECT count(*) FROM votes"))).scalar_one()
            assert tuple(session) == ("Old", "voting", None, None)
            assert tuple(person) == ("Ann", 1, False)
            assert tuple(item) == ("Give first", None, None)
            assert votes == 1
            assert (await c.execute(text("SELECT count(*) FROM audit"))).scalar_one() == 0
            assert await c.run_sync(_diff) == []
        # Back down to 0001 and up again (a rolled-back deploy) keeps the rows too.
        async with for_writes(engine).begin() as c:
            await c.run_sync(downgrade_to, "0001")
        assert await current_revision(engine) == "0001"
        await upgrade(engine)
        async with engine.connect() as c:
            assert (await c.execute(text("SELECT count(*) FROM votes"))).scalar_one() == 1
            assert (await c.execute(text("SELECT text FROM items"))).scalar_one() == "Give first"
    finally:
        await engine.dispose()


async def test_upgrade_from_0001_keeps_data_on_sqlite(sqlite_url: str) -> None:
    await _check_upgrade(sqlite_url)


async def test_upgrade_from_0001_keeps_data_on_postgresql(pg_url: str) -> None:
    await _check_upgrade(pg_url)


async def test_open_channel_index_survives_the_upgrade_on_sqlite(sqlite_url: str) -> None:
    await filled_at(sqlite_url, "0001", ROWS_AT_0001)
    engine = create_engine(sqlite_url)
    try:
        await upgrade(engine)
        async with engine.connect() as c:
            sql = (await c.execute(text(
                "SELECT sql FROM sqlite_master WHERE name = 'uq_sessions_open_channel'"))).scalar_one()
        assert "WHERE phase != 'closed'" in sql
    finally:
        await engine.dispose()
