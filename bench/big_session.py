"""Figure 3: tally and every export of a big session, against one hand-written GROUP BY."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from sqlalchemy import text

from bench.latency import settled_heap
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
# What any export has to read besides that: every item's text, every person, and votes per person.
EXPORT_DATA = (
    VOTES_BY_ITEM_AND_LEVEL,
    text("SELECT number, kind, text, author_id, hidden FROM items WHERE session_id = :session ORDER BY number"),
    text("SELECT id, name, level FROM participants WHERE session_id = :session ORDER BY id"),
    text("SELECT participant_id, SUM(weight) FROM votes WHERE session_id = :session GROUP BY participant_id"),
)


async def best_seconds(call: Callable[[], Awaitable[object]], repeats: int) -> float:
    """The fastest of a few runs, as timeit reports: other processes on the machine only ever add time."""
    await call()  # warm: compiled-statement caches, template loading
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        await call()
        times.append(time.perf_counter() - started)
    return min(times)


async def measure(smoke: bool) -> list[Row]:
    people, items, votes = (40, 100, 600) if smoke else (2_000, 5_000, 30_000)
    repeats = 2 if smoke else 5
    with sqlite_file() as path:
        app = await open_bench_app(f"sqlite:///{path}")
        try:
            # As in a bot process (adapters/cli.py freezes its start-up heap), so that a full
            # collection doesn't walk the libraries' modules in the middle of an export.
            with settled_heap():
                return await _measure(app, people, items, votes, repeats)
        finally:
            await app.close()


async def _measure(app: FacilitatorApp, people: int, items: int, votes: int, repeats: int) -> list[Row]:
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

    raw = await best_seconds(group_by, repeats)
    size = f"{people:,} people, {items:,} items, {votes:,} votes"
    # Not a target: every export starts from a snapshot, so this is their floor. It reads every item and
    # person, but votes only as sums (GROUP BY item and level, and per person), not each vote.
    loading = await best_seconds(snapshot, repeats)
    data = await best_seconds(export_data, repeats)
    rows = [
        Row(
            f"3 big session: an export's data in 4 hand-written queries, no Python ({size})",
            millis(data),
            f"{millis(raw)} (GROUP BY items x level)",
            data / raw,
            "- (the SQL floor of any export)",
            None,
        ),
        Row(
            f"3 big session: snapshot load (vote sums), inside every export ({size})",
            millis(loading),
            f"{millis(raw)} (GROUP BY items x level)",
            loading / raw,
            "- (the exports' floor)",
            None,
        )
    ]
    figures = [("tally (results)", cmd.Results())] + [(f"export {fmt}", cmd.Export(fmt)) for fmt in FORMATS]
    for figure, command_ in figures:
        ours = await best_seconds(command(command_), repeats)
        ratio = ours / raw
        rows.append(
            Row(
                f"3 big session: {figure} ({size})",
                millis(ours),
                f"{millis(raw)} (GROUP BY items x level)",
                ratio,
                f"<= {TARGET:.0f}x raw",
                ratio <= TARGET,
            )
        )
    return rows
