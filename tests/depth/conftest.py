"""Fixtures for the facilitation-depth tests: a fake clock, a real SQLite file, and a fresh
PostgreSQL database per test when FACILITATOR_TEST_POSTGRES_URL is set."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from facilitator.domain.actors import Actor, Place
from facilitator.bootstrap import FacilitatorApp, open_app
from facilitator.replies import Reply
from tests.pg import fresh_database

PG_URL = os.environ.get("FACILITATOR_TEST_POSTGRES_URL")
TENANT = "T1"


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


@dataclass
class Room:
    """One channel of the shell platform: people say `/pln ...` lines, replies come back."""

    app: FacilitatorApp
    clock: FakeClock
    channel: str = "C1"
    admins: set[str] = field(default_factory=set)

    @property
    def service(self):  # type: ignore[no-untyped-def]
        return self.app.service

    def actor(self, name: str) -> Actor:
        return Actor(TENANT, name, name, is_admin=name in self.admins)

    def place(self, session_id: int | None = None) -> Place:
        return Place("shell", self.channel, None, session_id)

    async def say(self, name: str, text: str) -> list[Reply]:
        return await self.app.service.handle_text(self.actor(name), self.place(), text)

    async def do(self, name: str, command: object, session_id: int | None = None) -> list[Reply]:
        return await self.app.service.handle(self.actor(name), self.place(session_id), command)  # type: ignore[arg-type]

    async def start(self, name: str = "Fay", title: str = "Depth") -> int:
        replies = await self.say(name, f"/pln start {title}")
        session_id = replies[0].session_id
        assert session_id is not None
        return session_id


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'depth.db'}"


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    if not PG_URL:
        pytest.skip("FACILITATOR_TEST_POSTGRES_URL is not set: no PostgreSQL to test against")
    async with fresh_database("depth") as url:
        yield url.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'depth.db'}"
        return
    if not PG_URL:
        pytest.skip("FACILITATOR_TEST_POSTGRES_URL is not set: no PostgreSQL to test against")
    async with fresh_database("depth") as url:
        yield url.render_as_string(hide_password=False)


@pytest.fixture
async def room(sqlite_url: str, clock: FakeClock) -> AsyncIterator[Room]:
    app = await open_app(sqlite_url, clock=clock)
    try:
        yield Room(app, clock)
    finally:
        await app.close()


@pytest.fixture
async def any_room(database_url: str, clock: FakeClock) -> AsyncIterator[Room]:
    app = await open_app(database_url, clock=clock)
    try:
        yield Room(app, clock)
    finally:
        await app.close()


def texts(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


def only(replies: list[Reply]) -> Reply:
    assert len(replies) == 1, replies
    return replies[0]
