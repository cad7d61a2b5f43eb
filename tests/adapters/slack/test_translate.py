"""Slack payload shapes -> what the service needs."""

from __future__ import annotations

import pytest

from adapters.slack import ids
from adapters.slack.translate import click, item_submission, slack_text, team_of, thread_reply
from facilitator import commands as cmd
from facilitator.domain.actors import Place


def test_vote_button_and_vote_select_mean_the_same_vote() -> None:
    base = {"team": {"id": "T1"}, "channel": {"id": "C1"}, "container": {"thread_ts": "1.5"}, "message": {"ts": "1.9", "thread_ts": "1.5"}}
    button = {**base, "actions": [{"action_id": ids.action_id("vote", 3), "value": "session=4&item=12"}]}
    select = {**base, "actions": [{"action_id": ids.action_id(ids.VOTE_SELECT, 0), "selected_option": {"value": "session=4&item=12"}}]}
    for body in (button, select):
        parsed = click(body)
        assert parsed is not None
        assert parsed.command() == cmd.Vote((12,))
        assert parsed.place() == Place("slack", "C1", "1.5", 4)


def test_click_on_the_intro_names_its_thread_and_join_level() -> None:
    body = {"channel": {"id": "C1"}, "message": {"ts": "1.1"}, "actions": [{"action_id": "pln:join:2", "value": "session=4&level=veteran"}]}
    parsed = click(body)
    assert parsed is not None and parsed.thread == "1.1" and parsed.command() == cmd.Join("veteran")


def test_foreign_clicks_are_not_ours() -> None:
    assert click({"actions": [{"action_id": "other", "value": "session=1"}]}) is None


@pytest.mark.parametrize("action_id, value", [
    ("pln:vote:0", "session=x&item=1"),
    ("pln:vote:0", "session=1&item=-1"),
    ("pln:vote:0", "session=1"),  # no item
    ("pln:vote:0", "session=%C2%B2&item=1"),  # "²" is a digit that int() refuses
    ("pln:vote:0", "session=" + "9" * 22 + "&item=1"),  # too big for any database integer
    ("pln:join:0", "session=1&level=" + "x" * 41),
    ("pln:frobnicate:0", "session=1&item=1"),
])
def test_forged_clicks_are_refused_with_a_reason(action_id: str, value: str) -> None:
    with pytest.raises(cmd.ParseError, match="doesn't work any more"):
        parsed = click({"actions": [{"action_id": action_id, "value": value}]})
        assert parsed is not None
        parsed.command()


def test_modal_submission() -> None:
    body = {"view": {"private_metadata": "session=9&kind=dont&channel=C2&thread=1.2",
                     "state": {"values": {"item": {"text": {"type": "plain_text_input", "value": "Spam <people>"}}}}}}
    sub = item_submission(body)
    assert sub is not None and sub.command() == cmd.Submit("dont", "Spam <people>") and sub.place() == Place("slack", "C2", "1.2", 9)


def test_thread_replies_only_from_people_in_threads() -> None:
    reply = thread_reply({"type": "message", "user": "U1", "channel": "C1", "ts": "2.0", "thread_ts": "1.0", "text": "DO: a &lt;b&gt; &amp; c"})
    assert reply is not None and reply.text == "DO: a <b> & c"
    assert thread_reply({"type": "message", "user": "U1", "ts": "1.0", "thread_ts": "1.0", "text": "root"}) is None
    assert thread_reply({"type": "message", "bot_id": "B1", "user": "U2", "ts": "2", "thread_ts": "1", "text": "DO: x"}) is None
    assert thread_reply({"type": "message", "subtype": "message_changed", "ts": "2", "thread_ts": "1"}) is None
    assert thread_reply({"type": "message", "user": "U1", "ts": "2", "text": "DO: top level"}) is None


def test_team_and_text_helpers() -> None:
    assert team_of({"team_id": "T1"}) == team_of({"team": {"id": "T1"}}) == team_of({"user": {"team_id": "T1"}}) == "T1"
    assert slack_text("&amp;lt;") == "&lt;"
