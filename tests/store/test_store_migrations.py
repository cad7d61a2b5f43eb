"""The schema: built by the Alembic migrations from nothing, identical to the models, safe to re-run."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect

from facilitator.bootstrap import open_app
from facilitator.store.database import Database
from facilitator.store.migrate import current_revision, head_revision
from facilitator.store.models import Base
from tests.app.support import START, actor, say, start

TABLES = {"sessions", "hosts", "participants", "items", "votes", "phase_events", "processed_events",
          "audit", "pairs", "pending_items",  # from 0002 (moderation, timers, pairs)
          "board_tokens",  # from 0006 (live board links)
          "round_votes", "predictions", "discussions", "notes",  # from 0008 (deliberation)
          "pledges",  # from 0007 (pledges)
          "outbox"}  # from 0005 (replies waiting for rate limits)


def _schema_differences(connection: Connection) -> list[Any]:
    return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


async def test_an_empty_database_is_migrated_to_head_on_open(db_url: str) -> None:
    bare = await Database.open(db_url, migrate=False)
    try:
        assert await current_revision(bare.engine) is None
        async with bare.engine.connect() as connection:
            assert await connection.run_sync(lambda c: set(inspect(c).get_table_names())) == set()
    finally:
        await bare.close()

    db = await Database.open(db_url)
    try:
        head = head_revision()
        assert head is not None
        assert await current_revision(db.engine) == head
        async with db.engine.connect() as connection:
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
            assert tables == TABLES | {"alembic_version"}
            # The migration builds exactly what the models describe: no missing column, index or key.
            assert await connection.run_sync(_schema_differences) == []
    finally:
        await db.close()


async def test_opening_an_already_migrated_database_keeps_its_data(db_url: str) -> None:
    first = await open_app(db_url)
    try:
        session_id = await start(first, actor("Ana"), title="Kept")
        await say(first, actor("Bo"), "do Still here")
    finally:
        await first.close()

    second = await open_app(db_url)
    try:
        assert await current_revision(second.db.engine) == head_revision()
        async with second.db.read(START) as repo:
            session = await repo.session_by_id(session_id)
            assert session is not None and session.title == "Kept"
            assert [item.text for item in await repo.items_of(session_id)] == ["Still here"]
    finally:
        await second.close()


async def test_two_processes_starting_at_once_both_open_the_database(db_url: str) -> None:
    apps = await asyncio.gather(open_app(db_url), open_app(db_url))
    try:
        for opened in apps:
            assert await current_revision(opened.db.engine) == head_revision()
        await start(apps[0], actor("Ana"))
        assert "already has an open session" in (await say(apps[1], actor("Bo"), "start"))[0].text
    finally:
        for opened in apps:
            await opened.close()
