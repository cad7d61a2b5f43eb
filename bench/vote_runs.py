"""The timed runs of figure 1: our votes, our unit of work's floor, and the raw drivers.

Each run prepares its own session in voting phase first (untimed), then times `Plan.votes`
votes by distinct (person, item) pairs, so every run does the same work on a fresh session.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import insert, select

from bench.latency import settled_heap
from bench.workload import HOST, TENANT, advance, bulk_load, place_of, start_session
from facilitator import commands as cmd
from facilitator.domain.actors import Actor
from facilitator.bootstrap import FacilitatorApp
from facilitator.store.engine import POOL_OVERFLOW, POOL_SIZE, SQLITE_BUSY_TIMEOUT_S
from facilitator.store.models import VOTES, ItemRow, ParticipantRow

INSERT_VOTE = "INSERT INTO votes (session_id, item_id, participant_id, weight) VALUES ({}, {}, {}, 1)"
Call = Callable[[], Awaitable[object]]
RAW_SQLITE_SCALE = 10


class Plan:
    """Who votes for what: vote k by voter k % people on an item no other vote of theirs touches."""

    def __init__(self, votes: int, items: int) -> None:
        self.votes = votes
        self.items = items
        self.people = -(-votes // 3)  # three votes each: the default budget, never exceeded

    def pairs(self) -> list[tuple[int, int]]:
        """(voter index, item number) per vote."""
        return [(k % self.people, (k // self.people) * 97 % self.items + 1 + k % 3) for k in range(self.votes)]


@dataclass(frozen=True)
class Timing:
    votes: int
    seconds: float
    cpu_seconds: float  # this process only: the database server's work is not in it

    @property
    def rate(self) -> float:
        return self.votes / self.seconds

    @property
    def cpu_per_vote(self) -> float:
        return self.cpu_seconds / self.votes


async def prepared_session(app: FacilitatorApp, plan: Plan, settings: str | None = None) -> int:
    """`settings`: what `/pln settings` is given before voting opens (e.g. "blind=off")."""
    session_id = await start_session(app)
    await bulk_load(app, session_id, people=plan.people, items=plan.items + 3, votes=0)
    if settings is not None:
        replies = await app.service.handle(HOST, place_of(session_id), cmd.parse_command(f"settings {settings}"))
        assert replies and "Nothing was changed" not in replies[0].text, replies[0].text
    await advance(app, session_id)  # collecting -> voting
    return session_id


async def run_workers(calls: Sequence[Call], concurrency: int) -> float:
    """Seconds to run every call with at most `concurrency` in flight."""
    queue = list(reversed(calls))

    async def worker() -> None:
        while queue:
            await queue.pop()()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started


async def timed(calls: Sequence[Call], concurrency: int) -> Timing:
    with settled_heap():  # no run pays for collecting the garbage of the one before
        cpu_started = time.process_time()
        seconds = await run_workers(calls, concurrency)
        return Timing(len(calls), seconds, time.process_time() - cpu_started)


def vote_calls(app: FacilitatorApp, session_id: int, plan: Plan, refused: list[str],
               arriving: bool = False) -> list[Call]:
    """One `service.handle(actor, place, Vote)` per planned vote: the core's public entry point.
    `arriving`: each vote first gives the event loop a turn, as a vote arriving over the network
    does. On SQLite's driver path a vote never waits on anything, so without it a burst runs to
    its end in one go and nothing else on the loop (a board's rebuild, its screens) runs meanwhile."""
    place = place_of(session_id)

    def call(voter: int, number: int) -> Call:
        actor = Actor(TENANT, f"bulk{voter}", f"Bulk person {voter}")

        async def vote() -> None:
            if arriving:
                await asyncio.sleep(0)
            replies = await app.service.handle(actor, place, cmd.Vote((number,)))
            if not replies[0].text.startswith("Voted"):
                refused.append(replies[0].text)

        return vote

    return [call(v, n) for v, n in plan.pairs()]


async def service_votes(app: FacilitatorApp, plan: Plan, concurrency: int) -> Timing:
    session_id = await prepared_session(app, plan)
    refused: list[str] = []
    timing = await timed(vote_calls(app, session_id, plan, refused), concurrency)
    if refused:
        raise RuntimeError(f"{len(refused)} votes refused, e.g. {refused[0]!r}")
    return timing


async def unit_of_work_floor(app: FacilitatorApp, plan: Plan, concurrency: int) -> Timing:
    """The same single INSERT as the raw baseline, in our unit of work: Database.write (its
    AsyncSession, BEGIN, COMMIT, on SQLite the write turn) and one prebuilt Core statement.

    No vote can cost less than this through SQLAlchemy's asyncio layer, whatever the service does.
    """
    session_id, inserts = await raw_inserts(app, plan)
    statement = insert(VOTES)

    def call(item_id: int, participant_id: int) -> Call:
        async def insert_one() -> None:
            async with app.db.write(app.service.context.clock()) as repo:
                row = {"session_id": session_id, "item_id": item_id, "participant_id": participant_id, "weight": 1}
                await repo.db.execute(statement, row)

        return insert_one

    return await timed([call(i, p) for i, p in inserts], concurrency)


async def raw_inserts(app: FacilitatorApp, plan: Plan) -> tuple[int, list[tuple[int, int]]]:
    """A prepared session, and the (item id, participant id) of each planned vote in it."""
    session_id = await prepared_session(app, plan)
    async with app.db.engine.connect() as connection:
        people = (await connection.execute(
            select(ParticipantRow.id).where(ParticipantRow.session_id == session_id).order_by(ParticipantRow.id)
        )).scalars().all()
        items = dict((await connection.execute(
            select(ItemRow.number, ItemRow.id).where(ItemRow.session_id == session_id)
        )).all())
    return session_id, [(items[number], people[voter]) for voter, number in plan.pairs()]


async def raw_sqlite_votes(app: FacilitatorApp, path: str, plan: Plan) -> Timing:
    """The physical limit: stdlib sqlite3, one INSERT and one COMMIT per vote, our pragmas.

    sqlite3 is synchronous, so it has one figure at any concurrency. It runs RAW_SQLITE_SCALE
    times the plan's votes: at 20-40k votes/s the plan alone takes 35-150 ms, a window one
    slice of another process's CPU time can fill, where ours runs for seconds and averages
    such slices out. A longer window gives both sides the same share of the machine."""
    session_id, inserts = await raw_inserts(app, Plan(plan.votes * RAW_SQLITE_SCALE, plan.items))
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in ("journal_mode=WAL", f"busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}", "foreign_keys=ON",
                       "synchronous=NORMAL"):
            connection.execute(f"PRAGMA {pragma}")
        statement = INSERT_VOTE.format("?", "?", "?")
        with settled_heap():
            started, cpu_started = time.perf_counter(), time.process_time()
            for item_id, participant_id in inserts:
                connection.execute("BEGIN")
                connection.execute(statement, (session_id, item_id, participant_id))
                connection.execute("COMMIT")
            return Timing(len(inserts), time.perf_counter() - started, time.process_time() - cpu_started)
    finally:
        connection.close()


async def _keep_session(_connection: asyncpg.Connection) -> None:
    return None


async def raw_postgres_votes(app: FacilitatorApp, dsn: str, plan: Plan, concurrency: int) -> Timing:
    """asyncpg outside a transaction block: each INSERT is its own commit."""
    session_id, inserts = await raw_inserts(app, plan)
    # As many connections as our engine may open, so both sides have the same parallelism.
    size = min(concurrency, POOL_SIZE + POOL_OVERFLOW)
    # No reset on release: asyncpg's default sends `SELECT pg_advisory_unlock_all(); CLOSE ALL;
    # UNLISTEN *; RESET ALL;` each time a connection goes back, a second round trip per INSERT
    # (counted through bench/pg_wire.py), which made the raw side slower than one commit.
    pool = await asyncpg.create_pool(dsn, min_size=size, max_size=size, reset=_keep_session)
    try:
        statement = INSERT_VOTE.format("$1", "$2", "$3")

        def call(item_id: int, participant_id: int) -> Call:
            async def insert_one() -> None:
                async with pool.acquire() as connection:
                    await connection.execute(statement, session_id, item_id, participant_id)

            return insert_one

        return await timed([call(i, p) for i, p in inserts], concurrency)
    finally:
        await pool.close()
