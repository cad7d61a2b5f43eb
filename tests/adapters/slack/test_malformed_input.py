"""Malformed input through the real Bolt app: a form whose metadata was tampered with, and text
carrying a lone surrogate (JSON can write half of a UTF-16 pair). Each gets a clear answer in
Slack's way, nothing is lost, nothing crashes, no traceback reaches the log."""

from __future__ import annotations

import json
import logging

import pytest

from facilitator.commands.actions import FORGED_FORM
from tests.adapters.slack.harness import SECRET, SlackHarness, find_button
from tests.app.support import stored_document
from tests.fakes import slack_requests as sr

BROKEN = "abc\ud800def"  # a lone high surrogate, as `"abc\\ud800def"` in the payload's JSON


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
@pytest.mark.parametrize("session", ["\u00b2", "9" * 22, "x", ""])
async def test_a_tampered_form_is_refused_in_the_form(
    slack: SlackHarness, session: str, caplog: pytest.LogCaptureFixture
) -> None:
    started = await slack.command("U1", "start", expect=2)
    intro = next(c for c in started if c.method == "chat.postMessage")
    (opened,) = await slack.click("U1", find_button(intro, "add_item", kind="do"), on=intro)
    view = opened.json_param("view")
    view["private_metadata"] = view["private_metadata"].replace("session=1", f"session={session}")
    values = {"item": {"text": {"type": "plain_text_input", "value": "Share first"}}}

    with caplog.at_level(logging.WARNING):
        status, body = await slack.http.post(
            sr.view_submission(SECRET, view=view, values=values, team_id="T1", user_id="U1"))

    # Slack shows `errors` under the input and keeps the form open.
    assert status == 200
    assert json.loads(body) == {"response_action": "errors", "errors": {"item": FORGED_FORM}}
    assert (await stored_document(slack.core))["items"] == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_a_lone_surrogate_becomes_a_replacement_mark(slack: SlackHarness) -> None:
    started = await slack.command("U1", "start", expect=2)
    intro = next(c for c in started if c.method == "chat.postMessage")
    (opened,) = await slack.click("U1", find_button(intro, "add_item", kind="do"), on=intro)
    posted = (await slack.submit_modal("U1", opened, BROKEN, expect=2))[0]  # the item, then "pick a level"
    assert posted.method == "chat.postMessage" and "abc\ufffddef" in posted.params["text"]
    await slack.thread_reply("U2", intro.response["ts"], f"DO: thread {BROKEN}", expect=2)
    texts = [item["text"] for item in (await stored_document(slack.core))["items"]]
    assert texts == ["abc\ufffddef", "thread abc\ufffddef"]
