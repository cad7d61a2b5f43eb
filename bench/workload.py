"""Shared set-up: a real app on a database file, sessions driven through the service, bulk data."""

from __future__ import annotations

import itertools
import os
import secrets
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import insert, update
from sqlalchemy.engine import make_url

from facilitator import commands as cmd
from facilitator.domain.actors import Actor, Place
from facilitator.bootstrap import FacilitatorApp, open_app
from facilitator.store.models import ItemRow, ParticipantRow, SessionRow, VoteRow

TENANT = "T-BENCH"
PLATFORM = "shell"
HOST = Actor(TENANT, "host", "Host")
LEVELS = ("newcomer", "practitioner", "veteran")
KINDS = ("do", "dont")
POSTGRES_URL = os.environ.get("FACILITATOR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def person(index: int) -> Actor:
    return Actor(TENANT, f"u{index}", f"Person {index}")


def place_of(session_id: int) -> Place:
    return Place(PLATFORM, "bench", session_id=session_id)


@contextmanager
def sqlite_file() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="facilitator-bench-") as folder:
        yield Path(folder) / "bench.db"


async def open_bench_app(url: str) -> FacilitatorApp:
    return await open_app(url)


_channels = itertools.count(1)


async def start_session(app: FacilitatorApp) -> int:
    """A new session in a channel of its own (one open session per channel)."""
    channel = f"bench-{next(_channels)}"
    replies = await app.service.handle(HOST, Place(PLATFORM, channel), cmd.Start("Bench session"))
    session_id = replies[0].session_id
    assert session_id is not None, replies[0].text
    return session_id


async def advance(app: FacilitatorApp, session_id: int) -> None:
    replies = await app.service.handle(HOST, place_of(session_id), cmd.Next())
    assert replies and replies[0].kind.name == "PHASE", replies[0].text


async def bulk_load(app: FacilitatorApp, session_id: int, people: int, items: int, votes: int) -> None:
    """Rows written straight with Core executemany: fast, and the same rows the service would write."""
    now = datetime.now(UTC)
    budget = max(3, -(-votes // max(people, 1)))
    participants = [
        {
            "session_id": session_id,
            "user_id": f"bulk{p}",
            "name": f"Bulk person {p}",
            "level": LEVELS[p % len(LEVELS)] if p % 10 else "unspecified",
            "votes_used": 0,
            "joined_at": now,
        }
        for p in range(people)
    ]
    async with app.db.engine.begin() as connection:
        ids = (await connection.execute(insert(ParticipantRow).returning(ParticipantRow.id), participants)).scalars().all()
        item_rows = [
            {
                "session_id": session_id,
                "number": n,
                "kind": KINDS[n % 2],
                "text": f"Item {n}: share one useful thing a week with a line on why it matters",
                "author_id": ids[n % len(ids)],
                "hidden": False,
                "created_at": now,
            }
            for n in range(1, items + 1)
        ]
        item_ids = (await connection.execute(insert(ItemRow).returning(ItemRow.id), item_rows)).scalars().all()
        vote_rows = [
            # Vote v goes to voter v % people on item (v // people) spread over items: no pair repeats.
            {
                "session_id": session_id,
                "item_id": item_ids[(v // len(ids) * 7919 + v) % len(item_ids)],
                "participant_id": ids[v % len(ids)],
                "weight": 1,
            }
            for v in range(min(votes, len(ids) * len(item_ids)))
        ]
        if vote_rows:
            await connection.execute(insert(VoteRow), vote_rows)
        await connection.execute(
            update(SessionRow).where(SessionRow.id == session_id).values(item_count=items, vote_budget=budget)
        )


def postgres_dsn(url: str) -> str:
    """asyncpg speaks plain postgresql:// URLs, without SQLAlchemy's +driver suffix."""
    return url.replace("postgresql+asyncpg://", "postgresql://")


@asynccontextmanager
async def fresh_postgres_database() -> AsyncIterator[str]:
    """A new database for this run, dropped afterwards. Raises OSError/asyncpg errors if unreachable."""
    admin_dsn = postgres_dsn(POSTGRES_URL)
    name = f"facilitator_bench_{os.getpid()}_{secrets.token_hex(3)}"
    admin = await asyncpg.connect(admin_dsn, timeout=5)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield make_url(admin_dsn).set(database=name).render_as_string(hide_password=False)
    finally:
        admin = await asyncpg.connect(admin_dsn, timeout=5)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
