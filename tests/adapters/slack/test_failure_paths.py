"""When something can't be done, the person hears why, privately, and nothing is left behind:
forms of closed sessions, a start where the bot can't post, a listener that fails after its ack."""

from __future__ import annotations

import json
import logging

import pytest

from facilitator.domain.actors import Actor
from tests.adapters.slack.harness import SECRET, SlackHarness, find_button
from tests.app.support import stored_document
from tests.fakes import slack_events as se
from tests.fakes import slack_payloads as sp
from tests.fakes import slack_requests as sr


async def test_add_a_do_on_a_closed_session_opens_no_form_and_says_why(slack: SlackHarness) -> None:
    (intro, _) = await slack.command("U1", "start", expect=2)
    await slack.command("U1", "end", expect=2)
    (told,) = await slack.click("U2", find_button(intro, "add_item", kind="do"), on=intro)
    assert told.method == "chat.postEphemeral" and told.params["user"] == "U2" and "closed" in told.params["text"]
    assert slack.fake.calls_to("views.open") == []


async def test_a_form_submitted_after_the_session_closed_is_refused_inside_the_form(slack: SlackHarness) -> None:
    (intro, _) = await slack.command("U1", "start", expect=2)
    (opened,) = await slack.click("U2", find_button(intro, "add_item", kind="do"), on=intro)
    await slack.command("U1", "end", expect=2)
    values = {"item": {"text": {"type": "plain_text_input", "value": "Typed while it closed"}}}
    status, body = await slack.http.post(sr.view_submission(SECRET, view=opened.json_param("view"), values=values,
                                                            team_id="T1", user_id="U2", trigger_id=slack.fake.trigger_id()))
    # The form stays open with the reason under the field, so what was typed isn't lost.
    answer = json.loads(body)
    assert status == 200 and answer["response_action"] == "errors" and "closed" in answer["errors"]["item"]
    assert (await stored_document(slack.core))["items"] == []
    assert len(slack.delivered()) == slack.settled  # nothing posted, nobody else told


async def test_start_in_a_private_channel_without_the_bot_keeps_no_session(slack: SlackHarness) -> None:
    refused, advice = await slack.command("U1", "start Secret", channel="G0PRIVATE", expect=2)
    assert refused.response["error"] == "channel_not_found"
    assert advice.method == "response_url" and "/invite @facilitator" in advice.params["text"]
    assert await slack.core.service.recent_sessions(Actor("T1", "U1", "Ann")) == []
    (home,) = await slack.send(sr.event_callback(SECRET, team_id="T1", event={
        "type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}))
    assert "No sessions yet" in str(home.params["view"])  # no ghost of it on the Home tab
    slack.fake.join("G0PRIVATE")  # invited now: starting works
    (intro, _) = await slack.command("U1", "start Secret", channel="G0PRIVATE", expect=2)
    assert intro.ok


@pytest.mark.parametrize("fixture", ["command_dm", "command_mpdm"])
async def test_start_in_a_dm_advises_a_channel_and_keeps_nothing(slack: SlackHarness, fixture: str) -> None:
    command = sp.with_fields(sp.load(fixture), {"response_url": slack.fake.response_url("U1"),
                                                "trigger_id": slack.fake.trigger_id()})
    refused, advice = await slack.send(sp.signed(SECRET, command), expect=2)
    assert refused.response["error"] == "channel_not_found"
    assert "in a channel" in advice.params["text"] and "/invite" not in advice.params["text"]
    assert await slack.core.service.recent_sessions(Actor("T1", "U1", "Ann")) == []


async def test_an_error_after_the_ack_stays_with_us(slack: SlackHarness, caplog: pytest.LogCaptureFixture) -> None:
    """A bug behind a click: Slack got its 200 at the ack, Bolt never sees the error (no 404
    "unhandled request" path), its traceback is logged once, and the bot goes on."""
    (intro, _) = await slack.command("U1", "start", expect=2)
    service = slack.core.service
    handle = service.handle

    async def broken(*args: object, **kwargs: object) -> list[object]:
        raise RuntimeError("a bug")

    service.handle = broken  # type: ignore[method-assign,assignment]
    caplog.set_level(logging.INFO)
    status, _ = await slack.http.post(sr.block_action(
        SECRET, action={k: v for k, v in find_button(intro, "join", level="veteran").items()
                        if k in ("action_id", "value", "type", "text")},
        team_id="T1", user_id="U2", channel_id="C1", message_ts=str(intro.response["ts"]),
        response_url=slack.fake.response_url("U2"), trigger_id=slack.fake.trigger_id()))
    assert status == 200
    await slack.fake.wait_for(lambda _: [r for r in caplog.records if r.exc_info])
    service.handle = handle  # type: ignore[method-assign]
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert [r.name for r in tracebacks] == ["adapters.slack.guard"]
    assert not [r for r in caplog.records if "unhandled" in r.getMessage().lower()]
    slack.resync()
    (joined,) = await slack.click("U2", find_button(intro, "join", level="veteran"), on=intro)
    assert "veteran" in joined.params["text"]


async def test_a_refused_edit_in_a_thread_never_reaches_bolt_either(slack: SlackHarness,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    (intro, _) = await slack.command("U1", "start", expect=2)
    thread = str(intro.response["ts"])
    reply = se.thread_reply(user="U2", channel="C1", thread_ts=thread, text="DO: Keep notes")
    await slack.send(sp.signed(SECRET, reply), expect=2)  # the item, and "pick a level"
    slack.fake.leave("C1")  # the bot was removed from the channel: Slack refuses every post
    caplog.set_level(logging.WARNING)
    assert (await slack.http.post(sp.signed(SECRET, se.edited(reply, "DO: Keep public notes"))))[0] == 200
    await slack.fake.wait_for(lambda f: [c for c in f.calls_to("chat.update") if not c.ok])
    await slack.fake.wait_for(lambda f: len([c for c in f.calls if not c.ok]) >= 3)  # update, post, tell
    assert [r for r in caplog.records if r.exc_info] == []
    assert [i["text"] for i in (await stored_document(slack.core))["items"]] == ["Keep public notes"]
