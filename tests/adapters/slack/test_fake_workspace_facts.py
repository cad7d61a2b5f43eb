"""The bot against the workspaces real Slack has (PLATFORMS.md, "Field facts"): Enterprise
Grid orgs and their shared channels, Slack Connect partners, DMs and group DMs, and the
uninstall events a single-workspace app still receives. Strict xfails name today's bugs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from facilitator.domain.actors import Actor
from tests.adapters.slack.harness import SECRET, SlackHarness, find_button, slack_config
from tests.fakes import slack_payloads as sp
from tests.fakes.slack_api import FakeSlackApi
from tests.app.support import stored_document


@pytest.fixture
async def grid(database_url: str) -> AsyncIterator[SlackHarness]:
    """The bot installed in workspace T1 of Grid org E1, whose channel C1 is shared with T2 of
    the same org and, through Slack Connect, with TPARTNER of another org."""
    fake = FakeSlackApi()
    fake.install("xoxb-T1", "T1", enterprise_id="E1")
    fake.add_user("T1", "U1", "Ann", enterprise_id="E1")
    fake.add_user("T2", "W2", "Bob", enterprise_id="E1")
    fake.add_user("TPARTNER", "WEXT1", "Zoe", enterprise_id="EPARTNER", seen_by=("T1",))
    await fake.start()
    harness = await SlackHarness.start(fake, slack_config(database_url, fake))
    yield harness
    await harness.stop()
    await fake.stop()


async def deliver(slack: SlackHarness, body: dict[str, Any]) -> int:
    status, _ = await slack.http.post(sp.signed(SECRET, body))
    return status


async def started(slack: SlackHarness) -> tuple[Any, str]:
    calls = await slack.command("U1", "start Across the org", expect=2)
    intro = next(c for c in calls if c.method == "chat.postMessage")
    return intro, str(intro.response["ts"])


def ephemerals_to(slack: SlackHarness, user: str) -> list[Any]:
    return [c for c in slack.fake.calls_to("chat.postEphemeral") if c.ok and c.params.get("user") == user]


async def test_a_grid_user_from_another_workspace_joins_in_a_shared_channel(grid: SlackHarness) -> None:
    intro, thread = await started(grid)
    join = find_button(intro, "join", level="veteran")
    click = sp.with_fields(sp.load("action_button_grid_shared_channel"), {
        "container.message_ts": thread, "message.ts": thread, "message.blocks": intro.json_param("blocks"),
        "actions.0.action_id": join["action_id"], "actions.0.value": join["value"],
        "trigger_id": grid.fake.trigger_id(), "response_url": grid.fake.response_url("W2")})
    assert await deliver(grid, click) == 200
    answer = await grid.fake.wait_for(lambda _: ephemerals_to(grid, "W2"), timeout=5)
    assert "veteran" in answer[0].params["text"], answer[0].params["text"]


async def test_a_slack_connect_partners_reply_is_an_item(grid: SlackHarness) -> None:
    _, thread = await started(grid)
    reply = sp.with_fields(sp.load("event_message_slack_connect"), {
        "event_id": sp.new_event_id(), "event.thread_ts": thread, "event.ts": sp.new_ts()})
    assert await deliver(grid, reply) == 200
    await grid.fake.wait_for(lambda f: [c for c in f.calls_to("chat.postMessage")
                                        if "Keep your notes private" in c.params.get("text", "")], timeout=5)
    assert [i["text"] for i in (await stored_document(grid.core))["items"]] == ["Keep your notes private"]


@pytest.mark.parametrize("fixture", ["command_dm", "command_mpdm"])
async def test_start_in_a_dm_gets_a_private_answer_that_helps(slack: SlackHarness, fixture: str) -> None:
    command = sp.with_fields(sp.load(fixture), {"response_url": slack.fake.response_url("U1"),
                                                "trigger_id": slack.fake.trigger_id()})
    assert await deliver(slack, command) == 200
    answers = await slack.fake.wait_for(lambda f: [c for c in f.calls_to("response_url") if c.ok])
    refused = [c for c in slack.fake.calls_to("chat.postMessage") if not c.ok]
    assert [c.response["error"] for c in refused] == ["channel_not_found"]  # Slack's answer, as in the field
    sessions = await slack.core.service.recent_sessions(Actor("T1", "U1", "Ann"))
    assert all(s.phase == "closed" for s in sessions)  # nothing left open that nobody can see
    assert len(answers) == 1 and answers[0].params.get("response_type") == "ephemeral"
    assert "/invite" not in answers[0].params["text"], answers[0].params["text"]


@pytest.mark.parametrize("fixture", ["event_app_uninstalled", "event_tokens_revoked"])
async def test_uninstall_events_are_acknowledged_in_single_workspace_mode(slack: SlackHarness, fixture: str) -> None:
    event = sp.with_fields(sp.load(fixture), {"event_id": sp.new_event_id()})
    assert await deliver(slack, event) == 200



@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_one_open_session_per_channel_across_the_orgs_workspaces(grid: SlackHarness) -> None:
    intro, _ = await started(grid)

    def from_t2(text: str) -> dict[str, Any]:  # fixtures/slack/command_grid.json: W2 of workspace T2, in C1
        return sp.with_fields(sp.load("command_grid"), {"text": text, "response_url": grid.fake.response_url("W2"),
                                                        "trigger_id": grid.fake.trigger_id()})

    assert await deliver(grid, from_t2("start A second one")) == 200
    refused = await grid.fake.wait_for(lambda _: ephemerals_to(grid, "W2"), timeout=5)
    assert "already has an open session" in refused[0].params["text"]
    grid.resync()
    (joined,) = await grid.send(sp.signed(SECRET, from_t2("join veteran")))
    assert joined.params["user"] == "W2" and "veteran" in joined.params["text"]
    sessions = await grid.core.service.recent_sessions(Actor("E1", "W2", "Bob"))
    assert [(s.title, s.channel) for s in sessions] == [("Across the org", "C1")]  # the org is the tenant
    assert len(grid.fake.calls_to("chat.postMessage")) == 1  # one intro only


async def test_a_slack_connect_partner_adds_an_item_through_the_form(grid: SlackHarness) -> None:
    intro, thread = await started(grid)
    session = (await grid.core.service.recent_sessions(Actor("E1", "U1", "Ann")))[0].id
    submitted = sp.with_fields(sp.load("view_submission_slack_connect"), {
        "trigger_id": grid.fake.trigger_id(),
        "view.private_metadata": f"session={session}&kind=dont&channel=C1&thread={thread}"})
    posted, pick = await grid.send(sp.signed(SECRET, submitted), expect=2)  # the item, and "pick your level"
    assert pick.params["user"] == "WEXT1"
    assert posted.params["thread_ts"] == thread and "Only lurk" in posted.params["text"] and "Zoe" in posted.params["text"]
    assert [i["text"] for i in (await stored_document(grid.core))["items"]] == ["Only lurk"]
