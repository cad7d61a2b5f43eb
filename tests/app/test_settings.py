"""`/pln settings`: facilitator only, before voting only, validated; blind by default."""

from __future__ import annotations

from facilitator.replies import ReplyKind

from tests.app.room import Room, only, texts


async def _voting_room(room: Room, settings: str | None = None) -> int:
    session_id = await room.start("Fay")
    if settings:
        assert only(await room.say("Fay", f"/pln settings {settings}")).kind is ReplyKind.NOTICE
    for number in range(1, 7):
        await room.say("Ann", f"/pln do! Idea number {number} about learning in public")
    await room.say("Fay", "/pln next")
    return session_id


async def test_settings_change_the_budget_and_per_item_limit(room: Room) -> None:
    await _voting_room(room, "votes=5 per-item=2")
    assert "Voted" in texts(await room.say("Bob", "/pln vote 1 1 2 3 4"))
    refused = only(await room.say("Bob", "/pln vote 5"))
    assert refused.kind is ReplyKind.ERROR and "used all 5" in refused.text
    snapshot = await room.service.snapshot_of(1)
    assert snapshot.vote_counts.total == 5
    assert list(snapshot.vote_counts.votes[1].values()) == [2]  # one person's two votes
    assert list(snapshot.vote_counts.voters[1].values()) == [1]


async def test_blind_by_default_hides_results_during_voting(room: Room) -> None:
    await _voting_room(room)
    await room.say("Bob", "/pln vote 1")
    reply = only(await room.say("Bob", "/pln results"))
    assert reply.kind is ReplyKind.ERROR and "blind" in reply.text.lower()


async def test_blind_off_gives_live_tallies(room: Room) -> None:
    await _voting_room(room, "blind=off")
    await room.say("Bob", "/pln vote 1")
    reply = only(await room.say("Bob", "/pln results"))
    assert reply.kind is ReplyKind.RESULTS and reply.tally is not None
    assert reply.tally.section("do").rows[0].votes == 1


async def test_only_facilitators_change_settings(room: Room) -> None:
    await room.start("Fay")
    reply = only(await room.say("Bob", "/pln settings votes=9"))
    assert reply.kind is ReplyKind.ERROR and reply.private_to == "Bob"
    room.admins.add("Ada")
    assert only(await room.say("Ada", "/pln settings votes=9")).kind is ReplyKind.NOTICE


async def test_settings_lock_once_voting_opens_and_votes_stay(room: Room) -> None:
    await _voting_room(room)
    await room.say("Bob", "/pln vote 1 2 3")
    reply = only(await room.say("Fay", "/pln settings votes=1"))
    assert reply.kind is ReplyKind.ERROR and "before voting opens" in reply.text
    snapshot = await room.service.snapshot_of(1)
    assert snapshot.settings.vote_budget == 3 and snapshot.vote_counts.total == 3
    assert sorted(snapshot.vote_counts.votes) == [1, 2, 3]


async def test_per_item_above_budget_is_refused(room: Room) -> None:
    await room.start("Fay")
    reply = only(await room.say("Fay", "/pln settings votes=2 per-item=3"))
    assert reply.kind is ReplyKind.ERROR
    assert (await room.service.snapshot_of(1)).settings.vote_budget == 3


async def test_out_of_range_values_are_refused_privately(room: Room) -> None:
    await room.start("Fay")
    reply = only(await room.say("Fay", "/pln settings votes=50"))
    assert reply.kind is ReplyKind.ERROR and reply.private_to == "Fay"


async def test_anonymity_cannot_be_switched_off_once_items_exist(room: Room) -> None:
    await room.start("Fay")
    await room.say("Fay", "/pln settings anonymous=on")
    await room.say("Ann", "/pln do Give before you ask")
    reply = only(await room.say("Fay", "/pln settings anonymous=off"))
    assert reply.kind is ReplyKind.ERROR
    assert (await room.service.snapshot_of(1)).anonymous


async def test_settings_without_arguments_show_them_to_anyone(room: Room) -> None:
    await room.start("Fay")
    reply = only(await room.say("Bob", "/pln settings"))
    assert reply.private_to == "Bob" and "3 votes each" in reply.text and "blind" in reply.text


async def test_settings_changes_are_in_the_audit_trail(room: Room) -> None:
    await room.start("Fay")
    await room.say("Fay", "/pln settings votes=4 blind=off")
    (record,) = (await room.service.snapshot_of(1)).audit
    assert record.action == "settings" and record.actor == "Fay"
    assert record.details["after"] == {"votes": "4", "blind": "off"}
    assert record.details["before"]["votes"] == 3
