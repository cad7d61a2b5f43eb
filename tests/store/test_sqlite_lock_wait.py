"""Another process holding SQLite's write lock: we wait for it without freezing the event loop.

The blocker (tests/sqlite_lock.py) is a plain sqlite3 connection on a thread, as another bot
process would be: it takes the write lock with BEGIN IMMEDIATE and keeps it for a while.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from facilitator.bootstrap import FacilitatorApp, open_app
from facilitator.replies import Reply
from tests.app.support import FakeClock, actor, say, start, stored
from tests.sqlite_lock import write_lock_held

ANA = actor("Ana")
BO = actor("Bo")


@pytest.fixture
async def sqlite_app(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[tuple[FacilitatorApp, Path]]:
    path = tmp_path / "facilitator.db"
    shutil.copyfile(sqlite_template, path)
    app = await open_app(f"sqlite:///{path}", clock=FakeClock(), migrate=False)
    try:
        yield app, path
    finally:
        await app.close()


async def said_while_locked(app: FacilitatorApp, path: Path, text: str) -> tuple[list[Reply], int]:
    """Bo says `text` while another process holds the write lock for half a second: his replies,
    and how often a 5 ms ticker got to run on the loop meanwhile."""
    async with write_lock_held(path) as release:
        asyncio.get_running_loop().call_later(0.5, release.set)
        saying = asyncio.ensure_future(say(app, BO, text))
        ticks = 0
        while not saying.done():
            await asyncio.sleep(0.005)
            ticks += 1
        return saying.result(), ticks


async def test_a_write_waits_for_another_process_lock_and_the_loop_keeps_running(
    sqlite_app: tuple[FacilitatorApp, Path],
) -> None:
    app, path = sqlite_app
    await start(app, ANA)
    replies, ticks = await said_while_locked(app, path, "/pln join newcomer")

    assert replies[0].text.startswith("You joined as newcomer."), replies[0].text
    assert (await stored(app))["people"] == [(BO.user_id, "Bo", "newcomer", 0)]
    # Waiting on the loop's own thread for half a second would have let the ticker run about
    # once; waiting on asyncio lets it run dozens of times.
    assert ticks >= 20, ticks


async def test_a_lock_held_past_the_timeout_is_a_clear_temporary_refusal_and_changes_nothing(
    sqlite_app: tuple[FacilitatorApp, Path],
) -> None:
    app, path = sqlite_app
    await start(app, ANA)
    before = await stored(app)
    app.db.busy_timeout_s = 0.2
    async with write_lock_held(path):
        replies = await say(app, BO, "/pln join newcomer")

    assert "temporarily unavailable" in replies[0].text, replies[0].text
    assert replies[0].private_to == BO.user_id
    assert await stored(app) == before
    # Once the lock is free the same command goes through.
    assert (await say(app, BO, "/pln join newcomer"))[0].text.startswith("You joined as newcomer.")


async def voting_on_one_item(app: FacilitatorApp) -> None:
    await start(app, ANA)
    await say(app, BO, "/pln join newcomer")
    await say(app, BO, "/pln do Share one link a week")
    await say(app, ANA, "/pln next")


async def test_a_vote_on_the_driver_waits_the_same_way(sqlite_app: tuple[FacilitatorApp, Path]) -> None:
    app, path = sqlite_app
    await voting_on_one_item(app)
    await say(app, BO, "/pln vote 1")  # the driver path's connection is checked out and kept
    await say(app, BO, "/pln unvote 1")
    replies, ticks = await said_while_locked(app, path, "/pln vote 1")

    assert replies[0].text.startswith("Voted for #1."), replies[0].text
    assert ticks >= 20, ticks


async def test_a_vote_past_the_timeout_is_a_clear_temporary_refusal_and_changes_nothing(
    sqlite_app: tuple[FacilitatorApp, Path],
) -> None:
    app, path = sqlite_app
    await voting_on_one_item(app)
    before = await stored(app)
    app.db.busy_timeout_s = 0.2
    async with write_lock_held(path):
        replies = await say(app, BO, "/pln vote 1")

    assert len(replies) == 1 and "temporarily unavailable" in replies[0].text, replies[0].text
    assert replies[0].private_to == BO.user_id
    assert await stored(app) == before
    assert (await say(app, BO, "/pln vote 1"))[0].text.startswith("Voted for #1.")
