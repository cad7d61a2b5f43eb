"""One broken session among healthy ones: the timer worker logs the failure with the session's
id, sets that session's timer aside (telling its starter), and every other session's timer
still fires, once. Nothing but cancellation ends the worker's loop."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import text

from facilitator.bootstrap import FacilitatorApp
from facilitator.replies import Reply
from tests.app.room import Room
from tests.app.support import FakeClock

BROKEN = 3  # of sessions 1..5


async def timed_sessions(app: FacilitatorApp, clock: FakeClock, count: int = 5) -> None:
    for n in range(count):
        room = Room(app, clock, channel=f"C{n}")
        await room.start(f"Host{n}")
        await room.say(f"Host{n}", "/pln do Share first")
        await room.say(f"Host{n}", "/pln next")
        await room.say(f"Host{n}", "/pln timer 1m")  # voting closes in a minute: results need the template


async def break_session(app: FacilitatorApp, clock: FakeClock, session_id: int) -> None:
    """As a session started before sessions kept their template, on a template no longer loaded."""
    async with app.db.write(clock()) as store:
        await store.db.execute(text("UPDATE sessions SET template = 'gone', template_snapshot = NULL WHERE id = :id"),
                               {"id": session_id})


async def phases(app: FacilitatorApp) -> dict[int, str]:
    async with app.db.engine.connect() as c:
        return {row.id: row.phase for row in await c.execute(text("SELECT id, phase FROM sessions"))}


async def test_a_broken_session_is_set_aside_and_the_others_fire_once(
    app: FacilitatorApp, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    await timed_sessions(app, clock)
    await break_session(app, clock, BROKEN)
    with caplog.at_level(logging.ERROR, logger="facilitator.app.timer_worker"):
        fired = await app.service.fire_due(clock.advance(minutes=2))

    by_session = dict(fired)
    assert sorted(by_session) == [1, 2, 3, 4, 5]
    for session_id in (1, 2, 4, 5):
        assert [r.kind.value for r in by_session[session_id]] == ["notice", "phase", "results"]
    (notice,) = by_session[BROKEN]
    assert notice.private_to == f"Host{BROKEN - 1}" and "`/pln next` moves the session on by hand" in notice.text
    assert await phases(app) == {1: "discussing", 2: "discussing", 3: "voting", 4: "discussing", 5: "discussing"}
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(failures) == 1 and f"session {BROKEN}" in failures[0].getMessage()
    assert failures[0].exc_info is not None  # the cause, once, for whoever reads the log

    # Set aside: the next rounds neither retry it nor log it again.
    assert await app.service.fire_due(clock.advance(minutes=1)) == []
    assert len([r for r in caplog.records if r.levelno >= logging.ERROR]) == 1


async def test_the_worker_loop_outlives_a_broken_session(app: FacilitatorApp, clock: FakeClock) -> None:
    await timed_sessions(app, clock, count=2)
    await break_session(app, clock, 1)
    clock.advance(minutes=2)
    posted: list[tuple[int, list[Reply]]] = []
    stop = asyncio.Event()

    async def post(session_id: int, replies: list[Reply]) -> None:
        posted.append((session_id, replies))

    worker = asyncio.create_task(app.service.run_timers(post, stop, every_seconds=0.01))
    try:
        for _ in range(500):
            if len(posted) >= 2:
                break
            await asyncio.sleep(0.01)
        assert sorted(session_id for session_id, _ in posted) == [1, 2]
        # A deadline set after the failure fires too: the loop is still running.
        room = Room(app, clock, channel="C1")
        await room.say("Host1", "/pln timer 1m")
        clock.advance(minutes=2)
        for _ in range(500):
            if len(posted) >= 3:
                break
            await asyncio.sleep(0.01)
        assert [session_id for session_id, _ in posted[2:]] == [2] and not worker.done()
    finally:
        stop.set()
        await asyncio.wait_for(worker, 10)
