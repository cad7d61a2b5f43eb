"""Timed phases with a fake clock: a deadline advances its phase once, tells the thread, and
never moves a phase that a facilitator already moved on."""

from __future__ import annotations

from facilitator.bootstrap import open_app
from facilitator.replies import ReplyKind

from tests.app.support import FakeClock
from tests.app.room import Room, only, texts


async def _phase(room: Room, session_id: int = 1) -> str:
    return (await room.service.snapshot_of(session_id)).phase


async def test_timer_sets_a_deadline_the_thread_sees(room: Room) -> None:
    await room.start("Fay")
    reply = only(await room.say("Fay", "/pln timer 10m"))
    assert reply.private_to is None and reply.kind is ReplyKind.NOTICE
    assert reply.text == "Collecting ends and voting opens in 10 min (at 18:10 UTC)."
    # The reply carries the intro with its deadline, for adapters that update the intro in place.
    assert reply.intro is not None and reply.intro.deadline == room.clock.now.replace(minute=10)
    assert reply.intro.facilitator == "Fay" and reply.intro.phase == "collecting"
    room.clock.advance(seconds=30)
    status = only(await room.say("Bob", "/pln status")).text
    assert "Time left: 9 min 30 s (collecting ends and voting opens at 18:10 UTC)" in status
    snapshot = await room.service.snapshot_of(1)
    assert snapshot.deadline is not None and snapshot.deadline.isoformat() == "2026-11-28T18:10:00+00:00"


async def test_the_deadline_advances_the_phase_exactly_once(any_room: Room) -> None:
    room = any_room
    await room.start("Fay")
    await room.say("Ann", "/pln do Give before you ask")
    await room.say("Fay", "/pln timer 10m")
    assert await room.service.fire_due(room.clock.advance(minutes=9)) == []
    assert await _phase(room) == "collecting"
    fired = await room.service.fire_due(room.clock.advance(minutes=1))
    assert [session_id for session_id, _ in fired] == [1]
    replies = fired[0][1]
    assert [r.kind for r in replies] == [ReplyKind.NOTICE, ReplyKind.PHASE]
    assert replies[0].text == "Time's up for collecting." and replies[1].text.startswith("Voting is open.")
    assert replies[0].intro is not None and replies[0].intro.deadline is None
    assert replies[0].intro.phase == "voting"
    assert [a.name for a in replies[1].actions] == ["vote"]
    assert all(r.private_to is None for r in replies)
    assert await _phase(room) == "voting"
    assert await room.service.fire_due(room.clock.advance(minutes=5)) == []
    assert await _phase(room) == "voting"
    assert "Time left" not in only(await room.say("Bob", "/pln status")).text


async def test_a_manual_next_cancels_the_old_deadline(room: Room) -> None:
    await room.start("Fay")
    await room.say("Ann", "/pln do Give before you ask")
    await room.say("Fay", "/pln timer 10m")
    await room.say("Fay", "/pln next")
    assert await room.service.fire_due(room.clock.advance(minutes=11)) == []
    assert await _phase(room) == "voting"


async def test_next_with_a_duration_times_the_new_phase(room: Room) -> None:
    await room.start("Fay")
    await room.say("Ann", "/pln do Give before you ask")
    replies = await room.say("Fay", "/pln next 5m")
    assert [r.kind for r in replies] == [ReplyKind.PHASE, ReplyKind.NOTICE]
    assert replies[1].text.startswith("Voting closes in 5 min")
    fired = await room.service.fire_due(room.clock.advance(minutes=5))
    kinds = [r.kind for r in fired[0][1]]
    assert kinds == [ReplyKind.NOTICE, ReplyKind.PHASE, ReplyKind.RESULTS]
    assert await _phase(room) == "discussing"


async def test_a_discussion_deadline_closes_the_session_with_the_summary(room: Room) -> None:
    await room.start("Fay")
    await room.say("Ann", "/pln do Give before you ask")
    await room.say("Fay", "/pln next")
    await room.say("Fay", "/pln next 10m")
    fired = await room.service.fire_due(room.clock.advance(minutes=10))
    assert ReplyKind.SUMMARY in [r.kind for r in fired[0][1]]
    assert await _phase(room) == "closed"


async def test_timer_off_and_facilitator_only(room: Room) -> None:
    await room.start("Fay")
    refused = only(await room.say("Bob", "/pln timer 10m"))
    assert refused.kind is ReplyKind.ERROR and refused.private_to == "Bob"
    await room.say("Fay", "/pln timer 10m")
    assert "off" in only(await room.say("Fay", "/pln timer off")).text
    assert await room.service.fire_due(room.clock.advance(hours=1)) == []
    assert await _phase(room) == "collecting"
    snapshot = await room.service.snapshot_of(1)
    assert [(a.action, a.details["seconds"]) for a in snapshot.audit] == [("timer", 600), ("timer", None)]


async def test_deadlines_survive_a_restart(sqlite_url: str, clock: FakeClock) -> None:
    app = await open_app(sqlite_url, clock=clock)
    await Room(app, clock).start("Fay")
    await Room(app, clock).say("Fay", "/pln timer 2m")
    await app.close()
    clock.advance(minutes=3)
    again = await open_app(sqlite_url, clock=clock)
    try:
        fired = await again.service.fire_due(clock())
        assert [session_id for session_id, _ in fired] == [1]
        place = (await again.service.tenant_and_place(1) or (None, None))[1]
        assert place is not None and place.channel == "C1" and place.session_id == 1
    finally:
        await again.close()


async def test_sessions_fire_in_their_own_channels(room: Room) -> None:
    await room.start("Fay")
    await room.say("Fay", "/pln timer 1m")
    other = Room(room.app, room.clock, channel="C2")
    await other.start("Gus")
    await other.say("Gus", "/pln timer 3m")
    assert [s for s, _ in await room.service.fire_due(room.clock.advance(minutes=2))] == [1]
    assert [s for s, _ in await room.service.fire_due(room.clock.advance(minutes=2))] == [2]


async def test_an_automatic_reminder_goes_out_before_voting_closes(any_room: Room) -> None:
    room = any_room
    await room.start("Fay")
    await room.say("Ann", "/pln do Give before you ask")
    await room.say("Ann", "/pln do Keep a learning journal")
    await room.say("Bob", "/pln join newcomer")
    await room.say("Fay", "/pln next 10m")
    await room.say("Ann", "/pln vote 1 2")
    fired = await room.service.fire_due(room.clock.advance(minutes=8))
    assert [session_id for session_id, _ in fired] == [1]
    replies = fired[0][1]
    assert all(r.private_to is not None for r in replies)
    assert sorted(r.private_to or "" for r in replies) == ["Ann", "Bob", "Fay"]
    to_fay = next(r for r in replies if r.private_to == "Fay")
    assert to_fay.text == "2 people have votes left: reminded 2 privately."
    assert await _phase(room) == "voting"
    assert await room.service.fire_due(room.clock.advance(seconds=30)) == []
    assert "Time's up" in texts((await room.service.fire_due(room.clock.advance(minutes=2)))[0][1])


async def test_the_worker_loop_posts_fired_replies_until_stopped(room: Room) -> None:
    import asyncio

    await room.start("Fay")
    await room.say("Fay", "/pln timer 1m")
    room.clock.advance(minutes=2)
    posted: list[tuple[int, list[str]]] = []
    stop = asyncio.Event()

    async def post(session_id: int, replies: list[object]) -> None:
        posted.append((session_id, [r.text for r in replies]))  # type: ignore[attr-defined]
        stop.set()

    await asyncio.wait_for(room.service.run_timers(post, stop, every_seconds=0.01), timeout=30)
    assert posted == [(1, ["Time's up for collecting.", posted[0][1][1]])]
    # Nobody added an item before the deadline: the thread is told there is nothing to vote on.
    assert posted[0][1][1] == (
        "Voting is open, but nobody added an item, so there is nothing to vote on. `/pln end` closes the session."
    )


async def test_the_intro_text_names_the_deadline_of_a_timed_phase(room: Room) -> None:
    from facilitator.replies import messages as msg

    intro = (await room.say("Fay", "/pln start Workshop"))[0]
    assert intro.intro is not None and intro.intro.deadline is None and "UTC" not in intro.text
    await room.say("Fay", "/pln timer 10m")
    async with room.app.db.read(room.clock()) as repo:
        session = await repo.session_by_id(1)
        assert session is not None
        text = msg.intro(session, room.service.context.template_of(session), "Fay").text
    assert text.endswith("Collecting ends and voting opens at 18:10 UTC.")
