"""The async engine: SQLite (a file, WAL, busy timeout, BEGIN IMMEDIATE for writes) or PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

SQLITE_BUSY_TIMEOUT_S = 30
POOL_SIZE = 5
POOL_OVERFLOW = 5
_WRITE = "facilitator_write"


def normalize_url(raw: str) -> URL:
    """Accept the plain forms people write (sqlite:///x.db, postgresql://...) and pick async drivers."""
    url = make_url(raw)
    backend = url.get_backend_name()
    if backend == "sqlite" and url.get_driver_name() != "aiosqlite":
        url = url.set(drivername="sqlite+aiosqlite")
    elif backend == "postgresql" and url.get_driver_name() != "asyncpg":
        url = url.set(drivername="postgresql+asyncpg")
    elif backend not in ("sqlite", "postgresql"):
        raise ValueError(f"Unsupported database {backend!r}: use sqlite or postgresql")
    return url


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


def create_engine(raw_url: str) -> AsyncEngine:
    url = normalize_url(raw_url)
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            # An in-memory database shared by a pool loses work on rollback: insist on a file.
            raise ValueError("Use a SQLite file, not an in-memory database")
        engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        _configure_sqlite(engine)
        return engine
    # At most POOL_SIZE + POOL_OVERFLOW connections a process: several workers share one server
    # (PostgreSQL allows 100 by default), and past that a burst waits for a free connection
    # rather than being refused with "too many clients".
    return create_async_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)


def for_writes(engine: AsyncEngine) -> AsyncEngine:
    """The same pool, but transactions on it take SQLite's write lock up front.

    A deferred transaction that reads and then writes fails with "database is locked" when
    another writer got there first, instead of waiting for the busy timeout.
    """
    return engine.execution_options(**{_WRITE: True})


def _configure_sqlite(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (pysqlite's implicit transactions can't be IMMEDIATE).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
