"""SQLite for the async engine, called in place on the event loop's thread: `sqlite+inline://`.

aiosqlite hands every cursor call (execute, fetch, close, commit) to a thread of its own and
back: about 20 hand-offs for a vote, each dearer than SQLite's own work. One INSERT plus a
COMMIT in WAL mode with synchronous=NORMAL takes tens of microseconds and never waits for a
disk, and this process's writers already take turns on an asyncio lock (Database), so calling
sqlite3 directly blocks the loop for less than a hand-off costs. The one thing that can hold a
call for long, another process's write lock, is kept off the loop: the busy wait here is short
(BUSY_WAIT_MS) and Database retries the write transaction's BEGIN without blocking. The
longest ordinary stall is a WAL checkpoint, which SQLite runs inside a COMMIT every 1,000 pages
(about 4 MB of writes) and which syncs the file once; a big read (an export's SELECTs) also runs
here, as its rows would be turned into Python objects on this thread anyway.

The dialect is the pysqlite one marked async. SQLAlchemy's asyncio layer requires each
execution to pass through one `await_`, so execute() awaits a finished coroutine: a greenlet
switch and back, a few microseconds.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import Any, Literal

from sqlalchemy import pool
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL
from sqlalchemy.util import await_

DRIVER = "inline"
# SQLite's own busy handler sleeps on the calling thread, here the event loop: keep it short.
BUSY_WAIT_MS = 20


async def _done() -> None:
    return None


class InlineCursor:
    """A sqlite3 cursor as SQLAlchemy's asyncio layer expects a driver's cursor to look."""

    server_side = False

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    def execute(self, operation: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> None:
        self._cursor.execute(operation, parameters)
        await_(_done())

    def executemany(self, operation: str, seq_of_parameters: Sequence[Any]) -> None:
        self._cursor.executemany(operation, seq_of_parameters)
        await_(_done())

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size if size is not None else self._cursor.arraysize)

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)

    def setinputsizes(self, *sizes: Any) -> None:
        pass

    def setoutputsize(self, *sizes: Any) -> None:
        pass

    def close(self) -> None:
        self._cursor.close()

    async def _async_soft_close(self) -> None:
        # Called by SQLAlchemy's asyncio results once a buffered result is read. The rows are
        # already in memory here, so there is nothing to release early.
        return None


class InlineConnection:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.driver_connection = connection

    def cursor(self) -> InlineCursor:
        return InlineCursor(self.driver_connection.cursor())

    def commit(self) -> None:
        self.driver_connection.commit()

    def rollback(self) -> None:
        self.driver_connection.rollback()

    def close(self) -> None:
        self.driver_connection.close()

    @property
    def isolation_level(self) -> str | None:
        return self.driver_connection.isolation_level

    @isolation_level.setter
    def isolation_level(self, value: Literal["DEFERRED", "EXCLUSIVE", "IMMEDIATE"] | None) -> None:
        self.driver_connection.isolation_level = value

    @property
    def in_transaction(self) -> bool:
        return self.driver_connection.in_transaction

    def create_function(self, *args: Any, **kwargs: Any) -> None:
        self.driver_connection.create_function(*args, **kwargs)


class InlineModule(ModuleType):
    """sqlite3 as a DBAPI module, whose connections are InlineConnection."""

    def __init__(self) -> None:
        super().__init__("facilitator_sqlite_inline")
        for name in dir(sqlite3):
            if not name.startswith("_") and name != "connect":
                setattr(self, name, getattr(sqlite3, name))

    def connect(self, *args: Any, **kwargs: Any) -> InlineConnection:
        return InlineConnection(sqlite3.connect(*args, **kwargs))


class InlineSQLiteDialect(SQLiteDialect_pysqlite):
    driver = DRIVER
    is_async = True
    supports_statement_cache = True
    supports_server_side_cursors = False

    @classmethod
    def import_dbapi(cls) -> Any:
        return InlineModule()

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        # Waits for a free connection on asyncio, not on a thread lock.
        return pool.AsyncAdaptedQueuePool

    def get_driver_connection(self, connection: Any) -> Any:
        return connection.driver_connection


registry.register(f"sqlite.{DRIVER}", __name__, "InlineSQLiteDialect")
