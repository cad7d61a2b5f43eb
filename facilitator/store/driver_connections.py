"""The driver connections the vote path runs on, taken from SQLAlchemy's own pool.

Going through `AsyncEngine.connect()` costs a vote three greenlet switches and a task (its
close is shielded) on top of the pool's own work: on SQLite, where the vote's statements take
tens of microseconds, that was most of a vote's time. So:

- SQLite: one connection is checked out of the pool the first time and kept for the vote path.
  Writers of one process already take turns (Database's write turn), so one is all they use;
  it goes back to the pool when the Database closes.
- PostgreSQL: each vote checks a connection out with `AsyncEngine.raw_connection()` and gives
  it back with the pool's own `close()` (one greenlet switch each), which for a connection
  outside any transaction sends nothing. The idle ping is skipped (store/pg_votes.py says why).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.util import greenlet_spawn

from facilitator.store.engine import POOL_OVERFLOW, POOL_SIZE, is_busy
from facilitator.store.idle_ping import checked_by_caller
from facilitator.store.claims import AlreadyClaimed

T = TypeVar("T")


class DriverConnections:
    def __init__(self, engine: AsyncEngine, write_turn: asyncio.Lock | None, busy_timeout_s: Callable[[], float]) -> None:
        self.engine = engine
        self._write_turn = write_turn  # set on SQLite only
        self._busy_timeout_s = busy_timeout_s  # Database's, which tests may shorten
        self._sqlite: PoolProxiedConnection | None = None

    async def in_sqlite_write(self, work: Callable[[Any], T | None]) -> T | None:
        """`work(sqlite3 connection)` inside BEGIN IMMEDIATE, in this process's write turn:
        committed when it returns a result, rolled back when it returns None or raises."""
        assert self._write_turn is not None
        async with self._write_turn:
            if self._sqlite is None:
                self._sqlite = await self.engine.raw_connection()
            raw: Any = self._sqlite.driver_connection
            await self._begin_immediate(raw)
            try:
                done = work(raw)
                if done is None:
                    raw.rollback()
                else:
                    raw.commit()
                return done
            except AlreadyClaimed:
                raw.rollback()  # another delivery of the request voted: a clean refusal
                raise
            except BaseException:
                # Whatever failed (a statement, the COMMIT), nothing of it stays: roll back, and
                # let the next vote start from a fresh connection of the pool.
                held, self._sqlite = self._sqlite, None
                try:
                    if raw.in_transaction:
                        raw.rollback()
                finally:
                    await greenlet_spawn(held.invalidate)
                raise

    async def on_postgres(self, work: Callable[[Any], Awaitable[T | None]]) -> T | None:
        """`await work(asyncpg connection)`, outside any transaction, on a pooled connection
        that is not closed."""
        with checked_by_caller():
            # Every pooled connection may have died together (a server restart): replace the
            # closed ones, at most a pool's worth, before sending anything.
            for _ in range(POOL_SIZE + POOL_OVERFLOW + 1):
                pooled = await self.engine.raw_connection()
                driver: Any = pooled.driver_connection
                if driver.is_closed():
                    await greenlet_spawn(pooled.invalidate)
                    continue
                try:
                    return await work(driver)
                finally:
                    # Through the greenlet bridge: giving back an overflow connection closes it,
                    # and one that died in flight must be invalidated, both awaiting asyncpg.
                    await greenlet_spawn(pooled.invalidate if driver.is_closed() else pooled.close)
        raise ConnectionError("every pooled PostgreSQL connection was closed")

    async def close(self) -> None:
        if self._sqlite is not None:
            held, self._sqlite = self._sqlite, None
            await greenlet_spawn(held.close)

    async def _begin_immediate(self, raw: Any) -> None:
        """BEGIN IMMEDIATE, another process's write lock waited for on asyncio (as
        Database._begun_write waits)."""
        try:
            raw.execute("BEGIN IMMEDIATE")
            return
        except Exception as error:
            if not is_busy(error):
                raise
        loop = asyncio.get_running_loop()
        give_up = loop.time() + self._busy_timeout_s()
        pause = 0.002
        while True:
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.1)
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except Exception as error:
                if not is_busy(error) or loop.time() + pause > give_up:
                    raise
