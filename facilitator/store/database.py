"""Units of work: one transaction per command, on SQLite with the write lock taken up front."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, nullcontext
from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from facilitator.store import pg_votes, sqlite_votes
from facilitator.store.claims import AlreadyClaimed, pending_claim
from facilitator.store.driver_votes import DriverUnvoted, DriverVoted, UnvoteRequest, VoteRequest
from facilitator.store.driver_connections import DriverConnections
from facilitator.store.engine import SQLITE_BUSY_TIMEOUT_S, create_engine, for_writes, is_busy, is_sqlite
from facilitator.store.migrate import upgrade
from facilitator.store.store import Store

_Request = TypeVar("_Request", VoteRequest, UnvoteRequest)
_Done = TypeVar("_Done", DriverVoted, DriverUnvoted)


class Database:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        # A read is several SELECTs (a snapshot reads people, then items, then votes). On PostgreSQL
        # they must all see one moment, or a vote committed in between names a person the snapshot
        # lacks. SQLite's read transactions already do (WAL snapshots); PostgreSQL needs REPEATABLE
        # READ, under which read-only transactions never fail.
        reads = engine if is_sqlite(engine) else engine.execution_options(isolation_level="REPEATABLE READ")
        self._reads = async_sessionmaker(reads, expire_on_commit=False)
        self._writes = async_sessionmaker(for_writes(engine), expire_on_commit=False)
        # SQLite has one writer at a time. Writers of this process queue here, which costs
        # nothing, instead of in SQLite's busy handler, which sleeps in steps of up to 100 ms
        # (at 50 concurrent votes that halved throughput). Writers of other processes are waited
        # for in _begun_write, for up to busy_timeout_s.
        self._write_turn: asyncio.Lock | None = asyncio.Lock() if is_sqlite(engine) else None
        self.busy_timeout_s: float = SQLITE_BUSY_TIMEOUT_S
        self._drivers = DriverConnections(engine, self._write_turn, lambda: self.busy_timeout_s)

    @classmethod
    async def open(cls, url: str, migrate: bool = True, sqlite_synchronous: str = "normal") -> Database:
        engine = create_engine(url, sqlite_synchronous)
        if migrate:
            await upgrade(engine)
        return cls(engine)

    @asynccontextmanager
    async def write(self, now: datetime) -> AsyncIterator[Store]:
        claim = pending_claim()  # a request's claim goes with its first write (store/claims.py)
        async with self._write_turn or nullcontext():
            session = await self._begun_write()
            async with session:
                try:
                    store = Store(session, now, writing=True)
                    if claim is not None and not await store.claim_event(claim.key):
                        raise AlreadyClaimed(claim.key)
                    yield store
                except BaseException:
                    await session.rollback()
                    raise
                await session.commit()
        if claim is not None:
            claim.done = True

    async def _begun_write(self) -> AsyncSession:
        """A session whose transaction holds SQLite's write lock, waited for without blocking.

        Another process may hold the lock. The inline driver's own busy wait is short because it
        sleeps on the event loop's thread; this waits the rest of the timeout on asyncio.
        """
        loop = asyncio.get_running_loop()
        give_up = loop.time() + self.busy_timeout_s
        pause = 0.002
        while True:
            session = self._writes()
            try:
                await session.connection()  # begins: BEGIN IMMEDIATE on SQLite
                return session
            except Exception as error:
                await session.close()  # whatever went wrong, give back what was taken
                if not is_busy(error) or loop.time() + pause > give_up:
                    raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.1)

    async def vote_on_driver(self, request: VoteRequest) -> DriverVoted | None:
        """The vote through the driver connection of SQLAlchemy's pool (store/driver_votes.py):
        committed and returned, or None (nothing written) when a rule refused it. A platform
        request's replay claim (store/claims.py) is written with the vote, as Database.write does
        it, or a redelivered click would vote twice: AlreadyClaimed when another delivery voted."""
        return await self._on_driver(sqlite_votes.vote, pg_votes.vote, request)

    async def unvote_on_driver(self, request: UnvoteRequest) -> DriverUnvoted | None:
        return await self._on_driver(sqlite_votes.unvote, pg_votes.unvote, request)

    async def _on_driver(
        self, on_sqlite: Callable[[Any, _Request], _Done | None],
        on_postgres: Callable[[Any, _Request], Awaitable[_Done | None]], request: _Request,
    ) -> _Done | None:
        claim = pending_claim()
        if claim is not None:
            request = replace(request, claim_key=claim.key)
        if self._write_turn is not None:
            done = await self._drivers.in_sqlite_write(lambda raw: on_sqlite(raw, request))
        else:
            done = await self._drivers.on_postgres(lambda raw: on_postgres(raw, request))
        if claim is not None and done is not None:
            claim.done = True
        return done

    @asynccontextmanager
    async def read(self, now: datetime) -> AsyncIterator[Store]:
        async with self._reads() as session, session.begin():
            yield Store(session, now)

    async def close(self) -> None:
        await self._drivers.close()
        await self.engine.dispose()
