"""Database URLs and the SQLite connection settings the concurrency rules depend on."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from facilitator.config import load_config
from facilitator.store import sqlite_inline
from facilitator.store.engine import SQLITE_BUSY_TIMEOUT_S, create_engine, normalize_url


@pytest.mark.parametrize(
    "raw, driver, database",
    [
        ("sqlite:////tmp/x.db", "sqlite+inline", "/tmp/x.db"),
        ("sqlite+pysqlite:////tmp/x.db", "sqlite+inline", "/tmp/x.db"),
        ("sqlite+inline:////tmp/x.db", "sqlite+inline", "/tmp/x.db"),
        ("sqlite+aiosqlite:////tmp/x.db", "sqlite+aiosqlite", "/tmp/x.db"),
        ("postgresql://user@host/db", "postgresql+asyncpg", "db"),
        ("postgresql+psycopg2://user@host/db", "postgresql+asyncpg", "db"),
        ("postgresql+asyncpg://user@host/db", "postgresql+asyncpg", "db"),
    ],
)
def test_plain_and_explicit_urls_get_async_drivers(raw: str, driver: str, database: str) -> None:
    url = normalize_url(raw)
    assert (url.drivername, url.database) == (driver, database)


@pytest.mark.parametrize("raw", ["mysql://user@host/db", "oracle://h/db"])
def test_other_databases_are_refused_by_name(raw: str) -> None:
    with pytest.raises(ValueError, match="Unsupported database"):
        normalize_url(raw)


@pytest.mark.parametrize("raw", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_sqlite_database_is_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="SQLite file"):
        create_engine(raw)


@pytest.mark.parametrize(
    "scheme, busy_ms",
    # The inline driver waits on the event loop's thread, so only briefly (Database waits the
    # rest without blocking); aiosqlite waits on its own thread for the whole timeout.
    [("sqlite", sqlite_inline.BUSY_WAIT_MS), ("sqlite+aiosqlite", SQLITE_BUSY_TIMEOUT_S * 1000)],
)
async def test_sqlite_connections_use_wal_a_busy_timeout_and_foreign_keys(
    tmp_path: Path, scheme: str, busy_ms: int
) -> None:
    engine = create_engine(f"{scheme}:///{tmp_path / 'f.db'}")
    try:
        async with engine.connect() as connection:
            assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await connection.execute(text("PRAGMA busy_timeout"))).scalar() == busy_ms
            assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
            assert (await connection.execute(text("PRAGMA synchronous"))).scalar() == 1  # NORMAL
    finally:
        await engine.dispose()


@pytest.mark.parametrize("asked, level", [("normal", 1), ("full", 2)])
async def test_sqlite_synchronous_is_normal_unless_full_is_asked_for(tmp_path: Path, asked: str, level: int) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}", sqlite_synchronous=asked)
    try:
        async with engine.connect() as connection:
            assert (await connection.execute(text("PRAGMA synchronous"))).scalar() == level
    finally:
        await engine.dispose()


def test_the_synchronous_setting_is_read_from_the_environment_and_checked(tmp_path: Path) -> None:
    assert load_config({}, tmp_path).sqlite_synchronous == "normal"
    assert load_config({"FACILITATOR_SQLITE_SYNCHRONOUS": "FULL"}, tmp_path).sqlite_synchronous == "full"
    with pytest.raises(ValueError, match="FACILITATOR_SQLITE_SYNCHRONOUS"):
        create_engine(f"sqlite:///{tmp_path / 'x.db'}", sqlite_synchronous="off")
