"""Near-duplicates: warned privately, held (not saved) until "send anyway", sent exactly once."""

from __future__ import annotations

import pytest

from facilitator import commands as cmd
from facilitator.domain.similarity import DUPLICATE_THRESHOLD, similarity
from facilitator.replies import ReplyKind

from tests.app.room import Room, only

DUPLICATES = [
    ("Give before you ask", "give before you ask!"),
    ("Share useful links with your network", "Share useful links with your network regularly"),
    ("Don't only broadcast", "Dont only broadcast your own stuff"),
    ("Follow a handful of people closely", "follow a handful of people closely rather than hundreds"),
    ("Answer questions in forums before asking your own",
     "Answer other people's questions in forums before asking your own"),
    ("Don't expect a tool to make connections for you", "Don't expect tools to make the connections for you"),
    ("Thank people who help you", "Thank the people who helped you"),
    ("Be consistent and show up regularly", "show up regularly and be consistent"),
    ("Join a community of practice", "Join a community of practise"),
    ("Don't spam people with DMs", "Do not spam people with DMs"),
]
DIFFERENT = [
    ("Share useful links with your network", "Don't share links without context"),
    ("Follow a handful of people closely", "Unfollow people who only self-promote"),
    ("Join a community of practice", "Start a blog"),
    ("Don't only broadcast", "Don't only lurk"),
    ("Share", "Share your failures as well as your successes"),
    ("Be kind", "Be consistent"),
    ("Don't spam people with DMs", "Don't ignore DMs from newcomers"),
    ("Keep a list of people you learn from", "Keep notes of what you learn"),
    ("Ask for help when you are stuck", "Offer help when others are stuck"),
    ("Read widely outside your field", "Read the docs before asking"),
    ("Item 1", "Item 2"),
    ("Meet 2 new people a week", "Meet 5 new people a week"),
]


@pytest.mark.parametrize(("old", "new"), DUPLICATES)
def test_realistic_duplicates_score_above_the_threshold(old: str, new: str) -> None:
    assert similarity(old, new) >= DUPLICATE_THRESHOLD


@pytest.mark.parametrize(("old", "new"), DIFFERENT)
def test_different_ideas_score_below_the_threshold(old: str, new: str) -> None:
    assert similarity(old, new) < DUPLICATE_THRESHOLD


async def _item_count(room: Room) -> int:
    return len((await room.service.snapshot_of(1)).items)


async def test_a_near_duplicate_is_held_and_explained_privately(room: Room) -> None:
    await room.start("Fay")
    await room.say("Ann", "/pln do Give before you ask")
    reply = only(await room.say("Bob", "/pln do give before you ask!"))
    assert reply.private_to == "Bob" and reply.kind is ReplyKind.NOTICE
    assert "looks like #1" in reply.text and "send yours anyway with `/pln do! TEXT`" in reply.text
    assert "button" not in reply.text  # the button is an action; the text stays true where there is none
    assert [a.name for a in reply.actions] == ["vote", "send_anyway"]
    assert reply.actions[0].argument == "1"
    assert await _item_count(room) == 1


async def test_send_anyway_posts_the_held_item_once(room: Room) -> None:
    session_id = await room.start("Fay")
    await room.say("Ann", "/pln do Give before you ask")
    held = only(await room.say("Bob", "/pln do give before you ask!"))
    pending = int(held.actions[1].argument)
    posted = await room.do("Bob", cmd.SendPending(pending), session_id)
    assert posted[0].kind is ReplyKind.ITEM and posted[0].text.startswith("#2 DO from Bob: give before you ask!")
    again = only(await room.do("Bob", cmd.SendPending(pending), session_id))
    assert again.kind is ReplyKind.ERROR
    assert await _item_count(room) == 2


async def test_someone_else_cannot_send_my_held_item(room: Room) -> None:
    session_id = await room.start("Fay")
    await room.say("Ann", "/pln do Give before you ask")
    held = only(await room.say("Bob", "/pln do give before you ask!"))
    pending = int(held.actions[1].argument)
    assert only(await room.do("Cy", cmd.SendPending(pending), session_id)).kind is ReplyKind.ERROR
    assert await _item_count(room) == 1


async def test_bang_form_and_thread_replies(room: Room) -> None:
    await room.start("Fay")
    await room.say("Ann", "/pln dont Only broadcast")
    assert (await room.say("Bob", "/pln dont! only broadcast"))[0].kind is ReplyKind.ITEM
    assert await _item_count(room) == 2


async def test_different_kinds_and_different_ideas_pass_straight_through(room: Room) -> None:
    await room.start("Fay")
    await room.say("Ann", "/pln do Share useful links with your network")
    assert (await room.say("Bob", "/pln dont Share useful links with your network"))[0].kind is ReplyKind.ITEM
    assert (await room.say("Bob", "/pln do Keep a learning journal"))[0].kind is ReplyKind.ITEM
    assert await _item_count(room) == 3


async def test_hidden_items_do_not_count_as_duplicates(room: Room) -> None:
    await room.start("Fay")
    await room.say("Ann", "/pln do Give before you ask")
    await room.say("Fay", "/pln hide 1")
    assert (await room.say("Bob", "/pln do give before you ask!"))[0].kind is ReplyKind.ITEM


async def test_a_thread_reply_is_already_public_so_it_is_never_held(room: Room) -> None:
    from facilitator.domain.actors import Place

    session_id = await room.start("Fay")
    await room.service.attach_thread(session_id, "thread-1")
    await room.say("Ann", "/pln do Give before you ask")
    replies = await room.service.handle_text(room.actor("Bob"), Place("shell", "C1", "thread-1"), "DO: give before you ask!")
    assert replies[0].kind is ReplyKind.ITEM and replies[0].items[0].number == 2
