"""Blind means blind for everyone: while votes are blind, no reply to anyone carries a number an
item's tally can be worked out from, alone or by comparing replies around a moderation action.

Two sessions have the same people, the same items and the same number of votes per person,
spread differently over the items. The facilitator runs the same sequence in both (status,
hide, status, restore, merge, status, nudge); every reply anyone receives must be the same in
both. The old replies differed at once: "Votes cast" fell by #1's tally after the hide, each of
#1's voters was told of their refund, and the nudge counted the people a refund left with votes.
"""

from __future__ import annotations

from dataclasses import replace

from facilitator.bootstrap import FacilitatorApp
from facilitator.domain.actors import Actor, Place
from facilitator.replies import Reply
from tests.app.support import stored_document

FAY = Actor("T1", "UFAY", "Fay")
PEOPLE = [Actor("T1", f"UP{n}", f"P{n}") for n in range(6)]
LEVELS = ("newcomer", "practitioner", "veteran")
# Each person casts as many votes in A as in B (3, 2, 1, 2, 3, 1), on other items.
SPREADS = {
    "A": ["1 2 3", "1 2", "1", "3 4", "2 3 4", "4"],  # tallies #1..#4: 3 3 3 3
    "B": ["2 3 4", "3 4", "4", "2 3", "1 2 3", "2"],  # tallies #1..#4: 1 4 4 3
}
SEQUENCE = ["status", "hide 1", "status", "restore 1", "merge 2 3", "status", "nudge"]


async def blind_session(app: FacilitatorApp, channel: str) -> tuple[int, Place]:
    place = Place("shell", channel)
    session_id = (await app.service.handle_text(FAY, place, "/pln start Workshop"))[0].session_id
    assert session_id is not None
    for text in ("Share first", "Ask for help", "Keep a journal", "Pair up"):
        await app.service.handle_text(FAY, place, f"/pln do {text}")
    for n, person in enumerate(PEOPLE):
        await app.service.handle_text(person, place, f"/pln join {LEVELS[n % 3]}")
    await app.service.handle_text(FAY, place, "/pln next")
    for person, votes in zip(PEOPLE, SPREADS[channel]):
        assert (await app.service.handle_text(person, place, f"/pln vote {votes}"))[0].text.startswith("Voted")
    return session_id, place


def as_seen(replies: list[Reply], session_id: int) -> list[str]:
    """Each reply as its reader gets it, with the one thing that may differ (the session's id) masked."""
    return [
        repr(replace(reply, session_id=None)).replace(f"(session {session_id})", "(session S)")
        for reply in replies
    ]


async def test_every_reply_is_the_same_whatever_the_spread_of_the_votes(app: FacilitatorApp) -> None:
    seen: dict[str, list[list[str]]] = {}
    for channel in SPREADS:
        session_id, place = await blind_session(app, channel)
        seen[channel] = [
            as_seen(await app.service.handle_text(FAY, place, f"/pln {command}"), session_id)
            for command in SEQUENCE
        ]
    for command, in_a, in_b in zip(SEQUENCE, seen["A"], seen["B"]):
        assert in_a == in_b, command

    # The sequence said something (progress, the hide's notice in the thread, reminders) ...
    replies = [text for step in seen["A"] for text in step]
    assert any("Done voting: 2 of 7" in text for text in replies)
    assert sum("was taken out of the lists" in text and "private_to=None" in text for text in replies) == 1
    assert sum("you still have votes to spend" in text for text in replies) == 4
    # ... and the two sessions really hold different tallies.
    votes = [[i["votes"] for i in (await stored_document(app, sid))["items"]] for sid in (1, 2)]
    assert votes[0] != votes[1]


async def test_progress_shown_while_blind_does_not_move_with_a_hide(app: FacilitatorApp) -> None:
    session_id, place = await blind_session(app, "A")
    before = (await app.service.handle_text(FAY, place, "/pln status"))[0].text
    await app.service.handle_text(FAY, place, "/pln hide 1")  # gives P0 (who had spent all 3) one back
    after = (await app.service.handle_text(FAY, place, "/pln status"))[0].text
    assert "Done voting: 2 of 7" in before and "Done voting: 2 of 7" in after
    assert "Votes cast" not in before + after
    await app.service.handle_text(FAY, place, "/pln next")
    closed = (await app.service.handle_text(FAY, place, "/pln status"))[0].text
    assert "Votes cast: 9" in closed  # once voting has closed, the totals are public
