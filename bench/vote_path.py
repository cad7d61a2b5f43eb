"""Figure 1: votes per second through the service, against single-row commits with the same driver."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import insert, select

from bench.table import Row, rate, skipped
from bench.workload import (
    TENANT,
    bulk_load,
    fresh_postgres_database,
    open_bench_app,
    place_of,
    postgres_dsn,
    sqlite_file,
    start_session,
    advance,
)
from facilitator import commands as cmd
from facilitator.domain.actors import Actor
from facilitator.bootstrap import FacilitatorApp
from facilitator.store.engine import POOL_OVERFLOW, POOL_SIZE, SQLITE_BUSY_TIMEOUT_S
from facilitator.store.models import VOTES, ItemRow, ParticipantRow

CONCURRENCY = 50
TARGET = 0.5
INSERT_VOTE = "INSERT INTO votes (session_id, item_id, participant_id, weight) VALUES ({}, {}, {}, 1)"


class Plan:
    """Who votes for what: vote k by voter k % people on an item no other vote of theirs touches."""

    def __init__(self, votes: int, items: int) -> None:
        self.votes = votes
        self.items = items
        self.people = -(-votes // 3)  # three votes each: the default budget, never exceeded

    def pairs(self) -> list[tuple[int, int]]:
        """(voter index, item number) per vote."""
        return [(k % self.people, (k // self.people) * 97 % self.items + 1 + k % 3) for k in range(self.votes)]


async def prepared_session(app: FacilitatorApp, plan: Plan) -> int:
    session_id = await start_session(app)
    await bulk_load(app, session_id, people=plan.people, items=plan.items + 3, votes=0)
    await advance(app, session_id)  # collecting -> voting
    return session_id


async def run_workers(calls: Sequence[Callable[[], Awaitable[object]]], concurrency: int) -> float:
    """Seconds to run every call with at most `concurrency` in flight."""
    queue = list(reversed(calls))

    async def worker() -> None:
        while queue:
            await queue.pop()()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started


@dataclass(frozen=True)
class Timing:
    seconds: float
    cpu_seconds: float  # this process only: the database server's work is not in it


async def service_votes(app: FacilitatorApp, plan: Plan, concurrency: int) -> Timing:
    session_id = await prepared_session(app, plan)
    place = place_of(session_id)
    refused: list[str] = []

    def call(voter: int, number: int) -> Callable[[], Awaitable[object]]:
        actor = Actor(TENANT, f"bulk{voter}", f"Bulk person {voter}")

        async def vote() -> None:
            replies = await app.service.handle(actor, place, cmd.Vote((number,)))
            if not replies[0].text.startswith("Voted"):
                refused.append(replies[0].text)

        return vote

    calls = [call(v, n) for v, n in plan.pairs()]
    cpu_started = time.process_time()
    seconds = await run_workers(calls, concurrency)
    cpu = time.process_time() - cpu_started
    if refused:
        raise RuntimeError(f"{len(refused)} votes refused, e.g. {refused[0]!r}")
    return Timing(seconds, cpu)


async def unit_of_work_floor(app: FacilitatorApp, plan: Plan, concurrency: int) -> Timing:
    """The same single INSERT as the raw baseline, in our unit of work: Database.write (its
    AsyncSession, BEGIN, COMMIT, on SQLite the write turn) and one prebuilt Core statement.

    No vote can cost less than this through SQLAlchemy's asyncio layer, whatever the service does.
    """
    session_id, inserts = await raw_inserts(app, plan)
    statement = insert(VOTES)

    def call(item_id: int, participant_id: int) -> Callable[[], Awaitable[object]]:
        async def insert_one() -> None:
            async with app.db.write(app.service.context.clock()) as repo:
                row = {"session_id": session_id, "item_id": item_id, "participant_id": participant_id, "weight": 1}
                await repo.db.execute(statement, row)

        return insert_one

    cpu_started = time.process_time()
    seconds = await run_workers([call(i, p) for i, p in inserts], concurrency)
    return Timing(seconds, time.process_time() - cpu_started)


async def ids_for(app: FacilitatorApp, session_id: int) -> tuple[list[int], dict[int, int]]:
    async with app.db.engine.connect() as connection:
        people = (await connection.execute(
            select(ParticipantRow.id).where(ParticipantRow.session_id == session_id).order_by(ParticipantRow.id)
        )).scalars().all()
        items = (await connection.execute(
            select(ItemRow.number, ItemRow.id).where(ItemRow.session_id == session_id)
        )).all()
    return list(people), {number: item_id for number, item_id in items}


def raw_sqlite_votes(path: str, session_id: int, inserts: list[tuple[int, int]]) -> float:
    """The physical limit: stdlib sqlite3, one INSERT and one COMMIT per vote, our pragmas."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA synchronous=NORMAL")
    statement = INSERT_VOTE.format("?", "?", "?")
    started = time.perf_counter()
    for item_id, participant_id in inserts:
        connection.execute(statement, (session_id, item_id, participant_id))
        connection.commit()
    seconds = time.perf_counter() - started
    connection.close()
    return seconds


async def raw_inserts(app: FacilitatorApp, plan: Plan) -> tuple[int, list[tuple[int, int]]]:
    """A second prepared session, and the (item id, participant id) of each planned vote in it."""
    session_id = await prepared_session(app, plan)
    people, items = await ids_for(app, session_id)
    return session_id, [(items[number], people[voter]) for voter, number in plan.pairs()]


@dataclass(frozen=True)
class Ours:
    """Our votes and the unit-of-work floor, one at a time and CONCURRENCY at once."""

    sequential: Timing
    concurrent: Timing
    floor: Timing
    floor_concurrent: Timing


async def our_timings(app: FacilitatorApp, plan: Plan) -> Ours:
    return Ours(
        await service_votes(app, plan, 1),
        await service_votes(app, plan, CONCURRENCY),
        await unit_of_work_floor(app, plan, 1),
        await unit_of_work_floor(app, plan, CONCURRENCY),
    )


def figures(database: str) -> tuple[str, str, str, str]:
    floor = "floor: 1 INSERT/commit in our unit of work"
    return (
        f"1 {database} votes/s, sequential",
        f"1 {database} votes/s, concurrency {CONCURRENCY}",
        f"1 {database} {floor}, sequential",
        f"1 {database} {floor}, concurrency {CONCURRENCY}",
    )


def rows(database: str, votes: int, ours: Ours, raw: tuple[float, float], baseline: tuple[str, str]) -> list[Row]:
    """The four rows of one database; raw and baseline are (sequential, concurrent)."""
    names = figures(database)
    return [
        _row(names[0], votes, ours.sequential, raw[0], baseline[0], ours.floor),
        _row(names[1], votes, ours.concurrent, raw[1], baseline[1], ours.floor_concurrent),
        _floor_row(names[2], votes, ours.floor, raw[0], baseline[0]),
        _floor_row(names[3], votes, ours.floor_concurrent, raw[1], baseline[1]),
    ]


async def measure_sqlite(plan: Plan) -> list[Row]:
    with sqlite_file() as path:
        app = await open_bench_app(f"sqlite:///{path}")
        try:
            ours = await our_timings(app, plan)
            session_id, inserts = await raw_inserts(app, plan)
        finally:
            await app.close()
        raw = await asyncio.to_thread(raw_sqlite_votes, str(path), session_id, inserts)
    # sqlite3 is synchronous: its one figure is the baseline at either concurrency.
    baseline = "raw sqlite3 1 row/commit"
    return rows("SQLite", plan.votes, ours, (raw, raw), (baseline, baseline))


async def raw_postgres_votes(dsn: str, session_id: int, inserts: list[tuple[int, int]], concurrency: int) -> float:
    """asyncpg outside a transaction block: each INSERT is its own commit."""
    # As many connections as our engine may open, so both sides have the same parallelism.
    size = min(concurrency, POOL_SIZE + POOL_OVERFLOW)
    pool = await asyncpg.create_pool(dsn, min_size=size, max_size=size)
    try:
        statement = INSERT_VOTE.format("$1", "$2", "$3")

        def call(item_id: int, participant_id: int) -> Callable[[], Awaitable[object]]:
            async def insert() -> None:
                async with pool.acquire() as connection:
                    await connection.execute(statement, session_id, item_id, participant_id)

            return insert

        return await run_workers([call(i, p) for i, p in inserts], concurrency)
    finally:
        await pool.close()


async def measure_postgres(plan: Plan) -> list[Row]:
    try:
        database = fresh_postgres_database()
        url = await database.__aenter__()
    except (OSError, asyncpg.PostgresError) as exc:
        reason = f"PostgreSQL unreachable ({type(exc).__name__})"
        return [skipped(f, reason, f">= {TARGET} of raw") for f in figures("PostgreSQL")]
    try:
        app = await open_bench_app(url)
        try:
            ours = await our_timings(app, plan)
            raw_seq_session, raw_seq = await raw_inserts(app, plan)
            raw_conc_session, raw_conc = await raw_inserts(app, plan)
        finally:
            await app.close()
        raw_sequential = await raw_postgres_votes(postgres_dsn(url), raw_seq_session, raw_seq, 1)
        raw_concurrent = await raw_postgres_votes(postgres_dsn(url), raw_conc_session, raw_conc, CONCURRENCY)
    finally:
        await database.__aexit__(None, None, None)
    baseline = "raw asyncpg 1 row/commit"
    return rows("PostgreSQL", plan.votes, ours, (raw_sequential, raw_concurrent),
                (baseline, f"{baseline}, concurrency {CONCURRENCY}"))


def _row(figure: str, votes: int, ours: Timing, raw: float, baseline: str, floor: Timing) -> Row:
    ratio = raw / ours.seconds  # both did the same number of votes: the ratio of rates is the inverse of times
    return Row(
        figure,
        f"{rate(votes, ours.seconds, 'votes')} ({ours.cpu_seconds / votes * 1000:.2f} ms CPU/vote;"
        f" {floor.seconds / ours.seconds:.2f} of the floor)",
        f"{rate(votes, raw, 'votes')} ({baseline})",
        ratio,
        f">= {TARGET} of raw",
        ratio >= TARGET,
    )


def _floor_row(figure: str, votes: int, floor: Timing, raw: float, baseline: str) -> Row:
    return Row(
        figure,
        f"{rate(votes, floor.seconds, 'votes')} ({floor.cpu_seconds / votes * 1000:.2f} ms CPU/vote)",
        f"{rate(votes, raw, 'votes')} ({baseline})",
        raw / floor.seconds,
        "- (SQLAlchemy asyncio's own floor)",
        None,
    )


async def measure(smoke: bool) -> list[Row]:
    plan = Plan(votes=60 if smoke else 1500, items=30 if smoke else 300)
    return await measure_sqlite(plan) + await measure_postgres(plan)
