"""Shared fixtures: a real database (a SQLite file, and PostgreSQL when the environment names
one), the app opened on it with a fake clock, and the actor/place helpers.

PostgreSQL tests get a database of their own (created from the `postgres` maintenance
database and dropped afterwards), so they are isolated and can run again and again."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable
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


async def _fresh_postgres_database(base_url: str) -> str:
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


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database: a SQLite file in tmp_path, or a brand-new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'facilitator.db'}"
        return
    base_url = os.environ.get(POSTGRES_ENV, "").strip()
    if not base_url:
        pytest.skip(NO_POSTGRES)
    name = await _fresh_postgres_database(base_url)
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        await _drop_postgres_database(base_url, name)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def app(db_url: str, clock: FakeClock) -> AsyncIterator[FacilitatorApp]:
    opened = await open_app(db_url, clock=clock)
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
