"""The discussing phase as an agenda: /pln agenda, /pln next item [5m] with its question, notes
(`/pln note` and NOTE: thread replies), and the item's timebox. Room: tests/app/deliberation_room.py."""

from __future__ import annotations

import json

from facilitator.domain.actors import Place
from facilitator.replies import ReplyKind
from facilitator.reports.export import render_export
from tests.app.deliberation_room import discussing_room, voting_room
from tests.app.room import Room, only, texts
from tests.app.support import stored

PLN_UNSHARED = "This came mostly from the {} level: what do they know about building a PLN that the rest of the room may not have seen?"
PLN_VOTES = "Most of the room backed this: what is the smallest step someone could take this week to act on it?"


async def test_only_facilitators_set_the_agenda_and_only_while_discussing(room: Room) -> None:
    await voting_room(room)
    before = await stored(room.app)
    assert "set while discussing; the session is voting now" in only(await room.say("Fay", "/pln agenda")).text
    await room.say("Fay", "/pln next")
    refused = only(await room.say("Ann", "/pln agenda unshared"))
    assert refused.kind is ReplyKind.ERROR and refused.private_to == "Ann"
    assert refused.text == "Only the session's facilitators can set the agenda. Ask Fay."
    assert "not an agenda order" in only(await room.say("Fay", "/pln agenda loudest")).text
    assert (await stored(room.app))["votes"] == before["votes"]
    assert (await room.service.snapshot_of(1)).agenda is None


async def test_the_unshared_agenda_and_each_item_with_the_question_for_why_it_is_there(room: Room) -> None:
    await discussing_room(room)
    agenda = only(await room.say("Fay", "/pln agenda unshared"))
    assert agenda.private_to is None  # posted for the room
    # #2 and #3 are each backed by one level only (2 voters each, ties by number); #1 is shared.
    assert agenda.text.splitlines()[1:4] == [
        "1. #2 DO: Write in public weekly — mostly veteran support: 2 of 2 (100%)",
        "2. #3 DON'T: Only lurk — mostly newcomer support: 2 of 3 (67%)",
        "3. #1 DO: Follow five people — 4 votes",
    ]
    first = only(await room.say("Fay", "/pln next item"))
    assert first.private_to is None
    assert first.text.splitlines()[:5] == [
        "Now discussing #2 (item 1 of 3, one level's knowledge first): DO: Write in public weekly",
        "From Vi (veteran).",
        "Support by level: newcomer 0 of 3 (0%), veteran 2 of 2 (100%); 2 votes in all.",
        "On the agenda for: mostly veteran support: 2 of 2 (100%).",
        "Question: " + PLN_UNSHARED.format("veteran"),
    ]
    second = only(await room.say("Fay", "/pln next item")).text
    assert second.startswith("Now discussing #3 (item 2 of 3") and ("Question: " + PLN_UNSHARED.format("newcomer")) in second
    third = only(await room.say("Fay", "/pln next item")).text
    assert third.startswith("Now discussing #1 (item 3 of 3") and f"Question: {PLN_VOTES}" in third
    done = only(await room.say("Fay", "/pln next item"))
    assert done.private_to == "Fay" and done.text.startswith("Every item on the agenda has been up for discussion (3)")
    assert (await room.service.snapshot_of(1)).phase == "discussing"  # `next item` never moves the phase


async def test_the_default_agenda_is_by_votes_and_changing_it_keeps_what_was_discussed(room: Room) -> None:
    await discussing_room(room)
    assert only(await room.say("Fay", "/pln next item")).text.startswith("Now discussing #1 (item 1 of 3, most votes first)")
    agenda = only(await room.say("Fay", "/pln agenda divergence")).text
    # veteran minus newcomer share: #2 +100 pts, #3 -67, #1 -50.
    assert "1. #2 DO: Write in public weekly — veteran 100% vs newcomer 0%" in agenda
    assert "3. #1 DO: Follow five people — newcomer 100% vs veteran 50% (discussed)" in agenda
    nxt = only(await room.say("Fay", "/pln next item")).text
    assert nxt.startswith("Now discussing #2 (item 2 of 3, largest gap between levels first)")
    assert ("Question: People at the veteran level backed this more than those at the newcomer level: what has "
            "experience taught one side that the other hasn't met yet?") in nxt


async def test_an_anonymous_session_s_item_names_nobody(room: Room) -> None:
    await discussing_room(room, "anonymous=on")
    text = only(await room.say("Fay", "/pln next item")).text
    assert "From " not in text and "Ann" not in text and "(newcomer)." not in text
    assert "Support by level: newcomer 3 of 3 (100%), veteran 1 of 2 (50%)" in text


async def test_a_timeboxed_item_tells_the_thread_once_when_its_time_is_up(any_room: Room) -> None:
    room = any_room
    await discussing_room(room)
    text = only(await room.say("Fay", "/pln next item 5m")).text
    assert "Timebox: 5 min (until 18:05 UTC)." in text
    assert await room.service.fire_due(room.clock.advance(minutes=4)) == []
    [(session_id, [up])] = await room.service.fire_due(room.clock.advance(minutes=1))
    assert session_id == 1 and up.private_to is None
    assert up.text.startswith("Time's up for #1. Facilitators: `/pln next item` moves on")
    assert await room.service.fire_due(room.clock.advance(minutes=5)) == []
    assert (await room.service.snapshot_of(1)).phase == "discussing"  # facilitators keep the pace


async def test_the_next_item_replaces_the_timebox_of_the_one_before(room: Room) -> None:
    await discussing_room(room)
    await room.say("Fay", "/pln next item 5m")
    await room.say("Fay", "/pln next item")
    assert await room.service.fire_due(room.clock.advance(minutes=6)) == []


async def test_notes_go_on_the_item_being_discussed_from_facilitators_only(room: Room) -> None:
    await discussing_room(room)
    await room.service.attach_thread(1, "T1")
    in_thread = Place("shell", room.channel, "T1")
    refused = only(await room.say("Fay", "/pln note Too early"))
    assert refused.kind is ReplyKind.ERROR and "`/pln next item` puts the next one up" in refused.text
    assert await room.service.handle_text(room.actor("Fay"), in_thread, "NOTE: no item yet, just chat") == []
    await room.say("Fay", "/pln next item")
    assert only(await room.say("Fay", "/pln note Ann follows ten people now")).text.startswith("Noted on #1")
    assert only(await room.say("Ann", "/pln note I am not a facilitator")).kind is ReplyKind.ERROR
    kept = only(await room.service.handle_text(room.actor("Fay"), in_thread, "Note: Ben will try it this month"))
    assert kept.private_to == "Fay" and kept.text.startswith("Noted on #1")
    # The same words from a participant are conversation in the thread: no note, no reply.
    assert await room.service.handle_text(room.actor("Ben"), in_thread, "NOTE: I agree") == []
    assert only(await room.say("Fay", "/pln note " + "x" * 1001)).text.startswith("That note is 1001 characters")
    await room.say("Fay", "/pln next item")
    await room.say("Fay", "/pln note About lurking")
    snapshot = await room.service.snapshot_of(1)
    assert [(n.number, n.text, n.author_name) for n in snapshot.notes] == [
        (1, "Ann follows ten people now", "Fay"), (1, "Ben will try it this month", "Fay"), (2, "About lurking", "Fay")]
    await room.say("Fay", "/pln end")
    document = json.loads(render_export(await room.service.snapshot_of(1), "json").content)
    assert [(d["number"], [n["text"] for n in d["notes"]]) for d in document["discussion"]] == [
        (1, ["Ann follows ten people now", "Ben will try it this month"]), (2, ["About lurking"])]


async def test_the_summary_lists_what_was_discussed_with_its_notes(room: Room) -> None:
    await discussing_room(room)
    await room.say("Fay", "/pln agenda unshared")
    await room.say("Fay", "/pln next item")
    await room.say("Fay", "/pln note Veterans write weekly")
    summary = texts(await room.say("Fay", "/pln end"))
    assert "Discussed, in agenda order:\n1. #2 Write in public weekly (one level's knowledge)\n" \
           "   note: Veterans write weekly — Fay" in summary


async def test_next_item_and_next_are_different_commands(room: Room) -> None:
    await discussing_room(room)
    await room.say("Fay", "/pln next item")
    assert (await room.service.snapshot_of(1)).phase == "discussing"
    await room.say("Fay", "/pln next")
    assert (await room.service.snapshot_of(1)).phase == "closed"
    assert only(await room.say("Fay", "/pln next item")).text.startswith("There's no open session in this channel")
