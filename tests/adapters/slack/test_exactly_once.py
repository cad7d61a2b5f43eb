"""Every kind of request runs once: Slack never retries slash commands or interactive payloads,
so the same signed body again (within Slack's 5 minutes) is a replay. It changes nothing and
gets no second reply, on any process sharing the database."""

from __future__ import annotations

import asyncio

import pytest

from tests.adapters.slack.harness import SECRET, SlackHarness, find_button
from tests.app.support import stored_document
from tests.fakes import slack_events as se
from tests.fakes import slack_payloads as sp
from tests.fakes import slack_requests as sr
from tests.fakes.slack_requests import SignedRequest

REPLAYS = 3


async def replayed(slack: SlackHarness, request: SignedRequest, expect: int = 1) -> None:
    """Send the request, then the identical bytes again; then a sentinel command, whose answer
    means the replays were handled (and refused) before it."""
    await slack.send(request, expect=expect)
    for _ in range(REPLAYS - 1):
        assert (await slack.http.post(request))[0] == 200
    (status,) = await slack.command("U6", "status")
    assert status.params["user"] == "U6"
    await asyncio.sleep(0.3)  # and nothing else trickles in afterwards
    assert len(slack.delivered()) == slack.settled


async def collecting(slack: SlackHarness) -> str:
    calls = await slack.command("U1", "start Once", expect=2)
    for user in ("U2", "U3"):
        await slack.command(user, "join veteran")
    return str(calls[0].response["ts"])


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_a_replayed_click_votes_once_even_where_three_votes_were_allowed(slack: SlackHarness) -> None:
    await collecting(slack)
    await slack.command("U1", "settings per-item=3")
    await slack.command("U2", "do Share first", expect=1)
    (voting,) = await slack.command("U1", "next")
    button = {k: v for k, v in find_button(voting, "vote", item="1").items() if k in ("action_id", "value", "type", "text")}
    click = sr.block_action(SECRET, action=button, team_id="T1", user_id="U3", channel_id="C1",
                            message_ts=str(voting.response["ts"]), thread_ts=voting.params.get("thread_ts"),
                            response_url=slack.fake.response_url("U3"), trigger_id=slack.fake.trigger_id())
    before = len(slack.fake.calls_to("chat.postEphemeral"))
    await replayed(slack, click)
    assert (await stored_document(slack.core))["items"][0]["votes"] == 1
    answers = [c.params["user"] for c in slack.fake.calls_to("chat.postEphemeral")[before:]]
    assert answers == ["U3", "U6"]  # the vote's one answer, then the sentinel's


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_a_replayed_modal_submission_adds_one_item(slack: SlackHarness) -> None:
    await collecting(slack)
    intro = slack.fake.calls_to("chat.postMessage")[0]
    (opened,) = await slack.click("U2", find_button(intro, "add_item", kind="do"), on=intro)
    values = {"item": {"text": {"type": "plain_text_input", "value": "Say thank you"}}}
    submission = sr.view_submission(SECRET, view=opened.json_param("view"), values=values, team_id="T1", user_id="U2",
                                    trigger_id=slack.fake.trigger_id())
    await replayed(slack, submission)
    assert [i["text"] for i in (await stored_document(slack.core))["items"]] == ["Say thank you"]
    assert sum("Say thank you" in c.params.get("text", "") for c in slack.fake.calls_to("chat.postMessage")) == 1


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_a_replayed_shortcut_opens_one_form(slack: SlackHarness) -> None:
    thread = await collecting(slack)
    message = se.thread_reply(user="U3", channel="C1", thread_ts=thread, text="We could pair up")
    shortcut = se.message_action(message, user="U2", trigger_id=slack.fake.trigger_id(),
                                 response_url=slack.fake.response_url("U2"))
    await replayed(slack, sp.signed(SECRET, shortcut))
    assert len(slack.fake.calls_to("views.open")) == 1


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_a_replayed_slash_command_runs_once(slack: SlackHarness) -> None:
    await collecting(slack)
    await slack.command("U2", "do Share what you learn")
    command = sp.signed(SECRET, sp.command("next", team_id="T1", user_id="U1", user_name="ann",
                                           response_url=slack.fake.response_url("U1"), trigger_id=slack.fake.trigger_id()))
    await replayed(slack, command)
    assert (await stored_document(slack.core))["session"]["phase"] == "voting"  # one `next`, not three
    assert sum(c.params.get("text", "").startswith("Voting is open") for c in slack.fake.calls_to("chat.postMessage")) == 1
