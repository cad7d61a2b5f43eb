"""Shared fixtures: a real database (a SQLite file, and PostgreSQL when the environment names
one), the app opened on it with a fake clock, and the actor/place helpers.

On PostgreSQL every database is created for this run (from the `postgres` maintenance
database) and dropped afterwards, so runs never see each other's data: store tests get a
brand-new empty database each, app tests share one migrated database whose tables are
emptied before every test."""

from __future__ import annotations

import asyncio
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from facilitator.actors import Actor, Place
from facilitator.bootstrap import FacilitatorApp, open_app
from facilitator.store.models import Base
from tests.service.support import FakeClock
from tests.service.support import actor as make_actor
from tests.service.support import place as make_place

POSTGRES_ENV = "FACILITATOR_TEST_POSTGRES_URL"
NO_POSTGRES = f"PostgreSQL tests need {POSTGRES_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/test)"


def _asyncpg_dsn(url: str, database: str) -> str:
    """The same server and credentials, another database, in the form asyncpg accepts."""
    parsed = make_url(url).set(drivername="postgresql", database=database)
    return parsed.render_as_string(hide_password=False)


async def _create_postgres_database(base_url: str) -> str:
    name = f"fac_{uuid.uuid4().hex[:16]}"
    connection = await asyncpg.connect(_asyncpg_dsn(base_url, "postgres"))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return name


async def _drop_postgres_database(base_url: str, name: str) -> None:
    connection = await asyncpg.connect(_asyncpg_dsn(base_url, "postgres"))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def _postgres_url(base_url: str, name: str) -> str:
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def _postgres_base_url() -> str:
    base_url = os.environ.get(POSTGRES_ENV, "").strip()
    if not base_url:
        pytest.skip(NO_POSTGRES)
    return base_url


@pytest.fixture(scope="session")
def postgres_app_database() -> Iterator[str]:
    """One PostgreSQL database for this test run's app tests, migrated once and dropped at the end.
    Each test empties its tables first (see app_db_url): copying or migrating a new database
    for every test costs seconds on a busy machine, emptying the tables milliseconds."""
    base_url = _postgres_base_url()

    async def create() -> str:
        name = await _create_postgres_database(base_url)
        migrated = await open_app(_postgres_url(base_url, name))
        await migrated.close()
        return name

    # Its own event loop on a thread: the fixture is first asked for inside a test's running loop.
    with ThreadPoolExecutor(max_workers=1) as worker:
        name = worker.submit(asyncio.run, create()).result()
        yield name
        worker.submit(asyncio.run, _drop_postgres_database(base_url, name)).result()


async def _empty_tables(url: str) -> None:
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    connection = await asyncpg.connect(_asyncpg_dsn(url, make_url(url).database or ""))
    try:
        await connection.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    finally:
        await connection.close()


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database: a SQLite file in tmp_path, or a brand-new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'facilitator.db'}"
        return
    base_url = _postgres_base_url()
    name = await _create_postgres_database(base_url)
    try:
        yield _postgres_url(base_url, name)
    finally:
        await _drop_postgres_database(base_url, name)


@pytest.fixture(params=["sqlite", "postgresql"])
async def app_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A migrated, empty database for the app: a new SQLite file, or this run's PostgreSQL
    database with every table emptied and the id sequences reset."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'facilitator.db'}"
        return
    url = _postgres_url(_postgres_base_url(), request.getfixturevalue("postgres_app_database"))
    await _empty_tables(url)
    yield url


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def app(app_db_url: str, clock: FakeClock) -> AsyncIterator[FacilitatorApp]:
    opened = await open_app(app_db_url, clock=clock)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def actor() -> Callable[..., Actor]:
    """`actor("Ana")`, `actor("Bo", tenant="t2", admin=True)`."""
    return make_actor


@pytest.fixture
def place() -> Callable[..., Place]:
    """`place()`, `place(channel="c2", thread="T1", session_id=3)`."""
    return make_place
