"""Figure 1: votes per second through the service, against single-row commits with the same driver.

At each concurrency, three sides run once per round in a rotating order (bench.rounds): our
vote through `service.handle`, the unit-of-work floor (one INSERT in our Database.write) and
the raw driver (one INSERT per commit). Ratios are taken within each round.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import asyncpg  # type: ignore[import-untyped]

from bench import rounds
from bench.rounds import Spread, alternate, median, per_round
from bench.table import Row, skipped
from bench.vote_runs import Plan, Timing, raw_postgres_votes, raw_sqlite_votes, service_votes, unit_of_work_floor
from bench.workload import fresh_postgres_database, open_bench_app, postgres_dsn, sqlite_file
from facilitator.bootstrap import FacilitatorApp

CONCURRENCY = 50
TARGET = 0.5
Raw = Callable[[FacilitatorApp, Plan, int], Awaitable[Timing]]


def figures(database: str) -> list[str]:
    floor = "floor: 1 INSERT/commit in our unit of work"
    return [
        f"1 {database} votes/s, sequential",
        f"1 {database} votes/s, concurrency {CONCURRENCY}",
        f"1 {database} {floor}, sequential",
        f"1 {database} {floor}, concurrency {CONCURRENCY}",
    ]


async def at_concurrency(app: FacilitatorApp, plan: Plan, raw: Raw, concurrency: int,
                         count: int) -> dict[str, list[Timing]]:
    return await alternate([
        ("ours", lambda: service_votes(app, plan, concurrency)),
        ("floor", lambda: unit_of_work_floor(app, plan, concurrency)),
        ("raw", lambda: raw(app, plan, concurrency)),
    ], count)


def rows_of(database: str, baseline: str, runs: list[dict[str, list[Timing]]]) -> list[Row]:
    """Two rows (ours, the floor) per concurrency; runs is [sequential, concurrent]."""
    names = figures(database)
    found = []
    for index, timings in enumerate(runs):
        label = baseline if index == 0 else f"{baseline}, concurrency {CONCURRENCY}"
        ours, floor, raw = (timings[k] for k in ("ours", "floor", "raw"))
        found.append(_row(names[index], ours, raw, label, floor))
        found.append(_floor_row(names[index + 2], floor, raw, label))
    return [found[0], found[2], found[1], found[3]]


async def measure_sqlite(plan: Plan, count: int) -> list[Row]:
    with sqlite_file() as path:
        app = await open_bench_app(f"sqlite:///{path}")

        async def raw(app: FacilitatorApp, plan: Plan, _concurrency: int) -> Timing:
            return await raw_sqlite_votes(app, str(path), plan)

        try:
            runs = [await at_concurrency(app, plan, raw, c, count) for c in (1, CONCURRENCY)]
        finally:
            await app.close()
    return rows_of("SQLite", "raw sqlite3 1 row/commit", runs)


async def measure_postgres(plan: Plan, count: int) -> list[Row]:
    try:
        database = fresh_postgres_database()
        url = await database.__aenter__()
    except (OSError, asyncpg.PostgresError) as exc:
        reason = f"PostgreSQL unreachable ({type(exc).__name__})"
        return [skipped(f, reason, f">= {TARGET} of raw") for f in figures("PostgreSQL")]
    try:
        app = await open_bench_app(url)

        async def raw(app: FacilitatorApp, plan: Plan, concurrency: int) -> Timing:
            return await raw_postgres_votes(app, postgres_dsn(url), plan, concurrency)

        try:
            runs = [await at_concurrency(app, plan, raw, c, count) for c in (1, CONCURRENCY)]
        finally:
            await app.close()
    finally:
        await database.__aexit__(None, None, None)
    return rows_of("PostgreSQL", "raw asyncpg 1 row/commit", runs)


def _rates(timings: list[Timing]) -> str:
    """The median round's rate and CPU, and the range over the rounds."""
    rates = sorted(t.rate for t in timings)
    cpu = median([t.cpu_per_vote for t in timings]) * 1000
    return f"{median(rates):,.0f} votes/s ({rates[0]:,.0f}-{rates[-1]:,.0f}; {cpu:.2f} ms CPU/vote"


def _spread(ours: list[Timing], raw: list[Timing]) -> Spread:
    return per_round([t.rate for t in ours], [t.rate for t in raw])


def _row(figure: str, ours: list[Timing], raw: list[Timing], baseline: str, floor: list[Timing]) -> Row:
    ratio = _spread(ours, raw)
    of_floor = _spread(ours, floor).median
    return Row(
        figure,
        f"{_rates(ours)}; {of_floor:.2f} of the floor)",
        f"{_rates(raw)}; {baseline}, {raw[0].votes:,} votes a run)",
        ratio.worst,
        f">= {TARGET} of raw",
        ratio.worst >= TARGET,
        median=ratio.median,
    )


def _floor_row(figure: str, floor: list[Timing], raw: list[Timing], baseline: str) -> Row:
    ratio = _spread(floor, raw)
    return Row(
        figure,
        f"{_rates(floor)})",
        f"{_rates(raw)}; {baseline}, {raw[0].votes:,} votes a run)",
        ratio.worst,
        "- (SQLAlchemy asyncio's own floor)",
        None,
        median=ratio.median,
    )


async def measure(smoke: bool) -> list[Row]:
    plan = Plan(votes=60 if smoke else 1500, items=30 if smoke else 300)
    count = rounds.count(smoke)
    return await measure_sqlite(plan, count) + await measure_postgres(plan, count)
