"""Starting a session, joining it at a level, and the commands anyone can use: help, status."""

from __future__ import annotations

from facilitator.bootstrap import FacilitatorApp
from facilitator.replies import ReplyKind
from tests.service.support import actor, kinds, only, place, refusal, say, start, stored

ANA = actor("Ana")
BO = actor("Bo")


async def test_start_posts_a_public_top_level_intro_with_join_and_add_buttons(app: FacilitatorApp) -> None:
    replies = await say(app, ANA, "/pln start")

    assert kinds(replies) == [ReplyKind.INTRO, ReplyKind.NOTICE]
    intro, guide = replies
    assert intro.top_level and intro.private_to is None
    assert intro.session_id is not None and guide.session_id == intro.session_id
    assert guide.private_to == ANA.user_id
    joins = [a for a in intro.actions if a.name == "join"]
    adds = [a for a in intro.actions if a.name == "add_item"]
    assert [a.arg("level") for a in joins] == ["newcomer", "practitioner", "veteran"]
    assert sorted(a.arg("kind") for a in adds) == ["do", "dont"]
    assert {a.arg("session") for a in intro.actions} == {str(intro.session_id)}
    assert intro.intro is not None
    assert [r.title for r in intro.intro.readings] == [
        "PLN: Your Personal Learning Network Made Easy",
        "35 Ways To Build Your Personal Learning Network Online",
    ]
    assert "PLN: Your Personal Learning Network Made Easy" in intro.text
    assert intro.intro.facilitator == "Ana"
