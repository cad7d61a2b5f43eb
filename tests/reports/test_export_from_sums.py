"""A snapshot read with the store's vote sums renders exactly as one built from every vote.

Exports and summaries read votes as SQL aggregates (GROUP BY item and level, and per person);
hand-built snapshots carry every vote and add them up in Python. Both must say the same, byte
for byte, in every format, on SQLite and on PostgreSQL.
"""

from __future__ import annotations


from dataclasses import replace
from itertools import starmap

import pytest

from facilitator.app.reading import load_snapshot
from sqlalchemy import update

from bench.workload import bulk_load
from facilitator.bootstrap import FacilitatorApp
from facilitator.reports.export import FORMATS, render_export
from facilitator.reports.snapshot import SessionSnapshot, VoteRecord
from facilitator.store.models import ItemRow
from facilitator.reports.summary import summarize
from facilitator.reports.tally import tally
from tests.app.support import START, actor, advance_to, say, start

ANA, BO, CY, DEE, EVE, FLO = (actor(name) for name in ("Ana", "Bo", "Cy", "Dee", "Eve", "Flo"))


async def _both_ways(app: FacilitatorApp, session_id: int) -> tuple[SessionSnapshot, SessionSnapshot]:
    """The snapshot as the service reads it, and the same snapshot with every vote instead of sums."""
    async with app.db.read(app.service.context.clock()) as repo:
        session = await repo.session_by_id(session_id)
        assert session is not None
        from_sums = await load_snapshot(app.service.context, repo, session)
        votes = tuple(starmap(VoteRecord, await repo.votes_of(session_id)))
    assert from_sums.counts is not None and from_sums.votes == ()
    return from_sums, replace(from_sums, counts=None, votes=votes)


def _assert_same(from_sums: SessionSnapshot, every_vote: SessionSnapshot) -> None:
    assert from_sums.vote_counts == every_vote.vote_counts
    assert summarize(from_sums) == summarize(every_vote)
    assert tally(from_sums) == tally(every_vote)
    for fmt in FORMATS:
        ours = render_export(from_sums, fmt, now=START).content
        assert ours == render_export(every_vote, fmt, now=START).content, fmt


async def _hide(app: FacilitatorApp, session_id: int, numbers: tuple[int, ...]) -> None:
    # Straight in the table: hiding through the service refunds the votes, and these keep theirs.
    async with app.db.engine.begin() as connection:
        await connection.execute(
            update(ItemRow).where(ItemRow.session_id == session_id, ItemRow.number.in_(numbers)).values(hidden=True)
        )


@pytest.mark.parametrize("anonymous", [False, True])
async def test_a_workshop_exports_the_same_from_sums_and_from_every_vote(app: FacilitatorApp, anonymous: bool) -> None:
    session_id = await start(app, ANA, title="Sums check")
    await say(app, ANA, f"settings votes=5 per-item=2 anonymous={'on' if anonymous else 'off'} blind=off")
    for who, level in ((BO, "veteran"), (CY, "newcomer"), (DEE, "practitioner"), (FLO, "veteran")):
        await say(app, who, f"join {level}")
    for who, line in ((BO, "do Give first"), (CY, "dont Only broadcast"), (DEE, "do Keep notes"),
                      (EVE, "do Ask good questions"), (CY, "do Thank people"), (BO, "dont Lurk forever")):
        await say(app, who, line)
    await advance_to(app, ANA, "voting")
    await say(app, BO, "vote 1 1 2 3")  # two votes on #1: weight 2
    await say(app, CY, "vote 1 3 3 6")
    await say(app, DEE, "vote 2 5")
    await say(app, EVE, "vote 1 4 4")  # no level picked: counts as unspecified
    await _hide(app, session_id, (3,))  # votes on a hidden item still count as cast
    await advance_to(app, ANA, "discussing")

    _assert_same(*await _both_ways(app, session_id))


async def test_a_big_session_exports_the_same_from_sums_and_from_every_vote(app: FacilitatorApp) -> None:
    session_id = await start(app, ANA, title="Bulk")
    await bulk_load(app, session_id, people=60, items=150, votes=700)
    await _hide(app, session_id, tuple(range(7, 151, 7)))
    from_sums, every_vote = await _both_ways(app, session_id)

    _assert_same(from_sums, every_vote)
    assert from_sums.vote_counts.total == 700
    assert "unspecified" in summarize(from_sums).levels
