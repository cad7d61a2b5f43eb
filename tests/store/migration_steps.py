"""Steps the migration tests share: a database filled at the revision before the one under test,
going down to a revision and up again, and the tables a database holds.

Each `test_migration_NNNN.py` fills a database at the revision before NNNN with rows written in
that revision's own columns (which is why those INSERTs stay in each test), upgrades, checks,
downgrades and checks that the rows are still there."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncConnection

from facilitator.store.engine import create_engine, for_writes
from facilitator.store.migrate import alembic_config, current_revision, upgrade

WHEN = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)  # `:at` in the rows of filled_at
Check = Callable[[AsyncConnection], Awaitable[None]]


def previous_revision(revision: str) -> str:
    """The revision `revision` upgrades from (the chain is re-pointed when branches merge)."""
    return str(ScriptDirectory.from_config(alembic_config()).get_revision(revision).down_revision)


def old_session(phase: str, items: int = 0) -> str:
    """Session 1 as every revision so far has stored it (the columns of 0001)."""
    return ("INSERT INTO sessions (id, tenant, platform, channel, thread, title, template, phase, vote_budget,"
            " max_per_item, anonymous, blind, item_count, started_by, created_at) VALUES (1, 'T1', 'shell', 'C1',"
            f" NULL, 'Old', 'pln', '{phase}', 3, 1, false, true, {items}, 'Fay', :at)")


async def filled_at(url: str, revision: str, rows: Sequence[str]) -> None:
    """A database at `revision` holding `rows` (INSERT statements; `:at` is WHEN)."""
    engine = create_engine(url)
    try:
        await upgrade(engine, revision)
        async with engine.begin() as c:
            for row in rows:
                await c.execute(text(row), {"at": WHEN} if ":at" in row else {})
    finally:
        await engine.dispose()


async def up_down_up(url: str, revision: str, upgraded: Check, downgraded: Check, again: Check) -> None:
    """Upgrade a filled database to `revision` and check it, go back to the revision before (a
    rolled-back deploy) and check its rows are still there, then upgrade again and check."""
    engine = create_engine(url)
    previous = previous_revision(revision)
    try:
        await upgrade(engine, revision)
        async with engine.connect() as c:
            await upgraded(c)
        async with for_writes(engine).begin() as c:
            await c.run_sync(downgrade_to, previous)
        assert await current_revision(engine) == previous
        async with engine.connect() as c:
            await downgraded(c)
        await upgrade(engine, revision)
        assert await current_revision(engine) == revision
        async with engine.connect() as c:
            await again(c)
    finally:
        await engine.dispose()


def downgrade_to(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


def table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())
