"""Only facilitators steer a session, and nobody outside a workspace or guild can reach it."""

from __future__ import annotations

import pytest

from facilitator.bootstrap import FacilitatorApp
from facilitator.replies import ReplyKind
from tests.app.support import actor, place, refusal, say, start, stored

HOST = actor("Host")
PARTICIPANT = actor("Pat")
FACILITATOR_ONLY = [
    "next",
    "end",
    "hide 1",
    "restore 1",
    "merge 1 2",
    "cohost <@UPAT>",
    "settings votes=5",
    "timer 10m",
    "nudge",
]
OUTSIDER_COMMANDS = ["status", "results", "vote 1", "unvote 1", "export json", "join veteran", "do Sneak in", "next"]


async def session_with_items(app: FacilitatorApp) -> int:
    session_id = await start(app, HOST)
    await say(app, PARTICIPANT, "join newcomer")
    await say(app, PARTICIPANT, "do Share first")
    await say(app, PARTICIPANT, "dont Never reply")
    return session_id


@pytest.mark.parametrize("command", FACILITATOR_ONLY)
async def test_a_participant_cannot_use_facilitator_commands(app: FacilitatorApp, command: str) -> None:
    await session_with_items(app)
    before = await stored(app)
    text = refusal(await say(app, PARTICIPANT, command), PARTICIPANT)
    assert "facilitator" in text.lower()
    assert await stored(app) == before


async def test_an_outsider_with_a_guessed_session_id_reaches_nothing(app: FacilitatorApp) -> None:
    session_id = await session_with_items(app)
    before = await stored(app)
    outsider = actor("Mallory", tenant="t2", admin=True)  # even an admin of the other workspace
    for where in (place(session_id=session_id), place(session_id=session_id, platform="slack"), place()):
        for command in OUTSIDER_COMMANDS:
            replies = await say(app, outsider, command, where)
            assert [r.kind for r in replies] == [ReplyKind.ERROR], (command, where)
            # The same channel id in another workspace is another channel, with no session in it.
            expected = "no open session" if where.session_id is None else "doesn't exist here"
            assert expected in replies[0].text
            assert "Share first" not in replies[0].text
    assert await stored(app) == before
