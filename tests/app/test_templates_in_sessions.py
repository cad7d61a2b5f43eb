"""Starting a session from another workshop template."""

from __future__ import annotations

from facilitator.bootstrap import FacilitatorApp
from facilitator.commands import Start, parse_command
from facilitator.replies import ReplyKind
from tests.app.support import actor, export_json, kinds, refusal, say

ANA = actor("Ana")
BEN = actor("Ben")


def test_start_grammar_takes_an_optional_template() -> None:
    assert parse_command("start template=start-stop-continue Team retro") == Start("Team retro", "start-stop-continue")
    assert parse_command("start Template=SSC") == Start("", "ssc")
    assert parse_command("start Our PLN") == Start("Our PLN", None)


async def test_a_session_runs_on_the_chosen_template(app: FacilitatorApp) -> None:
    intro = (await say(app, ANA, "start template=start-stop-continue Team retro"))[0]
    assert intro.kind is ReplyKind.INTRO and intro.intro is not None
    assert intro.intro.title == "Team retro"
    assert [a.argument for a in intro.actions if a.name == "add_item"] == ["start", "stop", "continue"]
    assert kinds(await say(app, BEN, "add stop Long status meetings")) == [ReplyKind.ITEM, ReplyKind.PICK_LEVEL]
    assert "takes" in refusal(await say(app, BEN, "do Something"), BEN)  # the pln words don't apply here
    assert "not a level" in refusal(await say(app, BEN, "join veteran"), BEN)
    await say(app, BEN, "join new")
    document = await export_json(app, ANA)
    assert document["session"]["template"] == "start-stop-continue"
    assert [(i["kind"], i["text"], i["author_level"]) for i in document["items"]] == [("stop", "Long status meetings", "new")]


async def test_an_unknown_template_is_refused_and_nothing_starts(app: FacilitatorApp) -> None:
    text = refusal(await say(app, ANA, "start template=nope"), ANA)
    assert "pln" in text and "start-stop-continue" in text
    assert kinds(await say(app, ANA, "start")) == [ReplyKind.INTRO, ReplyKind.NOTICE]
