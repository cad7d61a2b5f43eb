"""`/pln revote`: a second blind round on the same items with fresh budgets, closed by `/pln next`,
whose results show how each level's votes moved. Room: tests/app/deliberation_room.py."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from facilitator.replies import ReplyKind
from facilitator.store.models import RoundVoteRow, VoteRow
from tests.app.deliberation_room import discussing_room, vote_all, voting_room
from tests.app.room import Room, only, texts
from tests.app.support import stored, votes_used

# Round 2, after discussion: two newcomers move from #1 to #2, and Wu adds #3.
ROUND_TWO = {"Ann": "2 3", "Ben": "2 3", "Cy": "1", "Vi": "2 1", "Wu": "2 3"}


async def archived(room: Room) -> list[tuple[int, int]]:
    async with room.app.db.read(room.clock.now) as store:
        rows = await store.db.execute(select(RoundVoteRow.round, func.count()).group_by(RoundVoteRow.round))
        return sorted((round_, count) for round_, count in rows.all())


async def test_revote_opens_round_two_blind_with_fresh_budgets(any_room: Room) -> None:
    room = any_room
    await discussing_room(room)
    opened = only(await room.say("Fay", "/pln revote"))
    assert opened.kind is ReplyKind.PHASE and opened.private_to is None
    assert opened.text.startswith("Round 2 is open: vote again on the same items")
    assert "Fresh budgets: you each have 3 votes" in opened.text and "Tallies stay hidden" in opened.text
    assert [a.argument for a in opened.actions] == ["1", "2", "3"]  # vote buttons on the same items
    state = await stored(room.app)
    assert state["phase"] == "voting" and state["votes"] == []
    assert all(used == 0 for *_, used in state["people"])
    assert await archived(room) == [(1, 8)]  # round 1's 8 votes are kept
    # Blind holds in round 2: no tally, no export, for anyone, facilitators included.
    assert "appear once voting closes" in only(await room.say("Fay", "/pln results")).text
    assert "available once voting closes" in only(await room.say("Fay", "/pln export json")).text
    status = only(await room.say("Ann", "/pln status")).text
    assert "Round: 2" in status and "3 of 3 votes left" in status
    await vote_all(room, ROUND_TWO)
    assert votes_used(await stored(room.app), room.actor("Ann")) == 2


async def test_next_closes_round_two_and_the_results_say_who_moved(room: Room) -> None:
    await discussing_room(room)
    await room.say("Fay", "/pln revote")
    await vote_all(room, ROUND_TWO)
    closing = await room.say("Fay", "/pln next")
    assert [r.kind for r in closing] == [ReplyKind.PHASE, ReplyKind.RESULTS]
    assert closing[0].text.startswith("Round 2 is closed")
    assert (await room.service.snapshot_of(1)).phase == "discussing"
    results = closing[1]
    assert results.text.startswith("Results for Workshop (round 2)")
    (moved,) = [s for s in results.sections if s.heading == "Round 2 compared with round 1"]
    # Round 1: #1 4 (new 3, vet 1), #2 2 (vet 2), #3 2 (new 2). Round 2: #1 2 (new 1, vet 1),
    # #2 4 (new 2, vet 2), #3 3 (new 2, vet 1).
    assert moved.lines == (
        "Between round 1 and round 2 the group moved toward #2 (+2) and #3 (+1), and away from #1 (−2).",
        "Votes that changed item, by level: newcomer 2 votes, veteran 1 vote.",
        "#2 Write in public weekly — 2 → 4 (+2): newcomer +2",  # a gain before an equal loss
        "#1 Follow five people — 4 → 2 (−2): newcomer −2",
        "#3 Only lurk — 2 → 3 (+1): veteran +1",
    )
    summary = texts(await room.say("Fay", "/pln end"))
    assert "Round 2 compared with round 1:\nBetween round 1 and round 2 the group moved toward #2 (+2)" in summary
    assert "#2 Write in public weekly (Vi, veteran) — 4 votes" in summary  # the ranking is round 2's


async def test_revote_is_for_facilitators_once_and_only_while_discussing(room: Room) -> None:
    await voting_room(room)
    assert "the session is voting now" in only(await room.say("Fay", "/pln revote")).text
    await vote_all(room)
    await room.say("Fay", "/pln next")
    before = await stored(room.app)
    assert only(await room.say("Ann", "/pln revote")).text == "Only the session's facilitators can open a second round. Ask Fay."
    assert await stored(room.app) == before
    await room.say("Fay", "/pln revote")
    await room.say("Fay", "/pln next")
    third = only(await room.say("Fay", "/pln revote"))
    assert third.kind is ReplyKind.ERROR and "has had its 2 rounds" in third.text
    assert (await room.service.snapshot_of(1)).round == 2


async def test_two_facilitators_asking_at_once_open_one_round(any_room: Room) -> None:
    room = any_room
    await discussing_room(room)
    room.admins.add("Gil")  # a platform admin: a facilitator too
    replies = await asyncio.gather(room.say("Fay", "/pln revote"), room.say("Gil", "/pln revote"))
    kinds = sorted(only(r).kind.value for r in replies)
    assert kinds == ["error", "phase"], [r[0].text for r in replies]
    assert await archived(room) == [(1, 8)]
    async with room.app.db.read(room.clock.now) as store:
        assert await store.db.scalar(select(func.count()).select_from(VoteRow)) == 0


async def test_round_two_votes_follow_every_voting_rule(room: Room) -> None:
    await discussing_room(room)
    await room.say("Fay", "/pln revote")
    assert "Voted for #1, #2, #3" in only(await room.say("Ann", "/pln vote 1 2 3")).text
    # With three items and one vote each per item, the per-item limit binds before the budget.
    assert "most votes one person can give an item" in only(await room.say("Ann", "/pln vote 1")).text
    assert "One person can give an item at most 1 vote; you asked for 2 on #1" in only(
        await room.say("Ben", "/pln vote 1 1")).text
    assert "Took back your vote on #2" in only(await room.say("Ann", "/pln unvote 2")).text
