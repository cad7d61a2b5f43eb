"""Figure 3: tally and every export of a big session, against one hand-written GROUP BY.

Every query and command runs once per round, in rotating order (bench.rounds); each round's
time is divided by that round's GROUP BY. Lower is better here, so the worst round is the
highest ratio. Times shown are medians over the rounds."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from functools import partial

from sqlalchemy import text

from bench import rounds
from bench.latency import settled_heap
from bench.rounds import alternate, median, per_round
from bench.table import Row, millis
from bench.workload import HOST, advance, bulk_load, open_bench_app, place_of, sqlite_file, start_session
from facilitator import commands as cmd
from facilitator.bootstrap import FacilitatorApp
from facilitator.reports.export import FORMATS

TARGET = 3.0
VOTES_BY_ITEM_AND_LEVEL = text(
    "SELECT items.number, participants.level, SUM(votes.weight) FROM votes"
    " JOIN items ON items.id = votes.item_id"
    " JOIN participants ON participants.id = votes.participant_id"
    " WHERE votes.session_id = :session GROUP BY items.number, participants.level"
)
# What any export has to read, in the two statements a snapshot now uses (store/reads.py): every
# item with its votes by level and its author's own vote, and every person with the votes they hold.
EXPORT_DATA = (
    text(
        "SELECT items.id, items.number, items.kind, items.text, items.author_id, items.created_at, items.hidden,"
        " items.why, items.merged_into, own.weight, sums.level, sums.votes, sums.voters FROM items"
        " LEFT JOIN votes AS own ON own.item_id = items.id AND own.participant_id = items.author_id"
        " LEFT JOIN (SELECT votes.item_id, participants.level, SUM(votes.weight) AS votes, COUNT(*) AS voters"
        "  FROM votes JOIN participants ON participants.id = votes.participant_id WHERE votes.session_id = :session"
        "  GROUP BY votes.item_id, participants.level) AS sums ON sums.item_id = items.id"
        " WHERE items.session_id = :session ORDER BY items.number"
    ),
    text(
        "SELECT participants.id, participants.user_id, participants.name, participants.level, held.votes,"
        " EXISTS (SELECT 1 FROM hosts WHERE hosts.session_id = :session AND hosts.user_id = participants.user_id)"
        " FROM participants LEFT JOIN (SELECT participant_id, SUM(weight) AS votes FROM votes"
        "  WHERE session_id = :session GROUP BY participant_id) AS held ON held.participant_id = participants.id"
        " WHERE participants.session_id = :session ORDER BY participants.id"
    ),
)


async def seconds_of(call: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await call()
    return time.perf_counter() - started


async def measure(smoke: bool) -> list[Row]:
    people, items, votes = (40, 100, 600) if smoke else (2_000, 5_000, 30_000)
    count = rounds.count(smoke)
    with sqlite_file() as path:
        app = await open_bench_app(f"sqlite:///{path}")
        try:
            # As in a bot process (adapters/cli.py freezes its start-up heap), so that a full
            # collection doesn't walk the libraries' modules in the middle of an export.
            with settled_heap():
                return await _measure(app, people, items, votes, count)
        finally:
            await app.close()


async def _measure(app: FacilitatorApp, people: int, items: int, votes: int, count: int) -> list[Row]:
    session_id = await start_session(app)
    await bulk_load(app, session_id, people=people, items=items, votes=votes)
    await advance(app, session_id)  # voting
    await advance(app, session_id)  # discussing: results are no longer blind
    place = place_of(session_id)

    async def group_by() -> None:
        async with app.db.engine.connect() as connection:
            rows = (await connection.execute(VOTES_BY_ITEM_AND_LEVEL, {"session": session_id})).all()
            assert rows

    def command(command: cmd.Command) -> Callable[[], Awaitable[object]]:
        async def run() -> None:
            replies = await app.service.handle(HOST, place, command)
            assert replies[0].kind.name in ("RESULTS", "EXPORT"), replies[0].text

        return run

    async def export_data() -> None:
        async with app.db.engine.connect() as connection:
            for query in EXPORT_DATA:
                assert (await connection.execute(query, {"session": session_id})).all()

    async def snapshot() -> None:
        await app.service.snapshot_of(session_id)

    figures = [("tally (results)", cmd.Results())] + [(f"export {fmt}", cmd.Export(fmt)) for fmt in FORMATS]
    contenders: list[tuple[str, Callable[[], Awaitable[object]]]] = [
        ("raw", group_by), ("data", export_data), ("snapshot", snapshot),
        *((figure, command(command_)) for figure, command_ in figures),
    ]
    for _, call in contenders:
        await call()  # warm: compiled-statement caches, template loading
    times = await alternate([(name, partial(seconds_of, call)) for name, call in contenders], count)
    raw = median(times["raw"])
    size = f"{people:,} people, {items:,} items, {votes:,} votes"
    baseline = f"{millis(raw)} (GROUP BY items x level)"

    def row(figure: str, name: str, target: str, limit: float | None) -> Row:
        ratio = per_round(times[name], times["raw"], higher_is_better=False)
        met = None if limit is None else ratio.worst <= limit
        return Row(f"3 big session: {figure} ({size})", millis(median(times[name])), baseline, ratio.worst, target,
                   met, median=ratio.median)

    return [
        row("an export's data in 2 hand-written queries, no Python", "data", "- (the SQL floor of any export)", None),
        # Not a target: every export starts from a snapshot, so this is their floor. It reads every item and
        # person, but votes only as sums (GROUP BY item and level, and per person), not each vote.
        row("snapshot load (vote sums), inside every export", "snapshot", "- (the exports' floor)", None),
        *(row(figure, figure, f"<= {TARGET:.0f}x raw", TARGET) for figure, _ in figures),
    ]
