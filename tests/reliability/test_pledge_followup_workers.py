"""Exactly-once follow-ups of pledges across two bot processes on PostgreSQL: each owner is asked
once, whichever process claims it (the claim is one conditional UPDATE: store/pledges.py)."""

from __future__ import annotations

from pathlib import Path

from facilitator.bootstrap import open_app

from tests.app.room import Room
from tests.app.support import FakeClock
from tests.reliability.test_timer_workers import _fire_in_two_processes

OWNERS = 10


async def test_two_worker_processes_send_each_follow_up_once_on_postgresql(
    pg_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    app = await open_app(pg_url, clock=clock)
    try:
        room = Room(app, clock)
        await room.start("Fay")
        await room.say("Fay", "/pln settings followup=1h")
        for n in range(OWNERS):
            await room.say(f"P{n}", "/pln join practitioner")
            await room.say(f"P{n}", f"/pln pledge Pledge number {n}")
        fired, _ = await _fire_in_two_processes(pg_url, clock.advance(seconds=3600), tmp_path)
        sent = [text for _, texts in fired for text in texts if "A follow-up from" in text]
        assert sorted(text.split('"')[1] for text in sent) == sorted(f"Pledge number {n}" for n in range(OWNERS))
        snapshot = await app.service.snapshot_of(1)
        assert all(pledge.due_at is None for pledge in snapshot.pledges)
    finally:
        await app.close()
