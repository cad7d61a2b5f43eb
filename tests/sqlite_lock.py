"""Another process's hold on a SQLite file's write lock, played by a plain sqlite3 connection on a thread."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy.engine import make_url


def sqlite_path(database_url: str) -> Path:
    database = make_url(database_url).database
    assert database, database_url
    return Path(database)


@asynccontextmanager
async def write_lock_held(path: Path) -> AsyncIterator[threading.Event]:
    """Holds BEGIN IMMEDIATE on `path` until the yielded event is set (or the block ends), then commits."""
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(path, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            held.set()
            release.wait(30)
            connection.execute("COMMIT")
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert await asyncio.to_thread(held.wait, 5), "could not take the write lock"
        yield release
    finally:
        release.set()
        await asyncio.to_thread(thread.join)
