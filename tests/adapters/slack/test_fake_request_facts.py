"""The bot against how Slack's requests and budgets really behave: a signed request replayed
inside its 300 s window, a trigger_id that expired before the bot used it, and a vote burst
meeting the Tier 4 budget of chat.postEphemeral."""

from __future__ import annotations

import asyncio
import logging

import pytest

from facilitator import commands as cmd
from facilitator.domain.actors import Actor, Place
from tests.adapters.slack.harness import SECRET, SlackHarness, find_button
from tests.fakes import slack_payloads as sp
from tests.fakes import slack_requests as sr
from tests.fakes.slack_api import Call
from tests.app.support import stored_document



async def started(slack: SlackHarness) -> tuple[Call, str]:
    calls = await slack.command("U1", "start Requests", expect=2)
    intro = next(c for c in calls if c.method == "chat.postMessage")
    return intro, str(intro.response["ts"])


async def test_a_replayed_command_changes_nothing(slack: SlackHarness) -> None:
    await started(slack)
    await slack.command("U2", "do Share what you learn")
    request = sp.signed(SECRET, sp.command("next", team_id="T1", user_id="U1", user_name="ann",
                                           response_url=slack.fake.response_url("U1"), trigger_id=slack.fake.trigger_id()))
    for _ in range(2):
        assert (await slack.http.post(request))[0] == 200
    sentinel = sp.signed(SECRET, sp.command("status", team_id="T1", user_id="U3", user_name="cid",
                                            response_url=slack.fake.response_url("U3"), trigger_id=slack.fake.trigger_id()))
    assert (await slack.http.post(sentinel))[0] == 200  # the core serialises a channel's commands: last in, last out
    await slack.fake.wait_for(lambda f: [c for c in f.calls_to("chat.postEphemeral") if c.params.get("user") == "U3"])
    assert (await stored_document(slack.core))["session"]["phase"] == "voting"  # one `next`, not two


async def test_an_expired_trigger_is_told_privately_without_a_traceback(
        slack: SlackHarness, caplog: pytest.LogCaptureFixture) -> None:
    intro, _ = await started(slack)
    add = find_button(intro, "add_item", kind="do")
    action = {k: v for k, v in add.items() if k in ("action_id", "value", "type", "text")}
    click = sr.block_action(SECRET, action=action, team_id="T1", user_id="U2", channel_id="C1",
                            message_ts=str(intro.response["ts"]), response_url=slack.fake.response_url("U2"),
                            trigger_id=slack.fake.trigger_id(age=3.5))  # Slack issued it before the bot got to it
    caplog.set_level(logging.WARNING)
    assert (await slack.http.post(click))[0] == 200
    await slack.fake.wait_for(lambda f: [c for c in f.calls_to("views.open") if c.response.get("error")])
    told = await slack.fake.wait_for(lambda f: [c for c in f.calls if c.ok and (
        (c.method == "chat.postEphemeral" and c.params.get("user") == "U2") or c.method == "response_url")], timeout=5)
    assert told
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []


def voters(count: int) -> list[str]:
    return [f"UV{n:03d}" for n in range(count)]


BURST = 110  # past Tier 4's 100 a minute for chat.postEphemeral, as Slack has it


async def test_a_vote_burst_is_confirmed_within_slacks_budget(slack: SlackHarness) -> None:
    """Every voter of a burst past Tier 4 gets their confirmation, without the bot running into
    Slack's budget (PLATFORMS.md: rate limits are per method and workspace): a vote costs no
    users.info, and the outbox paces chat.postEphemeral at the tier instead of meeting 429s
    (which used to cost a work slot Retry-After seconds of sleep each)."""
    _, thread = await started(slack)
    service = slack.core.service
    session_id = await service.session_for_thread("T1", "C1", thread)
    host = Actor("T1", "U1", "Ann")
    where = Place("slack", "C1", thread, session_id)
    for text in ("Alpha", "Bravo"):
        await service.handle(host, where, cmd.Submit("do", text))
    for voter in voters(BURST):
        slack.fake.add_user("T1", voter, f"Voter {voter}")
        await service.handle(Actor("T1", voter, voter), where, cmd.Join("newcomer"))
    (voting,) = await slack.command("U1", "next")
    button = find_button(voting, "vote", item="1")
    action = {k: v for k, v in button.items() if k in ("action_id", "value", "type", "text")}
    clicks = [sr.block_action(SECRET, action=action, team_id="T1", user_id=voter, channel_id="C1",
                              message_ts=str(voting.response["ts"]), thread_ts=thread,
                              response_url=slack.fake.response_url(voter), trigger_id=slack.fake.trigger_id())
              for voter in voters(BURST)]
    statuses = await asyncio.gather(*(slack.http.post(click) for click in clicks))
    assert {status for status, _ in statuses} == {200}

    def confirmed(voter: str) -> bool:
        return any(c.ok and (c.params.get("user") == voter if c.method == "chat.postEphemeral"
                             else c.method == "response_url" and c.params["hook"].startswith(f"{voter}."))
                   for c in slack.fake.calls)

    await slack.fake.wait_for(lambda f: f.ratelimited or all(confirmed(v) for v in voters(BURST)), timeout=60)
    assert slack.fake.ratelimited == {}
    assert (await stored_document(slack.core))["items"][0]["votes"] == BURST
