"""A fresh PostgreSQL database for one test, made on the server FACILITATOR_TEST_POSTGRES_URL names."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
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
