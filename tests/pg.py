"""A fresh PostgreSQL database for one test, made on the server FACILITATOR_TEST_POSTGRES_URL names."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import URL, make_url

POSTGRES_ENV = "FACILITATOR_TEST_POSTGRES_URL"


def base_url() -> URL | None:
    raw = os.environ.get(POSTGRES_ENV)
    return make_url(raw) if raw else None


@asynccontextmanager
async def fresh_database(prefix: str) -> AsyncIterator[URL]:
    """Creates `<prefix>_<random>` and drops it afterwards (FORCE: a test may leave connections open)."""
    url = base_url()
    assert url is not None, f"{POSTGRES_ENV} is not set"
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(
        host=url.host, port=url.port or 5432, user=url.username, password=url.password, database="postgres"
    )
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@asynccontextmanager
async def database_of_kind(kind: str, tmp_path: Path, prefix: str) -> AsyncIterator[str]:
    """The URL of a SQLite file in `tmp_path` ("sqlite"), or of a fresh PostgreSQL database
    ("postgresql"): skipped without a server to make it on, failed where CI requires one."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'facilitator.db'}"
        return
    if base_url() is None:
        if os.environ.get("FACILITATOR_REQUIRE_POSTGRES"):
            pytest.fail(f"FACILITATOR_REQUIRE_POSTGRES is set but {POSTGRES_ENV} is not")
        pytest.skip(f"{POSTGRES_ENV} is not set")
    async with fresh_database(prefix) as url:
        yield url.render_as_string(hide_password=False)
