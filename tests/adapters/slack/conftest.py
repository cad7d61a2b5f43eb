from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.adapters.slack.harness import SlackHarness, slack_config
from tests.fakes.slack_api import FakeSlackApi
from tests.pg import database_of_kind

PEOPLE = {"U1": "Ann", "U2": "Bob", "U3": "Cid", "U4": "Dee", "U5": "Eve", "U6": "Fay", "U7": "Root"}


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackApi]:
    api = FakeSlackApi()
    api.install("xoxb-T1", "T1")
    for user_id, name in PEOPLE.items():
        api.add_user("T1", user_id, name, is_admin=user_id == "U7")
    await api.start()
    yield api
    await api.stop()


@pytest.fixture(params=["sqlite"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A SQLite file by default; `parametrize("database_url", [..., "postgresql"], indirect=True)`
    adds a fresh PostgreSQL database, dropped afterwards."""
    async with database_of_kind(request.param, tmp_path, "fac_slack") as url:
        yield url


@pytest.fixture
async def slack(fake: FakeSlackApi, database_url: str) -> AsyncIterator[SlackHarness]:
    harness = await SlackHarness.start(fake, slack_config(database_url, fake))
    yield harness
    await harness.stop()
