"""Figure 8: what follow-ups of pledges cost the timer worker.

* *Idle tick.* Every process's worker asks "is anything due?" every few seconds; with pledges the
  one statement also asks for a due follow-up (EXISTS on an index of `pledges.due_at`). In
  alternating rounds (bench.rounds) a run is 200 idle ticks' question (`anything_due`, nothing due) on a
  database holding 10,000 pledges whose follow-ups are weeks away, against the old question
  alone (sessions only, the statement before pledges, in the same read unit of work). The ratio
  is ours over that, per round.
* *Claims.* 1,000 follow-ups fall due at once; two workers (two apps on one database, as two
  processes would be) drain them together. The rate is follow-ups sent per second, and the row
  checks that each went out exactly once.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, insert, or_, select, text, update

from bench import rounds
from bench.rounds import alternate, per_round
from bench.table import Row, skipped
from bench.workload import fresh_postgres_database, open_bench_app, sqlite_file
from facilitator.bootstrap import FacilitatorApp
from facilitator.store.models import PledgeRow, SessionRow

STORED = 10_000
TICKS = 200
DUE = 1_000
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
_SESSION_DUE = or_(  # the question before pledges (store/schedule.py at revision 0003)
    and_(SessionRow.deadline.is_not(None), SessionRow.deadline <= NOW),
    and_(SessionRow.nudge_at.is_not(None), SessionRow.nudge_at <= NOW),
    and_(SessionRow.item_deadline.is_not(None), SessionRow.item_deadline <= NOW),
)


async def _stored_pledges(app: FacilitatorApp, count: int, due_at: datetime) -> None:
    async with app.db.engine.begin() as connection:
        session_id = (await connection.execute(insert(SessionRow).values(
            tenant="bench", platform="shell", channel=f"pledges-{due_at.timestamp()}", title="Pledges", template="pln",
            phase="closed", vote_budget=3, max_per_item=1, anonymous=False, blind=True, item_count=0,
            started_by="host", created_at=NOW, pledge_count=count,
        ).returning(SessionRow.id))).scalar_one()
        rows = [dict(session_id=session_id, tenant="bench", platform="shell", channel="pledges", number=n + 1,
                     owner=f"u{n}", owner_name=f"Person {n}", text=f"Pledge {n}", status="open", pledged_by=f"u{n}",
                     created_at=NOW, due_at=due_at, followups=0) for n in range(count)]
        for start in range(0, count, 1000):
            await connection.execute(insert(PledgeRow), rows[start:start + 1000])
        # Statistics, as autovacuum gathers them soon after a bulk load: without them PostgreSQL
        # plans a freshly filled table as tiny and scans it (0.9 ms instead of 0.02 ms here).
        await connection.execute(text("ANALYZE pledges"))


async def _ticks(app: FacilitatorApp, old_question_only: bool) -> float:
    started = time.perf_counter()
    for _ in range(TICKS):
        async with app.db.read(NOW) as store:
            if old_question_only:
                assert await store.db.scalar(select(SessionRow.id).where(_SESSION_DUE).limit(1)) is None
            else:
                assert not await store.anything_due(NOW)  # what fire_due asks first, pledges included
    return (time.perf_counter() - started) / TICKS


async def _idle(url: str, smoke: bool) -> list[Row]:
    app = await open_bench_app(url)
    stored = 100 if smoke else STORED
    try:
        await _stored_pledges(app, stored, NOW + timedelta(days=30))
        runs = await alternate([("ours", lambda: _ticks(app, False)), ("old", lambda: _ticks(app, True))],
                               rounds.count(smoke))
    finally:
        await app.close()
    spread = per_round(runs["ours"], runs["old"], higher_is_better=False)
    ours, old = rounds.median(runs["ours"]), rounds.median(runs["old"])
    return [Row(f"8 follow-ups: idle timer tick, {stored:,} pledges stored, {url.split(':')[0]}",
                f"{ours * 1e6:.0f} µs/tick", f"{old * 1e6:.0f} µs (old question only)", spread.worst,
                median=spread.median)]


async def _claims(url: str, smoke: bool) -> Row:
    due = 50 if smoke else DUE
    first, second = await open_bench_app(url), await open_bench_app(url)
    try:
        await _stored_pledges(first, due, NOW)

        async def drain(app: FacilitatorApp) -> int:
            sent = 0
            while batch := await app.service.fire_due(NOW):
                sent += sum(len(replies) for _, replies in batch)
            return sent

        started = time.perf_counter()
        counts = await asyncio.gather(drain(first), drain(second))
        elapsed = time.perf_counter() - started
        async with first.db.engine.begin() as connection:
            left = (await connection.execute(update(PledgeRow).where(PledgeRow.due_at.is_not(None))
                                             .values(due_at=None))).rowcount
    finally:
        await first.close()
        await second.close()
    once = sum(counts) == due and left == 0
    return Row(f"8 follow-ups: {due:,} due at once, 2 workers, {url.split(':')[0]}",
               f"{due / elapsed:.0f} follow-ups/s", f"split {counts[0]}/{counts[1]}", target="each sent once",
               met=once)


async def measure(smoke: bool) -> list[Row]:
    rows: list[Row] = []
    with sqlite_file() as path:
        rows += await _idle(f"sqlite:///{path}", smoke)
    with sqlite_file() as path:
        rows.append(await _claims(f"sqlite:///{path}", smoke))
    try:
        async with fresh_postgres_database() as url:
            rows += await _idle(url, smoke)
        async with fresh_postgres_database() as url:
            rows.append(await _claims(url, smoke))
    except OSError as exc:
        rows.append(skipped("8 follow-ups on PostgreSQL", f"unreachable ({exc})"))
    return rows
