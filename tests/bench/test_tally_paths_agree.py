"""The results tally read from SQL aggregates equals the tally computed from every vote.

The bench made `results` count votes in SQL (GROUP BY item and level) instead of loading every vote,
and snapshots read the same sums; a snapshot built from every vote must still say the same thing.
"""

from __future__ import annotations


import os
from collections.abc import AsyncIterator
from dataclasses import replace
from itertools import starmap
from pathlib import Path

import pytest
from sqlalchemy import update

from bench.workload import advance, bulk_load, fresh_postgres_database, open_bench_app, start_session
from facilitator.app.reading import tally_of
from facilitator.domain.settings import Settings
from facilitator.reports.vote_counts import VoteRecord
from facilitator.store.models import ItemRow
from facilitator.reports.tally import tally

PG_URL = os.environ.get("FACILITATOR_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tally.db'}"
        return
    if not PG_URL:
        pytest.skip("FACILITATOR_TEST_POSTGRES_URL is not set")
    async with fresh_postgres_database() as url:
        yield url


@pytest.mark.parametrize("anonymous", [False, True])
async def test_sql_tally_equals_snapshot_tally(database_url: str, anonymous: bool) -> None:
    app = await open_bench_app(database_url)
    try:
        app.service.context = replace(app.service.context, defaults=Settings(anonymous=anonymous))
        session_id = await start_session(app)
        # Some people without a level, items without votes, and hidden items with votes.
        await bulk_load(app, session_id, people=60, items=150, votes=700)
        async with app.db.engine.begin() as connection:
            await connection.execute(
                update(ItemRow).where(ItemRow.session_id == session_id, ItemRow.number % 7 == 0).values(hidden=True)
            )
        await advance(app, session_id)
        await advance(app, session_id)

        snapshot = await app.service.snapshot_of(session_id)
        async with app.db.read(app.service.context.clock()) as repo:
            session = await repo.session_by_id(session_id)
            assert session is not None
            from_sql = await tally_of(app.service.context, repo, session)
            every_vote = tuple(starmap(VoteRecord, await repo.votes_of(session_id)))
        from_snapshot = tally(replace(snapshot, counts=None, votes=every_vote))
    finally:
        await app.close()

    assert from_sql == from_snapshot
    rows = [row for section in from_sql.sections for row in section.rows]
    assert len(rows) == 150 - 150 // 7
    assert sum(row.votes for row in rows) > 0
    assert all((row.author is None) == anonymous for row in rows)
    assert "unspecified" in from_sql.levels
