"""Values no database takes, at the service layer, on a SQLite file and on PostgreSQL: lone
surrogates in every kind of text (replaced by U+FFFD, never a failed insert) and ids too big for
a database integer (refused as a missing session, never an OverflowError or a DataError)."""

from __future__ import annotations

import pytest

from facilitator import commands as cmd
from facilitator.bootstrap import FacilitatorApp
from facilitator.domain.actors import Actor, Place
from facilitator.replies import Reply, ReplyKind
from tests.app.support import stored, stored_document

FAY = Actor("T1", "UFAY", "Fay")
HALF = "\ud800"  # half of a UTF-16 pair, as JSON's "\ud800" escape delivers it
MARK = "\ufffd"


def speakable(replies: list[Reply]) -> None:
    """Every reply can be sent: its text encodes as UTF-8."""
    for reply in replies:
        reply.text.encode("utf-8")


async def test_lone_surrogates_are_replaced_wherever_text_comes_in(app: FacilitatorApp) -> None:
    place = Place("shell", "C1", "T-1")
    say = app.service.handle_text
    odd = Actor("T1", "UODD", f"Od{HALF}d")  # a display name, as a platform may send it
    speakable(await say(FAY, Place("shell", "C1"), f"/pln start Our {HALF} retro"))
    await app.service.attach_thread(1, "T-1")
    for replies in (
        await say(odd, place, f"/pln do typed {HALF}"),
        await app.service.handle(odd, Place("shell", "C1", None, 1), cmd.Submit("do", f"form {HALF}")),  # a modal
        await say(odd, place, f"DO: thread {HALF}"),
        await say(odd, place, "/pln why 1 because " + HALF),
        await say(odd, place, f"/pln join vet{HALF}"),
        await say(FAY, place, f"/pln cohost @Od{HALF}d"),
        await say(FAY, place, f"/pln {HALF}frobnicate"),
    ):
        speakable(replies)
        assert all(r.kind is not ReplyKind.ERROR or r.private_to in (odd.user_id, FAY.user_id) for r in replies)
    state = await stored(app)
    assert state["title"] == f"Our {MARK} retro"
    assert [text for _, _, text, _, _ in state["items"]] == [f"typed {MARK}", f"form {MARK}", f"thread {MARK}"]
    assert ("UODD", "Odd", "unspecified", 0) in state["people"]  # names drop invisible characters
    assert state["hosts"] == ["UFAY"]  # "@Od\ufffdd" names nobody: a clear "can't find", no crash
    assert (await stored_document(app))["items"][0]["why"] == f"because {MARK}"


@pytest.mark.parametrize("session_id", [2**31, 10**12, 2**63, 10**22])
async def test_session_ids_no_database_holds_are_missing_sessions(app: FacilitatorApp, session_id: int) -> None:
    await app.service.handle_text(FAY, Place("shell", "C1"), "/pln start")
    before = await stored(app)
    forged = Place("shell", "C1", None, session_id)
    for command in (cmd.Vote((1,)), cmd.Status(), cmd.Next(), cmd.Submit("do", "x"), cmd.Join("veteran")):
        replies = await app.service.handle(FAY, forged, command)
        assert [(r.kind, r.text) for r in replies] == [(ReplyKind.ERROR, "That session doesn't exist here.")]
    assert await stored(app) == before
