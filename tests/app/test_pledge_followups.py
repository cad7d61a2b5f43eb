"""Follow-ups of pledges with a fake clock: due once, by direct message with Done / Not yet /
Drop; "Not yet" asks once more a period later and then never; quiet and `followup=off` hold;
a restart loses nothing; two workers on one database send each follow-up once."""

from __future__ import annotations

import asyncio

import pytest

from facilitator.app import pledge_followups
from facilitator.bootstrap import FacilitatorApp, open_app
from facilitator.commands.actions import ActionName, command_for
from facilitator.replies import Reply

from tests.app.room import Room, only
from tests.app.support import FakeClock

DAY = 86400


async def _pledged(room: Room, *, followup: str | None = None, text: str = "Answer one question a week") -> None:
    await room.start("Fay")
    await room.say("Ann", "/pln join newcomer")
    if followup:
        await room.say("Fay", f"/pln settings followup={followup}")
    await room.say("Ann", f"/pln pledge {text}")


def _followups(fired: list[tuple[int, list[Reply]]]) -> list[Reply]:
    return [reply for _, replies in fired for reply in replies if "A follow-up from" in reply.text]


async def _click(room: Room, reply: Reply, name: ActionName) -> list[Reply]:
    action = next(a for a in reply.actions if a.name is name)
    return await room.do("Ann", command_for(action.name, action.argument), session_id=action.session_id)


async def test_the_owner_is_followed_up_once_after_the_period(any_room: Room) -> None:
    room = any_room
    await _pledged(room)
    assert await room.service.fire_due(room.clock.advance(seconds=7 * DAY - 1)) == []
    (followup,) = _followups(await room.service.fire_due(room.clock.advance(seconds=1)))
    assert followup.private_to == "Ann" and followup.direct and followup.session_id == 1
    assert "did you do what you pledged? \"Answer one question a week\"" in followup.text
    assert [a.name for a in followup.actions] == [ActionName.PLEDGE_DONE, ActionName.PLEDGE_LATER,
                                                 ActionName.PLEDGE_DROP]
    assert await room.service.fire_due(room.clock.advance(seconds=30 * DAY)) == []  # once
    assert (await room.service.snapshot_of(1)).pledges[0].due_at is None


async def test_not_yet_asks_once_more_one_period_later_then_never(room: Room) -> None:
    await _pledged(room, followup="1d")
    (first,) = _followups(await room.service.fire_due(room.clock.advance(seconds=DAY)))
    later = only(await _click(room, first, ActionName.PLEDGE_LATER))
    assert later.private_to == "Ann" and "once more about pledge #1 in 1 day" in later.text
    assert await room.service.fire_due(room.clock.advance(seconds=DAY - 1)) == []
    (second,) = _followups(await room.service.fire_due(room.clock.advance(seconds=1)))
    assert "the last reminder" in second.text
    assert [a.name for a in second.actions] == [ActionName.PLEDGE_DONE, ActionName.PLEDGE_DROP]
    # A stale "Not yet" (the first message's button) sets no third follow-up.
    assert "No more reminders" in only(await _click(room, first, ActionName.PLEDGE_LATER)).text
    assert await room.service.fire_due(room.clock.advance(seconds=10 * DAY)) == []
    done = await _click(room, second, ActionName.PLEDGE_DONE)
    assert done[0].text == "Pledge #1 (Ann) kept: Answer one question a week"
    snapshot = await room.service.snapshot_of(1)
    assert snapshot.pledges[0].status == "done" and snapshot.pledges[0].done_at == room.clock.now


async def test_done_before_the_follow_up_cancels_it(room: Room) -> None:
    await _pledged(room, followup="1h")
    await room.say("Ann", "/pln done 1")
    assert await room.service.fire_due(room.clock.advance(seconds=2 * 3600)) == []


async def test_quiet_owners_get_no_follow_up(any_room: Room) -> None:
    room = any_room
    await _pledged(room, followup="10s")
    await room.say("Ann", "/pln quiet")
    assert await room.service.fire_due(room.clock.advance(seconds=60)) == []
    assert (await room.service.snapshot_of(1)).pledges[0].due_at is None  # claimed, not retried


async def test_followup_off_cancels_and_a_new_period_reschedules(room: Room) -> None:
    await _pledged(room)
    await room.say("Fay", "/pln settings followup=off")
    assert await room.service.fire_due(room.clock.advance(seconds=8 * DAY)) == []
    await room.say("Fay", "/pln settings followup=10s")  # already past: due at once
    assert len(_followups(await room.service.fire_due(room.clock.advance(seconds=1)))) == 1


async def test_a_follow_up_survives_a_restart(db_url: str, clock: FakeClock) -> None:
    first = await open_app(db_url, clock=clock)
    try:
        await _pledged(Room(first, clock), followup="1h")
    finally:
        await first.close()
    again = await open_app(db_url, clock=clock)
    try:
        assert len(_followups(await again.service.fire_due(clock.advance(seconds=3600)))) == 1
    finally:
        await again.close()


async def test_two_workers_send_each_follow_up_once(db_url: str, clock: FakeClock) -> None:
    first, second = await open_app(db_url, clock=clock), await open_app(db_url, clock=clock)
    try:
        for n in range(8):
            room = Room(first, clock, channel=f"C{n}")
            await _pledged(room, followup="10s", text=f"Pledge in channel {n}")
        now = clock.advance(seconds=10)

        async def drain(app: FacilitatorApp) -> list[str]:
            sent: list[str] = []
            while batch := await app.service.fire_due(now):
                sent += [reply.text for reply in _followups(batch)]
            return sent

        a, b = await asyncio.gather(drain(first), drain(second))
        assert sorted(text.split('"')[1] for text in a + b) == sorted(f"Pledge in channel {n}" for n in range(8))
    finally:
        await first.close()
        await second.close()


async def test_a_follow_up_that_fails_holds_up_no_other(room: Room, monkeypatch: pytest.MonkeyPatch,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    await _pledged(room, followup="1h", text="First, and broken")
    await room.say("Ann", "/pln pledge Second")
    real = pledge_followups.followup_reply

    def broken_first(session, row):  # type: ignore[no-untyped-def]
        if row.number == 1:
            raise RuntimeError("a bug while wording it")
        return real(session, row)

    monkeypatch.setattr(pledge_followups, "followup_reply", broken_first)
    sent = _followups(await room.service.fire_due(room.clock.advance(seconds=3600)))
    assert ['"Second"' in reply.text for reply in sent] == [True]
    assert "the follow-up of pledge 1 of session 1 failed" in caplog.text
    assert await room.service.fire_due(room.clock.advance(seconds=60)) == []  # not retried every round
