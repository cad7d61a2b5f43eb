"""Slack payload shapes -> what the service needs."""

from __future__ import annotations

import pytest

from adapters.slack import ids
from adapters.slack.incoming import Change, message_of
from adapters.slack.translate import click, item_submission, team_of
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


def test_messages_from_people_in_threads_and_their_changes() -> None:
    said = message_of({"type": "message", "user": "U1", "channel": "C1", "ts": "2.0", "thread_ts": "1.0",
                       "event_ts": "2.0", "text": "DO: a &lt;b&gt; &amp; c"})
    assert said is not None and said.change is Change.NEW and (said.thread, said.ts, said.key) == ("1.0", "2.0", "2.0")
    assert said.text == "DO: a &lt;b&gt; &amp; c"  # as Slack sent it: markup.to_core reads it
    root = message_of({"type": "message", "user": "U1", "channel": "C1", "ts": "1.0", "thread_ts": "1.0", "text": "x"})
    assert root is not None and root.thread is None  # a thread's root is a top-level message
    assert message_of({"type": "message", "bot_id": "B1", "user": "U2", "ts": "2", "thread_ts": "1", "text": "DO: x"}) is None
    assert message_of({"type": "message", "subtype": "bot_message", "ts": "2", "thread_ts": "1", "text": "DO: x"}) is None
    unfurled = {"type": "message", "subtype": "message_changed", "channel": "C1", "ts": "3",
                "message": {"user": "U1", "ts": "2", "thread_ts": "1", "text": "DO: x"},
                "previous_message": {"user": "U1", "ts": "2", "thread_ts": "1", "text": "DO: x"}}
    assert message_of(unfurled) is None  # Slack changed the message (an unfurl), its author didn't
    edited = {**unfurled, "message": {**unfurled["message"], "text": "DO: y"}}
    change = message_of(edited)
    assert change is not None and (change.change, change.ts, change.key, change.before) == (Change.EDIT, "2", "3", "DO: x")
    deleted = {"type": "message", "subtype": "message_deleted", "channel": "C1", "ts": "4", "deleted_ts": "2",
               "previous_message": {"user": "U1", "ts": "2", "thread_ts": "1", "text": "DO: x"}}
    gone = message_of(deleted)
    assert gone is not None and (gone.change, gone.ts, gone.key, gone.user) == (Change.DELETE, "2", "4", "U1")


def test_team_helper() -> None:
    assert team_of({"team_id": "T1"}) == team_of({"team": {"id": "T1"}}) == team_of({"user": {"team_id": "T1"}}) == "T1"
