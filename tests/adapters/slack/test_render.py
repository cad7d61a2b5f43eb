"""Reply -> Block Kit, checked against Slack's limits and for escaping."""

from __future__ import annotations

import json
import re

from adapters.slack import ids
from adapters.slack.render import add_item_modal, render
from facilitator.commands.actions import ActionName
from facilitator.replies import Action, IntroView, ItemView, Level, Reading, Reply, ReplyKind, Section
from tests.fakes.block_limits import block_kit_errors
from tests.fakes.mentions import ACTIVE_MENTION

HOSTILE = "<!channel> <!here> <!everyone> <@U0BOSS> <!subteam^S1|@team> & <https://evil|click>"


def vote(session: int, number: int) -> Action:
    return Action(ActionName.VOTE, f"Vote #{number}", session, str(number))


def elements_of(blocks: list[dict]) -> list[dict]:
    found = []
    for block in blocks:
        if block.get("accessory"):
            found.append(block["accessory"])
        found += block.get("elements", []) if block["type"] == "actions" else []
    return found


def intro_reply(title: str = "PLN workshop") -> Reply:
    view = IntroView(title=title, prompt="What should you DO?\n\nAnd not do?",
                     readings=(Reading("PLN made easy"), Reading("35 ways", "https://example.org/35?a=1&b=2")),
                     levels=(Level("newcomer", "new"), Level("practitioner", "some"), Level("veteran", "lots")),
                     how_to="1. Join\n2. Add", phase="collecting", facilitator="Ann")
    joins = tuple(Action(ActionName.JOIN, lv.capitalize(), 7, lv) for lv in ("newcomer", "practitioner", "veteran"))
    adds = (Action(ActionName.ADD_ITEM, "Add a DO", 7, "do"),
            Action(ActionName.ADD_ITEM, "Add a DON'T", 7, "dont"))
    return Reply(ReplyKind.INTRO, f"{title}\n...", session_id=7, top_level=True, intro=view, actions=joins + adds)


def test_intro_has_a_join_button_per_level_and_add_buttons() -> None:
    (message,) = render(intro_reply())
    assert block_kit_errors(message.blocks, limit=50) == []
    buttons = elements_of(message.blocks)
    assert [b["text"]["text"] for b in buttons] == ["Newcomer", "Practitioner", "Veteran", "Add a DO", "Add a DON'T"]
    assert [ids.action_name(b["action_id"]) for b in buttons] == ["join"] * 3 + ["add_item"] * 2
    assert ids.decode(buttons[2]["value"]) == {"session": "7", "level": "veteran"}
    assert "<https://example.org/35?a=1&b=2|35 ways>" in json.dumps(message.blocks)


def test_hostile_text_is_escaped_everywhere() -> None:
    item = ItemView(1, "do", HOSTILE, HOSTILE, "newcomer")
    replies = [
        intro_reply(title=HOSTILE),
        Reply(ReplyKind.ITEM, f"#1 DO from {HOSTILE}: {HOSTILE}", session_id=7, items=(item,), actions=(vote(7, 1),)),
        Reply(ReplyKind.SUMMARY, f"Summary\n\nDOs:\n#1 {HOSTILE}", session_id=7, sections=(Section("DOs", (f"#1 {HOSTILE}",)),)),
        Reply(ReplyKind.PHASE, "Voting", session_id=7, items=(item,) * 30, actions=tuple(vote(7, 1) for _ in range(30))),
    ]
    for reply in replies:
        for message in render(reply):
            sent = message.text + json.dumps(message.blocks)
            assert ACTIVE_MENTION.findall(sent) == []
            assert "&lt;!channel&gt;" in sent


def test_sixty_items_vote_through_selects_within_limits() -> None:
    items = tuple(ItemView(n, "do" if n % 2 else "dont", f"item {n} " + "x" * 480, f"P{n}", "veteran") for n in range(1, 61))
    reply = Reply(ReplyKind.PHASE, "Voting is open.", session_id=3, items=items, actions=tuple(vote(3, n) for n in range(1, 61)))
    messages = render(reply)
    options = []
    for message in messages:
        assert block_kit_errors(message.blocks, limit=50) == []
        for element in elements_of(message.blocks):
            options += [ids.decode(o["value"]) for o in element.get("options", [])]
    assert [o["item"] for o in options] == [str(n) for n in range(1, 61)]
    listed = json.dumps([m.blocks for m in messages])
    assert all(f"*#{n}*" in listed for n in range(1, 61))


def test_few_items_get_one_vote_button_each() -> None:
    items = tuple(ItemView(n, "do", f"item {n}", None, None) for n in range(1, 4))
    (message,) = render(Reply(ReplyKind.PHASE, "Voting.", session_id=3, items=items, actions=tuple(vote(3, n) for n in range(1, 4))))
    buttons = elements_of(message.blocks)
    assert [ids.decode(b["value"])["item"] for b in buttons] == ["1", "2", "3"]
    assert block_kit_errors(message.blocks, limit=50) == []


def test_a_huge_summary_is_split_within_block_and_text_limits() -> None:
    lines = tuple(f"#{n} " + "y" * 490 + f": {n} votes" for n in range(1, 301))
    reply = Reply(ReplyKind.SUMMARY, "Summary of X\n\nDOs:\n...", session_id=1,
                  sections=(Section("DOs", lines[:150]), Section("DON'Ts", lines[150:])))
    messages = render(reply)
    assert len(messages) > 1
    text = ""
    for message in messages:
        assert block_kit_errors(message.blocks, limit=50) == []
        text += json.dumps(message.blocks)
    assert all(f"#{n} " in text for n in range(1, 301))
    assert messages[0].blocks[0]["text"]["text"] == "Summary of X"


def test_anonymous_items_never_show_an_author() -> None:
    item = ItemView(4, "dont", "Spam people", None, None)
    (message,) = render(Reply(ReplyKind.ITEM, "#4 DON'T: Spam people", session_id=2, items=(item,), actions=(vote(2, 4),)))
    assert message.blocks[0]["text"]["text"] == "*#4* DON'T: Spam people"


def test_add_item_modal_carries_its_place() -> None:
    view = add_item_modal("7", "dont", "Add a DON'T", "C1", "1700000000.000001")
    assert block_kit_errors(view["blocks"], limit=100) == []
    assert ids.decode(view["private_metadata"]) == {"session": "7", "kind": "dont", "channel": "C1", "thread": "1700000000.000001"}


def test_escaped_text_is_clipped_without_cutting_an_entity_or_a_link() -> None:
    from adapters.slack import blocks as bk

    # Every cut point across a run of entities: what is kept always unescapes cleanly.
    for limit in range(2, 40):
        kept = bk.clip_mrkdwn(bk.escape("a&b<c>" * 10), limit)
        assert len(kept) <= limit and kept.endswith("…")
        assert re.fullmatch(r"(?:[^&]|&amp;|&lt;|&gt;)*…", kept), kept
    link = "see <https://example.org/a?x=1&amp;y=2|the guide> now"
    for limit in range(5, len(link)):
        kept = bk.clip_mrkdwn(link, limit)
        assert kept.count("<") == kept.count(">"), kept  # a link is kept whole or not at all
    # The notification text, a context line and a long item's section all clip this way.
    reply = Reply(ReplyKind.NOTICE, "&" * 5000, private_to="U1")
    (message,) = render(reply)
    assert len(message.text) <= bk.FALLBACK_TEXT and message.text.endswith("&amp;…"), message.text[-12:]
    section_text = message.blocks[0]["text"]["text"]
    assert len(section_text) <= bk.SECTION_TEXT and re.fullmatch(r"(?:&amp;)*…", section_text)
    item = Reply(ReplyKind.ITEM, "x", session_id=1, items=(ItemView(1, "do", "<>" * 800, "Ann", "veteran"),))
    (posted,) = render(item)
    shown = posted.blocks[0]["text"]["text"]
    assert len(shown) <= bk.SECTION_TEXT and re.fullmatch(r"\*#1\* DO: (?:&lt;&gt;|&lt;)*(?:&lt;|&gt;)?…", shown), shown[-20:]
