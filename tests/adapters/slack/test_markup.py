"""Slack's markup -> readable text, and the forms guidance takes in a thread."""

from __future__ import annotations

import pytest

from adapters.slack import markup, typed
from adapters.slack.hints import for_slack, thread_forms
from facilitator import commands as cmd
from facilitator.replies import ItemView, Reply, ReplyKind
from facilitator.replies import messages as msg
from tests.fakes.mentions import ACTIVE_MENTION


@pytest.mark.parametrize("sent, core", [
    ("Read <https://example.org/pln|the PLN guide>", "Read the PLN guide (https://example.org/pln)"),
    ("See <https://example.org/a?b=1&amp;c=2>", "See https://example.org/a?b=1&c=2"),
    ("<https://example.org|example.org> and <mailto:a@b.test|a@b.test>", "https://example.org and a@b.test"),
    ("write <mailto:a@b.test|to me>", "write to me (a@b.test)"),
    ("with <@U3> and <@U4|dee>", "with <@U3> and <@U4>"),
    ("in <#C9|learning> or <#C8>", "in #learning or <#C8>"),
    ("<!here> <!channel> <!everyone>", "@here @channel @everyone"),
    ("ask <!subteam^S1|@mentors>", "ask @mentors"),
    ("by <!date^1765000000^{date_short}|Dec 6>", "by Dec 6"),
    ("typed &lt;@U1&gt; &amp; &lt;!here&gt;", "typed <@U1> & <!here>"),  # what people typed stays theirs
])
def test_markup_becomes_readable_and_people_stay_ids_for_the_grammar(sent: str, core: str) -> None:
    assert markup.to_core(sent) == core


def test_people_and_channels_get_their_names_in_free_text_only() -> None:
    assert markup.named("with <@U3> in <#C8>", {"U3": "Cid"}, {"C8": "general"}) == "with @Cid in #general"
    command = typed.parse_slash("cohost <@U2|bob>")  # a structured argument keeps the id
    assert command == cmd.Cohost(cmd.UserRef(user_id="U2"))
    assert typed.parse_slash("do Pair with <@U3|cid> &amp; <https://x.test|notes>") == cmd.Submit(
        "do", "Pair with <@U3> & notes (https://x.test)")


def test_a_mention_of_the_bot_then_a_subcommand() -> None:
    mention = typed.bot_mention("UBOT")
    assert typed.command_after_mention("<@UBOT> vote 2 5", mention) == "vote 2 5"
    assert typed.command_after_mention("  <@UBOT|facilitator>: status", mention) == "status"
    assert typed.command_after_mention("thanks <@UBOT>", mention) is None  # not a command
    assert typed.command_after_mention("<@UOTHER> vote 1", mention) is None
    assert typed.parse_mention("vote 2 5", in_thread=True) == cmd.Vote((2, 5))
    assert typed.parse_mention("DO: Share", in_thread=True) == cmd.Submit("do", "Share", from_thread_reply=True)
    assert typed.parse_mention("DO: Share", in_thread=False) == cmd.Submit("do", "Share")
    assert typed.parse_mention("", in_thread=True) == cmd.Help()
    with pytest.raises(cmd.ParseError, match="@facilitator help|/pln help"):
        typed.parse_mention("frobnicate", in_thread=True)


def test_guidance_in_a_thread_names_the_mention_form_and_leaves_item_text_alone() -> None:
    assert thread_forms("Use `/pln vote N [N ...]` or `/pln status`.") == "Use `@facilitator vote N [N ...]` or `@facilitator status`."
    assert thread_forms("/pln is text, `/plnx` too") == "/pln is text, `/plnx` too"
    notice = msg.notice("U1", "`/pln unvote N` frees one.")
    assert for_slack(notice, in_thread=True).text == "`@facilitator unvote N` frees one."
    assert for_slack(notice, in_thread=False).text == notice.text
    item = Reply(ReplyKind.ITEM, "#1 DO: Try `/pln help`", items=(ItemView(1, "do", "Try `/pln help`", "Ann", None),))
    assert for_slack(item, in_thread=True) == item


def test_help_on_slack_says_what_works_in_the_thread() -> None:
    in_channel = for_slack(msg.help_reply("U1"), in_thread=False)
    in_thread = for_slack(msg.help_reply("U1"), in_thread=True)
    assert in_channel.sections[-1].heading == in_thread.sections[-1].heading == "In the session thread"
    assert "/pln vote" in in_channel.text and "@facilitator vote 2 5" in in_channel.text
    commands = [line for section in in_thread.sections[:-1] for line in section.lines]
    assert commands and all(line.startswith("@facilitator ") for line in commands), commands[:2]
    assert not ACTIVE_MENTION.search(in_thread.text)
