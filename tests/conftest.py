"""Shared fixtures: a real database (a SQLite file, and PostgreSQL when the environment names
one), the app opened on it with a fake clock, and the actor/place helpers.

PostgreSQL tests get a database of their own (created from the `postgres` maintenance
database and dropped afterwards), so they are isolated and can run again and again."""

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
from tests.service.support import FakeClock
from tests.service.support import actor as make_actor
from tests.service.support import place as make_place

POSTGRES_ENV = "FACILITATOR_TEST_POSTGRES_URL"
NO_POSTGRES = f"PostgreSQL tests need {POSTGRES_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/test)"


def _asyncpg_dsn(url: str, database: str) -> str:
    """The same server and credentials, another database, in the form asyncpg accepts."""
    parsed = make_url(url).set(drivername="postgresql", database=database)
    return parsed.render_as_string(hide_password=False)


async def _create_postgres_database(base_url: str, template: str | None = None) -> str:
    name = f"fac_{uuid.uuid4().hex[:16]}"
    connection = await asyncpg.connect(_asyncpg_dsn(base_url, "postgres"))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
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
def postgres_template() -> Iterator[str]:
    """One database migrated once per test run; each test gets a copy (CREATE DATABASE ...
    TEMPLATE), which is several times faster than migrating a new database every time."""
    base_url = _postgres_base_url()

    async def create() -> str:
        name = await _create_postgres_database(base_url)
        migrated = await open_app(_postgres_url(base_url, name))
        await migrated.close()  # a template must have no open connections when copied
        return name

    # Its own event loop on a thread: the fixture is first asked for inside a test's running loop.
    with ThreadPoolExecutor(max_workers=1) as worker:
        name = worker.submit(asyncio.run, create()).result()
        yield name
        worker.submit(asyncio.run, _drop_postgres_database(base_url, name)).result()


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
    """A database for the app: a new SQLite file, or a PostgreSQL copy of the migrated template
    (open_app still runs the migrations on it, which finds nothing to do)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'facilitator.db'}"
        return
    base_url = _postgres_base_url()
    name = await _create_postgres_database(base_url, template=request.getfixturevalue("postgres_template"))
    try:
        yield _postgres_url(base_url, name)
    finally:
        await _drop_postgres_database(base_url, name)


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
