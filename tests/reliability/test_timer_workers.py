"""Exactly-once deadlines with several workers on one database: no session advances twice."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

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


async def test_two_worker_processes_fire_each_deadline_once_on_postgresql(
    pg_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    app = await open_app(pg_url, clock=clock)
    try:
        await _timed_sessions(app, clock)
        now = clock.advance(minutes=2)
        go = tmp_path / "go"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        workers = [
            await asyncio.create_subprocess_exec(
                sys.executable, str(WORKER), pg_url, now.isoformat(), str(go),
                stdout=asyncio.subprocess.PIPE, env=env, cwd=str(ROOT),
            )
            for _ in range(2)
        ]
        for worker in workers:
            assert worker.stdout is not None
            assert (await worker.stdout.readline()).strip() == b"ready"
        go.touch()
        fired: list[int] = []
        for worker in workers:
            out, _ = await worker.communicate()
            assert worker.returncode == 0
            fired.extend(json.loads(out.decode().strip().splitlines()[-1]))
        assert sorted(fired) == list(range(1, SESSIONS + 1))
        events, phases = await _phase_counts(app)
        assert set(events.values()) == {2}
        assert phases == Counter({"voting": SESSIONS})
    finally:
        await app.close()
