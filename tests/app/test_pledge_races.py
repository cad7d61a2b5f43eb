"""Pledges under races, on a SQLite file and on PostgreSQL. Invariants: pledges are numbered
1..N per session with no gap and no repeat however many arrive at once (one atomic UPDATE ...
RETURNING of the session's counter, and a unique key); and marks of one pledge by its owner and
a facilitator at the same moment run one after the other."""

from __future__ import annotations

import asyncio

from facilitator.replies import ReplyKind
from tests.app.room import Room


async def test_twenty_pledges_at_once_are_numbered_1_to_20(any_room: Room) -> None:
    room = any_room
    await room.start("Fay")
    people = [f"P{n}" for n in range(20)]
    for name in people:
        await room.say(name, "/pln join practitioner")
    results = await asyncio.gather(*(room.say(name, f"/pln pledge Give back {name}") for name in people))
    assert all(ReplyKind.ERROR not in [r.kind for r in replies] for replies in results), results
    pledges = (await room.service.snapshot_of(1)).pledges
    assert sorted(p.number for p in pledges) == list(range(1, 21))
    assert sorted(p.text for p in pledges) == sorted(f"Give back {name}" for name in people)
    assert {p.text: p.owner for p in pledges} == {f"Give back {name}": name for name in people}


async def test_done_and_drop_at_once_run_one_after_the_other(any_room: Room) -> None:
    """Marks of one pledge are serialised by the session's lock: each announcement is a real
    change (never the same one twice), and the stored status is one that was announced."""
    room = any_room
    await room.start("Fay")
    await room.say("Ann", "/pln join newcomer")
    for n in range(10):
        await room.say("Ann", f"/pln pledge Promise {n}")
    racing = [room.say("Ann", f"/pln done {n}") for n in range(1, 11)] + \
             [room.say("Fay", f"/pln drop {n}") for n in range(1, 11)]
    results = await asyncio.gather(*racing)
    pledges = (await room.service.snapshot_of(1)).pledges
    announced = [r.text for replies in results for r in replies if r.private_to is None]
    for pledge in pledges:
        said = [text for text in announced if text.startswith(f"Pledge #{pledge.number} ")]
        verb = {"done": "kept", "dropped": "dropped"}[pledge.status]
        assert 1 <= len(said) <= 2 and len(set(said)) == len(said), said
        assert f"Pledge #{pledge.number} (Ann) {verb}: {pledge.text}" in said, said
