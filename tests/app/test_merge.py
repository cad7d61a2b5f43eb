"""Merge arithmetic: votes carry over, nobody counts twice, double votes are refunded."""

from __future__ import annotations

from facilitator.replies import ReplyKind
from facilitator.reports.tally import tally

from tests.app.room import Room


async def _vote_state(room: Room) -> tuple[dict[str, int], dict[int, int]]:
    async with room.app.db.read(room.clock()) as repo:
        used = {p.name: p.votes_used for p in await repo.participants_of(1)}
        per_item: dict[int, int] = {}
        for number, _voter, weight in await repo.votes_of(1):
            per_item[number] = per_item.get(number, 0) + weight
    return used, per_item


async def _setup(room: Room, settings: str = "") -> None:
    await room.start("Fay")
    if settings:
        await room.say("Fay", f"/pln settings {settings}")
    for text in ("Give before you ask", "Keep a learning journal", "Thank the people who help you",
                 "Share what you learn", "Join a community of practice", "Ask good questions",
                 "Offer to help first"):
        await room.say("Eve", f"/pln do! {text}")
    await room.say("Fay", "/pln next")


async def test_merge_counts_each_voter_once_and_refunds_double_votes(any_room: Room) -> None:
    room = any_room
    await _setup(room, "blind=off")  # open tallies: the people refunded are told (blind: test_blind_secrecy)
    await room.say("Ann", "/pln vote 4 7")  # voted for both: gets one back
    await room.say("Bob", "/pln vote 7")  # only the folded item: the vote moves
    await room.say("Cy", "/pln vote 4 1")  # only the kept item: unchanged
    replies = await room.say("Fay", "/pln merge 4 7")
    used, per_item = await _vote_state(room)
    assert per_item == {4: 3, 1: 1}  # Ann, Bob and Cy once each on #4
    assert used == {"Eve": 0, "Ann": 1, "Bob": 1, "Cy": 2}
    public = [r for r in replies if r.private_to is None]
    private = [r for r in replies if r.private_to is not None]
    assert len(public) == 1 and "merged into #4" in public[0].text
    assert [r.private_to for r in private] == ["Ann"] and "2 left" in private[0].text
    snapshot = await room.service.snapshot_of(1)
    assert [(i.number, i.merged_into) for i in snapshot.items if i.hidden] == [(7, 4)]
    row = next(r for r in tally(snapshot).section("do").rows if r.number == 4)
    assert row.votes == 3
    assert snapshot.audit[-1].details == {"fold": 7, "keep": 4, "votes_moved": 1, "votes_refunded": 1}
    # Ann's refunded vote can be spent again, within the budget.
    assert any(r.kind is ReplyKind.NOTICE for r in await room.say("Ann", "/pln vote 2 3"))
    used, _ = await _vote_state(room)
    assert used["Ann"] == 3


async def test_merge_with_several_votes_per_item_keeps_the_larger(any_room: Room) -> None:
    room = any_room
    await _setup(room, "votes=5 per-item=3")
    await room.say("Ann", "/pln vote 4 7 7 7")  # 1 on #4, 3 on #7: keeps 3 on #4, 1 back
    await room.say("Bob", "/pln vote 4 4 7")  # 2 on #4, 1 on #7: keeps 2, 1 back
    await room.say("Fay", "/pln merge 4 7")
    used, per_item = await _vote_state(room)
    assert per_item == {4: 5}
    assert used["Ann"] == 3 and used["Bob"] == 2


async def test_unvote_after_merge_frees_the_carried_vote(room: Room) -> None:
    await _setup(room)
    await room.say("Bob", "/pln vote 7")
    await room.say("Fay", "/pln merge 4 7")
    assert "Took back" in (await room.say("Bob", "/pln unvote 4"))[0].text
    used, per_item = await _vote_state(room)
    assert used["Bob"] == 0 and per_item == {}


async def test_a_vote_for_a_merged_item_points_to_the_item_it_joined(room: Room) -> None:
    await _setup(room)
    await room.say("Fay", "/pln merge 4 7")
    (reply,) = await room.say("Bob", "/pln vote 7")
    assert reply.kind is ReplyKind.ERROR and "merged into #4: vote for #4" in reply.text
    used, per_item = await _vote_state(room)
    assert "Bob" not in used and per_item == {}
