"""The async engine: SQLite (a file, WAL, busy timeout, BEGIN IMMEDIATE for writes) or PostgreSQL."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from facilitator.store import sqlite_inline
from facilitator.store.idle_ping import ping_when_idle

# How long a write waits for another process's SQLite write lock before giving up.
SQLITE_BUSY_TIMEOUT_S = 30
# SQLite's `synchronous` levels we offer (FACILITATOR_SQLITE_SYNCHRONOUS), in WAL mode:
# - normal (the default): the WAL is synced to disk at checkpoints, not at each commit. A crash
#   of the bot loses nothing (the OS has every committed write); a power cut or an OS crash can
#   lose the transactions committed since the last checkpoint (by default every 1,000 pages of
#   WAL: up to a few thousand votes), though the file stays consistent.
# - full: the WAL is synced at every commit, so a power cut loses nothing acknowledged, for one
#   fsync per write (docs/RELIABILITY.md has what it costs).
SQLITE_SYNCHRONOUS = ("normal", "full")
SQLITE_DRIVERS = (sqlite_inline.DRIVER, "aiosqlite")
# Ten kept, none beyond: with 5 + 5 overflow a burst of votes closed an overflow connection at
# nearly every return and opened a new one soon after (start-up, type set-up, first prepares:
# 0.1 round trips and most of the CPU per vote at concurrency 50, BENCHMARKS.md figure 2).
POOL_SIZE = 10
POOL_OVERFLOW = 0
_WRITE = "facilitator_write"


def normalize_url(raw: str) -> URL:
    """Accept the plain forms people write (sqlite:///x.db, postgresql://...) and pick async drivers.

    Plain SQLite gets our inline driver (sqlite_inline); an explicit sqlite+aiosqlite is kept.
    """
    url = make_url(raw)
    backend = url.get_backend_name()
    if backend == "sqlite" and url.get_driver_name() not in SQLITE_DRIVERS:
        url = url.set(drivername=f"sqlite+{sqlite_inline.DRIVER}")
    elif backend == "postgresql" and url.get_driver_name() != "asyncpg":
        url = url.set(drivername="postgresql+asyncpg")
    elif backend not in ("sqlite", "postgresql"):
        raise ValueError(f"Unsupported database {backend!r}: use sqlite or postgresql")
    return url


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


def create_engine(raw_url: str, sqlite_synchronous: str = "normal") -> AsyncEngine:
    url = normalize_url(raw_url)
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            # An in-memory database shared by a pool loses work on rollback: insist on a file.
            raise ValueError("Use a SQLite file, not an in-memory database")
        if sqlite_synchronous not in SQLITE_SYNCHRONOUS:
            raise ValueError(f"SQLite's synchronous setting is one of {', '.join(SQLITE_SYNCHRONOUS)}, "
                             f"not {sqlite_synchronous[:20]!r} (FACILITATOR_SQLITE_SYNCHRONOUS)")
        busy_ms = busy_wait_ms(url.get_driver_name())
        engine = create_async_engine(url, connect_args={"timeout": busy_ms / 1000})
        _configure_sqlite(engine, busy_ms, sqlite_synchronous)
        return engine
    # At most POOL_SIZE + POOL_OVERFLOW connections a process: several workers share one server
    # (PostgreSQL allows 100 by default), and past that a burst waits for a free connection
    # rather than being refused with "too many clients".
    engine = create_async_engine(url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
    ping_when_idle(engine)  # not pool_pre_ping: see idle_ping
    return engine


def for_writes(engine: AsyncEngine) -> AsyncEngine:
    """The same pool, but transactions on it take SQLite's write lock up front.

    A deferred transaction that reads and then writes fails with "database is locked" when
    another writer got there first, instead of waiting for the busy timeout.
    """
    return engine.execution_options(**{_WRITE: True})


def busy_wait_ms(driver: str) -> int:
    """SQLite's own wait for a lock, in the thread that calls it.

    aiosqlite calls from a thread of its own, which may wait the whole timeout. The inline
    driver calls from the event loop, so it waits briefly and Database retries the BEGIN.
    """
    return sqlite_inline.BUSY_WAIT_MS if driver == sqlite_inline.DRIVER else SQLITE_BUSY_TIMEOUT_S * 1000


def is_busy(error: BaseException) -> bool:
    """SQLite's "database is locked": another connection holds the write lock."""
    original = getattr(error, "orig", error)
    return isinstance(original, sqlite3.OperationalError) and "locked" in str(original)


def _configure_sqlite(engine: AsyncEngine, busy_ms: int, synchronous: str) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (pysqlite's implicit transactions can't be IMMEDIATE).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA synchronous={synchronous.upper()}")  # one of SQLITE_SYNCHRONOUS
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
