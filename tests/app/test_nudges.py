"""Reminders are private, skip people who opted out, and the facilitator sees only counts."""

from __future__ import annotations

from facilitator.replies import ReplyKind

from tests.app.room import Room, only

PEOPLE = ("Ann", "Bob", "Cy", "Dee")


async def _room(room: Room) -> None:
    await room.start("Fay")
    for name in PEOPLE:
        await room.say(name, "/pln join practitioner")
    await room.say("Ann", "/pln do Give before you ask")


async def test_collecting_reminds_those_who_sent_nothing(room: Room) -> None:
    await _room(room)
    replies = await room.say("Fay", "/pln nudge")
    assert all(r.private_to is not None for r in replies)
    assert sorted(r.private_to or "" for r in replies if r.private_to != "Fay") == ["Bob", "Cy", "Dee"]
    counts = next(r for r in replies if r.private_to == "Fay")
    assert counts.text == "3 people haven't added anything yet: reminded 3 privately."
    assert not any(name in counts.text for name in PEOPLE)


async def test_voting_reminds_those_with_votes_left_and_respects_quiet(room: Room) -> None:
    await _room(room)
    await room.say("Fay", "/pln settings blind=off")  # open tallies: reminders may count (blind below)
    await room.say("Bob", "/pln do Keep a learning journal")
    await room.say("Fay", "/pln next")
    await room.say("Ann", "/pln vote 1 2")
    await room.say("Bob", "/pln vote 1")
    assert "No more reminders" in only(await room.say("Cy", "/pln quiet")).text
    await room.say("Dee", "/pln vote 1 2")
    replies = await room.say("Fay", "/pln nudge")
    reminded = {r.private_to: r.text for r in replies if r.private_to != "Fay"}
    assert set(reminded) == {"Ann", "Bob", "Dee"}
    assert "you have 2 votes left" in reminded["Bob"] and "you have 1 vote left" in reminded["Ann"]
    counts = next(r for r in replies if r.private_to == "Fay").text
    assert counts == "4 people have votes left: reminded 3 privately (1 opted out with `/pln quiet`)."
    await room.say("Cy", "/pln quiet off")
    assert "Cy" in {r.private_to for r in await room.say("Fay", "/pln nudge")}


async def test_only_facilitators_nudge_and_only_before_voting_closes(room: Room) -> None:
    await _room(room)
    refused = only(await room.say("Ann", "/pln nudge"))
    assert refused.kind is ReplyKind.ERROR and refused.private_to == "Ann"
    await room.say("Fay", "/pln next")
    await room.say("Fay", "/pln next")
    assert only(await room.say("Fay", "/pln nudge")).kind is ReplyKind.ERROR


async def test_nobody_due_is_said_plainly(room: Room) -> None:
    await room.start("Fay")
    await room.say("Ann", "/pln do Give before you ask")
    assert only(await room.say("Fay", "/pln nudge")).text == "Everyone has added something."


async def test_status_shows_my_items_and_my_reminder_setting_privately(room: Room) -> None:
    await room.start("Fay")
    await room.say("Fay", "/pln settings anonymous=on")
    await room.say("Ann", "/pln do Give before you ask")
    await room.say("Bob", "/pln do Keep a learning journal")
    await room.say("Ann", "/pln dont Only broadcast")
    await room.say("Ann", "/pln quiet")
    status = only(await room.say("Ann", "/pln status"))
    assert status.private_to == "Ann"
    assert "Your items: #1, #3" in status.text and "Reminders: off" in status.text
    assert "Your items" not in only(await room.say("Cy", "/pln status")).text


async def test_blind_voting_reminds_who_never_spent_all_votes_without_counting(room: Room) -> None:
    await _room(room)
    await room.say("Bob", "/pln do Keep a learning journal")
    await room.say("Fay", "/pln settings votes=2")
    await room.say("Fay", "/pln next")
    await room.say("Ann", "/pln vote 1 2")  # spent both
    await room.say("Bob", "/pln vote 1")
    await room.say("Cy", "/pln vote 2")
    await room.say("Fay", "/pln hide 1")  # gives Ann and Bob a vote back
    replies = await room.say("Fay", "/pln nudge")
    # Ann has a vote again, but counting her would tell the facilitator she had voted for #1.
    reminded = {r.private_to: r.text for r in replies if r.private_to != "Fay"}
    assert set(reminded) == {"Bob", "Cy", "Dee"}
    assert all("you still have votes to spend" in text for text in reminded.values())
    assert not any(char.isdigit() for text in reminded.values() for char in text.split("`")[0])
    counts = next(r for r in replies if r.private_to == "Fay").text
    assert counts == "3 people haven't spent all their votes yet: reminded 3 privately."
