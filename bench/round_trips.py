"""Figure 2 on PostgreSQL: round trips per vote on the wire, BEGIN and COMMIT included.

The app reaches PostgreSQL through bench.pg_wire's counting proxy and votes through
`service.handle`, in three traffic shapes:

* a burst one at a time: each vote starts as the last one ends;
* a burst at concurrency 50: the pool runs out of connections and opens (and drops) more;
* a trickle after a burst: one vote every 250 ms, four clicks a second, as a room of people
  votes at its own pace. The burst left several connections in the pool, and SQLAlchemy's
  pool hands them out first-in first-out, so each one sits unused for a while between votes,
  long enough for anything that checks idle connections to check it. The first TRICKLE_WARM
  votes of the trickle are not counted: a connection's first check also prepares its query.

Every vote is a distinct person on an item of their own, so none is refused.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass

import asyncpg  # type: ignore[import-untyped]

from bench.pg_wire import CountingProxy, Trip, short
from bench.table import Row, skipped
from bench.vote_runs import Call, Plan, prepared_session, run_workers, vote_calls
from bench.workload import fresh_postgres_database, open_bench_app

CONCURRENCY = 50
TARGET = 1
TRICKLE_GAP_S = 0.25
FIGURE = "2 PostgreSQL round trips per vote"


@dataclass(frozen=True)
class Sizes:
    warm: int  # a first burst: opens connections and prepares statements (not counted)
    one_at_a_time: int
    concurrent: int
    trickle_warm: int
    trickle: int

    @property
    def total(self) -> int:
        return self.warm + self.one_at_a_time + self.concurrent + self.trickle_warm + self.trickle


@dataclass(frozen=True)
class Phase:
    votes: int
    trips: list[Trip]
    new_connections: int
    last_vote: list[Trip]  # the trips of the phase's last vote, run alone after the others

    @property
    def per_vote(self) -> float:
        return len(self.trips) / self.votes

    def row(self, shape: str) -> Row:
        kinds = Counter(t.kind for t in self.trips)
        made_of = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))
        opened = f"; {self.new_connections} connections opened" if self.new_connections else ""
        return Row(
            f"{FIGURE}, {shape} ({self.votes} votes)",
            f"{self.per_vote:.2f} ({made_of}{opened})",
            target=f"{TARGET}",
            met=self.per_vote <= TARGET,
            notes=(f"one vote: {' | '.join(short(t.sql) for t in self.last_vote)}",) if self.last_vote else (),
        )


async def counted(proxy: CountingProxy, calls: list[Call], run: str) -> Phase:
    trips, connections = len(proxy.trips), proxy.connections
    if run == "concurrent":
        await run_workers(calls, CONCURRENCY)
        last: list[Trip] = []
    else:
        loop = asyncio.get_running_loop()
        for call in calls:
            started, before = loop.time(), len(proxy.trips)
            await call()
            last = proxy.trips[before:]
            if run == "trickle":  # after the last one too: the next phase keeps the cadence
                await asyncio.sleep(max(0.0, TRICKLE_GAP_S - (loop.time() - started)))
    return Phase(len(calls), proxy.trips[trips:], proxy.connections - connections, last)


async def measure(smoke: bool) -> list[Row]:
    sizes = Sizes(60, 20, 60, 2, 2) if smoke else Sizes(150, 300, 600, 10, 12)
    shapes = ("burst, one at a time", f"burst at concurrency {CONCURRENCY}",
              f"trickle of {1 / TRICKLE_GAP_S:.0f} votes/s after a burst")
    try:
        database = fresh_postgres_database()
        url = await database.__aenter__()
    except (OSError, asyncpg.PostgresError) as exc:
        return [skipped(f"{FIGURE}, {shape}", f"PostgreSQL unreachable ({type(exc).__name__})", f"{TARGET}")
                for shape in shapes]
    proxy = CountingProxy.for_url(url)
    await proxy.start()
    try:
        app = await open_bench_app(proxy.url_through(url))
        try:
            plan = Plan(votes=sizes.total, items=100)
            refused: list[str] = []
            calls = vote_calls(app, await prepared_session(app, plan), plan, refused)
            await run_workers(calls[:sizes.warm], CONCURRENCY)
            start = sizes.warm
            phases = []
            for size, run in ((sizes.one_at_a_time, "sequential"), (sizes.concurrent, "concurrent")):
                phases.append(await counted(proxy, calls[start:start + size], run))
                start += size
            await counted(proxy, calls[start:start + sizes.trickle_warm], "trickle")
            start += sizes.trickle_warm
            phases.append(await counted(proxy, calls[start:start + sizes.trickle], "trickle"))
            if refused:
                raise RuntimeError(f"{len(refused)} votes refused, e.g. {refused[0]!r}")
        finally:
            await app.close()
    finally:
        await proxy.close()
        await database.__aexit__(None, None, None)
    return [phase.row(shape) for phase, shape in zip(phases, shapes)]
