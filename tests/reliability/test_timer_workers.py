"""Exactly-once deadlines with several workers on one database: no session advances twice, and a
broken session stops no other session's timer."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select, text

from facilitator.bootstrap import FacilitatorApp, open_app
from facilitator.store.models import PhaseEventRow, SessionRow

from tests.app.support import FakeClock
from tests.app.room import Room

SESSIONS = 12
WORKER = Path(__file__).with_name("timer_worker_process.py")
ROOT = Path(__file__).resolve().parents[2]


async def _timed_sessions(app: FacilitatorApp, clock: FakeClock) -> None:
    for n in range(SESSIONS):
        room = Room(app, clock, channel=f"C{n}")
        await room.start("Fay")
        await room.say("Fay", "/pln timer 1m")


async def _phase_counts(app: FacilitatorApp) -> tuple[Counter[int], Counter[str]]:
    async with app.db.engine.connect() as c:
        events = (await c.execute(
            select(PhaseEventRow.session_id, func.count()).group_by(PhaseEventRow.session_id))).all()
        phases = (await c.execute(select(SessionRow.phase))).scalars().all()
    return Counter({session_id: n for session_id, n in events}), Counter(phases)


async def _two_workers_in_process(url: str, clock: FakeClock) -> None:
    first = await open_app(url, clock=clock)
    second = await open_app(url, clock=clock)
    try:
        await _timed_sessions(first, clock)
        now = clock.advance(minutes=2)

        async def drain(app: FacilitatorApp) -> list[int]:
            fired: list[int] = []
            while batch := await app.service.fire_due(now):
                fired.extend(session_id for session_id, _ in batch)
            return fired

        a, b = await asyncio.gather(drain(first), drain(second))
        assert sorted(a + b) == list(range(1, SESSIONS + 1))  # every session once, none twice
        events, phases = await _phase_counts(first)
        assert set(events.values()) == {2}  # started, then one advance
        assert phases == Counter({"voting": SESSIONS})
    finally:
        await first.close()
        await second.close()


async def test_two_workers_fire_each_deadline_once_on_postgresql(pg_url: str, clock: FakeClock) -> None:
    await _two_workers_in_process(pg_url, clock)


async def test_two_workers_fire_each_deadline_once_on_sqlite(sqlite_url: str, clock: FakeClock) -> None:
    await _two_workers_in_process(sqlite_url, clock)


async def _fire_in_two_processes(url: str, now: datetime, tmp_path: Path) -> tuple[list[tuple[int, list[str]]], str]:
    """What two worker processes fired between them, and what they wrote to stderr."""
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    workers = [
        await asyncio.create_subprocess_exec(
            sys.executable, str(WORKER), url, now.isoformat(), str(go),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env, cwd=str(ROOT),
        )
        for _ in range(2)
    ]
    for worker in workers:
        assert worker.stdout is not None
        assert (await worker.stdout.readline()).strip() == b"ready"
    go.touch()
    fired: list[tuple[int, list[str]]] = []
    logs = ""
    for worker in workers:
        out, err = await worker.communicate()
        assert worker.returncode == 0, err.decode(errors="replace")
        fired.extend((session_id, texts) for session_id, texts in json.loads(out.decode().strip().splitlines()[-1]))
        logs += err.decode(errors="replace")
    return fired, logs


async def test_two_worker_processes_fire_each_deadline_once_on_postgresql(
    pg_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    app = await open_app(pg_url, clock=clock)
    try:
        await _timed_sessions(app, clock)
        fired, _ = await _fire_in_two_processes(pg_url, clock.advance(minutes=2), tmp_path)
        assert sorted(session_id for session_id, _ in fired) == list(range(1, SESSIONS + 1))
        events, phases = await _phase_counts(app)
        assert set(events.values()) == {2}
        assert phases == Counter({"voting": SESSIONS})
    finally:
        await app.close()


async def test_a_broken_session_stops_no_other_timer_in_two_processes_on_postgresql(
    pg_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    app = await open_app(pg_url, clock=clock)
    try:
        await _timed_sessions(app, clock)
        async with app.db.write(clock()) as store:  # started before sessions kept their template; it's gone
            await store.db.execute(text("UPDATE sessions SET template = 'gone', template_snapshot = NULL WHERE id = 5"))
        fired, logs = await _fire_in_two_processes(pg_url, clock.advance(minutes=2), tmp_path)

        healthy = [session_id for session_id, texts in fired if texts[0] == "Time's up for collecting."]
        assert sorted(healthy) == [n for n in range(1, SESSIONS + 1) if n != 5]  # each once, across both
        set_aside = [texts for session_id, texts in fired if session_id == 5]
        assert len(set_aside) == 1 and "moves the session on by hand" in set_aside[0][0]  # told once
        events, phases = await _phase_counts(app)
        assert events[5] == 1 and {n for n, count in events.items() if count == 2} == set(healthy)
        assert phases == Counter({"voting": SESSIONS - 1, "collecting": 1})
        # Each process that tried it logged it once, with the session's id; none more than once.
        assert 1 <= logs.count("session 5 failed") <= 2 and logs.count("Traceback") == logs.count("session 5 failed")
    finally:
        await app.close()
