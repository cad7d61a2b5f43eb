"""Rendering replies within Discord's limits, and the pieces around it (ids, invite, intents)."""

from __future__ import annotations

import base64
import re
from urllib.parse import parse_qs, urlparse

import discord
import pytest

from adapters.discord import limits
from adapters.discord.bot import intents_for
from adapters.discord.components import BUTTON_PATTERN, Click, button_for, parse_click, parse_modal, view_for
from adapters.discord.invite import application_id_from_token, invite_url
from adapters.discord.render import render
from facilitator.commands.actions import ActionName
from facilitator.config import ConfigError
from facilitator.replies import Action, IntroView, ItemView, Level, Reading, Reply, ReplyKind, Section
from facilitator.replies.messages import help_reply


def message_size(embeds: list[discord.Embed]) -> int:
    return sum(len(e) for e in embeds)


def test_long_sections_split_into_embeds_and_messages_within_limits() -> None:
    lines = tuple(f"#{n} " + "word " * 60 for n in range(1, 301))  # ~90,000 chars
    reply = Reply(ReplyKind.SUMMARY, "Summary of a big one\nmore", sections=(Section("DOs", lines), Section("DON'Ts", lines[:5])))
    messages = render(reply)
    assert len(messages) > 10
    shown = []
    for message in messages:
        assert len(message.embeds) <= limits.EMBEDS_PER_MESSAGE
        assert message_size(message.embeds) <= limits.EMBED_TOTAL
        for embed in message.embeds:
            assert len(embed.fields) <= limits.EMBED_FIELDS
            assert all(len(f.value or "") <= limits.FIELD_VALUE and len(f.name or "") <= limits.FIELD_NAME for f in embed.fields)
            shown += [line for f in embed.fields for line in (f.value or "").splitlines()]
    assert messages[0].embeds[0].title == "Summary of a big one"
    assert len(shown) == 305  # nothing lost in the split
    assert shown[0].startswith("\\#1 word")


def test_long_text_splits_at_lines_under_2000_chars() -> None:
    text = "\n".join(f"line {n} " + "x" * 90 for n in range(100))
    messages = render(Reply(ReplyKind.STATUS, text, private_to="1"))
    assert len(messages) >= 5
    assert all(m.content is not None and len(m.content) <= limits.CONTENT for m in messages)
    assert "\n".join(m.content or "" for m in messages) == text


def test_user_markdown_is_escaped_but_command_hints_stay_code() -> None:
    reply = Reply(ReplyKind.NOTICE, "Added **bold** [x](https://evil) `rm` ~~s~~ > quote; try `/pln vote 1`", private_to="1")
    [message] = render(reply)
    assert message.content == "Added \\*\\*bold\\*\\* \\[x](https://evil) \\`rm\\` \\~\\~s\\~\\~ > quote; try `/pln vote 1`"


def test_intro_is_one_message_with_buttons_and_a_long_prompt_continues_in_more_embeds() -> None:
    intro = IntroView(title="A *title*", prompt="Prompt " * 700, readings=(Reading("Read me", "https://example.org"),),
                      levels=(Level("newcomer", "new"),), how_to="1. click", phase="collecting", facilitator="bo")
    actions = (Action(ActionName.JOIN, "Newcomer", 7, "newcomer"),
               Action(ActionName.ADD_ITEM, "Add a DO", 7, "do"))
    [message] = render(Reply(ReplyKind.INTRO, "plain", session_id=7, top_level=True, intro=intro, actions=actions))
    first, more = message.embeds
    assert first.title == "A \\*title\\*"
    assert (first.description or "") + (more.description or "") == ("Prompt " * 700).strip()  # nothing cut
    assert all(len(e.description or "") <= limits.EMBED_DESCRIPTION for e in message.embeds)
    assert message_size(message.embeds) <= limits.EMBED_TOTAL
    assert more.fields[0].value == "[Read me](https://example.org)"
    assert more.footer.text == "Facilitated by bo · session 7"
    view = view_for(message.actions)
    assert view is not None and view.timeout is None
    assert [c.custom_id for c in view.children] == ["pln:j:7:newcomer", "pln:a:7:do"]  # type: ignore[attr-defined]


def test_sixty_vote_actions_become_pages_of_25_buttons() -> None:
    items = tuple(ItemView(n, "do", f"idea {n}", "cy", "newcomer") for n in range(1, 61))
    actions = tuple(Action(ActionName.VOTE, f"Vote #{n}", 1, str(n)) for n in range(1, 61))
    messages = render(Reply(ReplyKind.PHASE, "Voting is open.", session_id=1, items=items, actions=actions))
    pages = [m.actions for m in messages if m.actions]
    assert [len(p) for p in pages] == [25, 25, 10]
    for page in pages:
        view = view_for(page)
        assert view is not None
        rows = {item.row for item in view.children}
        assert rows <= {0, 1, 2, 3, 4}


@pytest.mark.parametrize("action,expected", [
    (Action(ActionName.JOIN, "x", 123456789, "practitioner"), "pln:j:123456789:practitioner"),
    (Action(ActionName.ADD_ITEM, "x", 1, "dont"), "pln:a:1:dont"),
    (Action(ActionName.VOTE, "x", 42, "60"), "pln:v:42:60"),
    (Action(ActionName.PLEDGE_DONE, "Done", 7, "2"), "pln:pd:7:2"),
    (Action(ActionName.PLEDGE_LATER, "Not yet", 7, "2"), "pln:pl:7:2"),
    (Action(ActionName.PLEDGE_DROP, "Drop", 7, "2"), "pln:px:7:2"),
])
def test_custom_ids_round_trip_through_the_click_parser(action: Action, expected: str) -> None:
    button = button_for(action)
    assert button.custom_id == expected
    assert len(expected) <= 100
    match = re.fullmatch(BUTTON_PATTERN, expected)
    assert match is not None and match["session"] == str(action.session_id)
    assert parse_click(expected) == Click(action.name, action.session_id, action.argument)


@pytest.mark.parametrize("custom_id", ["", "pln:x:1:2", "pln:pz:1:2", "pln:p:1:2", "pln:v:1", "pln:v:one:2", "pln:v:1:2:3", "other:v:1:2",
                                       "pln:m:1:do", "pln:v:1:" + "9" * 41])
def test_custom_ids_that_are_not_our_buttons_parse_to_nothing(custom_id: str) -> None:
    assert parse_click(custom_id) is None


async def test_views_are_sent_stopped_so_discord_py_keeps_none_of_them() -> None:
    actions = tuple(Action(ActionName.VOTE, f"#{n}", 1, str(n)) for n in range(1, 4))
    view = view_for(actions)
    assert view is not None and view.is_finished()
    assert [item.custom_id for item in view.children] == ["pln:v:1:1", "pln:v:1:2", "pln:v:1:3"]  # type: ignore[attr-defined]


def test_modal_data_parses_back() -> None:
    data = {"custom_id": "pln:m:9:dont", "components": [{"type": 1, "components": [{"type": 4, "custom_id": "text", "value": "Spam"}]}]}
    assert parse_modal(data) == (9, "dont", "Spam")
    assert parse_modal({"custom_id": "someone-else", "components": []}) is None


def test_invite_url_asks_for_exactly_what_the_bot_uses() -> None:
    token = base64.b64encode(b"123456789012345678").decode().rstrip("=") + ".Gxxxx.yyyy"
    assert application_id_from_token(token) == 123456789012345678
    query = parse_qs(urlparse(invite_url(123456789012345678)).query)
    assert query["scope"] == ["bot applications.commands"]
    permissions = discord.Permissions(int(query["permissions"][0]))
    assert int(query["permissions"][0]) == 309237763072
    granted = {"view_channel" if name == "read_messages" else name for name, value in permissions if value}
    assert granted == {"view_channel", "send_messages", "send_messages_in_threads", "create_public_threads",
                       "embed_links", "attach_files", "read_message_history"}
    with pytest.raises(ConfigError, match="doesn't look like a bot token"):
        application_id_from_token("not a token")


def test_intents_are_minimal_unless_message_content_is_switched_on() -> None:
    plain = intents_for(False)
    assert plain.guilds and not plain.message_content and not plain.guild_messages and not plain.members
    rich = intents_for(True)
    assert rich.message_content and rich.guild_messages and not rich.members and not rich.presences


def test_the_command_list_stays_in_aligned_code_blocks_when_it_outgrows_one_message() -> None:
    reply = help_reply("U1")
    assert len(reply.text) > limits.CONTENT  # the registry's help no longer fits one message
    messages = render(reply)
    assert len(messages) >= 2
    for message in messages:
        assert message.content is not None and len(message.content) <= limits.CONTENT
        assert message.content.startswith("```\n") and message.content.endswith("\n```")
    shown = [line for m in messages for line in (m.content or "").splitlines() if not line.startswith("```")]
    assert shown == reply.text.splitlines()  # every line, unescaped, in order


@pytest.mark.parametrize("title", ["*_" * 100, "\\" * 200, "a" + "*" * 199, "<@1>" * 50])
def test_headings_are_escaped_before_they_are_cut(title: str) -> None:
    """Discord counts the escaped text, so an embed title is escaped first and then cut to 256;
    a cut never leaves a lone backslash (it would escape the ellipsis, or worse)."""
    reply = Reply(ReplyKind.RESULTS, f"Results for {title}", sections=(Section("DOs", ("#1 x: 1 vote",)),))
    [message] = render(reply)
    shown = message.embeds[0].title or ""
    kept = shown.removesuffix("…")
    assert len(shown) <= limits.EMBED_TITLE and shown.endswith("…")
    assert limits.escape(f"Results for {title}").startswith(kept)
    assert (len(kept) - len(kept.rstrip("\\"))) % 2 == 0


def test_a_line_longer_than_a_message_is_split_not_cut() -> None:
    text = "*" * 1500 + "\\" * 1500  # 6,000 characters escaped, on one line
    messages = render(Reply(ReplyKind.NOTICE, text, private_to="1"))
    assert all(len(m.content or "") <= limits.CONTENT for m in messages)
    assert "".join(m.content or "" for m in messages) == limits.escape(text)
    assert all((len(m.content or "") - len((m.content or "").rstrip("\\"))) % 2 == 0 for m in messages)


def test_mention_tokens_show_as_typed_and_emoji_still_render() -> None:
    text = "Ask <@1> <@!2> <@&3> <#4> <t:0:R> </pln start:5> \\<@6> <:wave:7> <https://example.org>"
    assert limits.escape(text) == ("Ask \\<@1> \\<@!2> \\<@&3> \\<#4> \\<t:0:R> \\</pln start:5> \\\\\\<@6> "
                                   "<:wave:7> <https://example.org>")
