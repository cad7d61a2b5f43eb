"""A small mixed room that has voted, for the deliberation tests. Fay facilitates; three
newcomers (Ann, Ben, Cy) and two veterans (Vi, Wu) vote:

    #1 DO    Follow five people     Ann Ben Cy + Vi  -> 4 votes: newcomer 3/3, veteran 1/2
    #2 DO    Write in public weekly Vi Wu            -> 2 votes: veteran 2/2 only
    #3 DON'T Only lurk              Ann Ben          -> 2 votes: newcomer 2/3 only
"""

from __future__ import annotations

from facilitator.replies import ReplyKind
from tests.app.room import Room

NEWCOMERS = ("Ann", "Ben", "Cy")
VETERANS = ("Vi", "Wu")
VOTES = {"Ann": "1 3", "Ben": "1 3", "Cy": "1", "Vi": "2 1", "Wu": "2"}


async def voting_room(room: Room, settings: str = "") -> int:
    session_id = await room.start("Fay")
    if settings:
        await room.say("Fay", f"/pln settings {settings}")
    for name in NEWCOMERS:
        await room.say(name, "/pln join newcomer")
    for name in VETERANS:
        await room.say(name, "/pln join veteran")
    await room.say("Ann", "/pln do Follow five people")
    await room.say("Vi", "/pln do Write in public weekly")
    await room.say("Ben", "/pln dont Only lurk")
    await room.say("Fay", "/pln next")
    return session_id


async def vote_all(room: Room, votes: dict[str, str] = VOTES) -> None:
    for name, numbers in votes.items():
        replies = await room.say(name, f"/pln vote {numbers}")
        assert [r.kind for r in replies] == [ReplyKind.NOTICE], replies


async def discussing_room(room: Room, settings: str = "") -> int:
    session_id = await voting_room(room, settings)
    await vote_all(room)
    await room.say("Fay", "/pln next")
    return session_id
