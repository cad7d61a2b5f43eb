"""Retried events, rate limits and server errors, hostile text, 60 items, a restart."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from facilitator.domain.actors import Actor, Place
from facilitator.commands import Submit
from tests.adapters.slack.harness import SECRET, SlackHarness, elements, find_button, slack_config
from tests.fakes import slack_requests as sr
from tests.fakes.mentions import unintended_mentions
from tests.app.support import stored_document
from tests.fakes.slack_api import Call, FakeSlackApi

HOSTILE = "<!channel> <!here> <!everyone> <@U1> <!subteam^S1|@team> & <https://evil.test|click>"


async def start_session(slack: SlackHarness, user: str = "U1") -> tuple[Call, str]:
    started = await slack.command(user, "start", expect=2)
    intro = next(c for c in started if c.method == "chat.postMessage" and c.response.get("ok"))
    return intro, intro.response["ts"]


async def export(slack: SlackHarness) -> dict[str, Any]:
    """The session's JSON export document, rendered from the core: what was stored, in any phase
    (`/pln export` itself is refused while votes are blind)."""
    return await stored_document(slack.core)


def items_posted(slack: SlackHarness, text: str) -> int:
    return sum(1 for c in slack.fake.calls_to("chat.postMessage") if text in c.params.get("text", ""))


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_retried_events_create_nothing_twice(slack: SlackHarness) -> None:
    _, thread = await start_session(slack)
    await slack.command("U2", "join veteran")
    first = sr.thread_message(user_id="U2", channel_id="C1", thread_ts=thread, text="DO: first")
    await slack.send(sr.event_callback(SECRET, team_id="T1", event_id="Ev1", event=first))
    # A retry is the same delivery again: the same event (and message ts) under the same event_id.
    await slack.send(sr.event_callback(SECRET, team_id="T1", event_id="Ev1", retry_num=1, event=first), expect=0)
    # A retry may be the first delivery to reach us (we were down): it counts.
    await slack.thread_reply("U2", thread, "DO: second", event_id="Ev2", retry_num=2)
    # Three deliveries of one event at once, as several bot processes could receive them.
    event = sr.thread_message(user_id="U2", channel_id="C1", thread_ts=thread, text="DO: third")
    statuses = await asyncio.gather(*(slack.http.post(sr.event_callback(SECRET, team_id="T1", event_id="Ev3", event=event,
                                                                       retry_num=n or None)) for n in range(3)))
    assert [s for s, _ in statuses] == [200, 200, 200]
    await slack.fake.wait_for(lambda _: items_posted(slack, "third"))
    slack.resync()
    await slack.thread_reply("U2", thread, "DO: sentinel", event_id="Ev4")  # everything sent before it is done
    assert [items_posted(slack, t) for t in ("first", "second", "third", "sentinel")] == [1, 1, 1, 1]
    assert [i["text"] for i in (await export(slack))["items"]] == ["first", "second", "third", "sentinel"]


async def test_rate_limit_and_server_error_are_retried(slack: SlackHarness) -> None:
    slack.fake.fail("chat.postMessage", status=429, times=1, retry_after=0)
    slack.fake.fail("chat.postEphemeral", status=503, times=1)
    await slack.command("U1", "start", expect=0)
    ok = await slack.fake.wait_for(lambda f: [c for c in f.calls if c.method.startswith("chat.") and c.response.get("ok")]
                                   if len(f.calls_to("chat.postEphemeral")) == 2 else None)
    thread = ok[0].response["ts"]
    assert [c.method for c in slack.fake.calls if c.method.startswith("chat.")] == [
        "chat.postMessage", "chat.postMessage", "chat.postEphemeral", "chat.postEphemeral"]
    assert [c.status for c in slack.fake.calls if c.method.startswith("chat.")] == [429, 200, 503, 200]
    assert await slack.core.service.session_for_thread("T1", "C1", thread) is not None


async def test_a_notice_slack_keeps_refusing_waits_in_the_outbox_and_goes_once(slack: SlackHarness) -> None:
    """Ten 429s in a row: the notice is neither dropped after a few retries nor sent twice; it
    waits in the outbox (Retry-After each time) and goes as soon as Slack takes it, and the bot
    carries on meanwhile."""
    await start_session(slack)
    slack.fake.fail("chat.postEphemeral", status=429, times=10, retry_after=0)
    status, _ = await slack.http.post(sr.slash_command(SECRET, text="help", team_id="T1", user_id="U2", channel_id="C1",
                                                       response_url=slack.fake.response_url("h")))
    assert status == 200
    accepted = await slack.fake.wait_for(
        lambda f: [c for c in f.calls_to("chat.postEphemeral") if c.ok and c.params.get("user") == "U2"])
    refused = [c for c in slack.fake.calls_to("chat.postEphemeral") if c.status == 429]
    assert len(refused) == 10 and len(accepted) == 1
    slack.resync()
    (answer,) = await slack.command("U2", "status")  # the bot carries on
    assert answer.method == "chat.postEphemeral"
    assert len([c for c in slack.fake.calls_to("chat.postEphemeral") if c.ok and c.params.get("user") == "U2"]) == 2


async def test_a_post_that_slack_keeps_refusing_is_reported_to_the_person(slack: SlackHarness) -> None:
    _, thread = await start_session(slack)
    await slack.command("U2", "join veteran")
    slack.fake.fail("chat.postMessage", status=429, times=10, retry_after=0)
    status, _ = await slack.http.post(sr.slash_command(SECRET, text="do Share before you ask", team_id="T1", user_id="U2",
                                                       channel_id="C1", response_url=slack.fake.response_url("do")))
    assert status == 200
    told = await slack.fake.wait_for(lambda f: [c for c in f.calls_to("response_url") if "saved" in c.params.get("text", "")])
    assert "ratelimited" in told[0].params["text"] and told[0].params.get("response_type") == "ephemeral"
    assert len(slack.fake.calls_to("chat.postMessage")) == 1 + 1 + 3  # the intro, then 1 try + 3 bounded retries
    slack.fake.faults.clear()
    assert [i["text"] for i in (await export(slack))["items"]] == ["Share before you ask"]  # nothing was lost


async def test_hostile_text_is_escaped_in_every_call(fake: FakeSlackApi, slack: SlackHarness) -> None:
    fake.add_user("T1", "U6", HOSTILE)
    started = await slack.command("U1", f"start {HOSTILE}", expect=2)
    intro = started[0]
    thread = intro.response["ts"]
    await slack.command("U6", "join newcomer")
    await slack.command("U6", f"do {HOSTILE}")
    await slack.thread_reply("U6", thread, "DON'T: &lt;!everyone&gt; <!channel> <@U2|bob>")
    (opened,) = await slack.click("U6", find_button(intro, "add_item", kind="do"), on=intro)
    await slack.submit_modal("U6", opened, HOSTILE)
    await slack.command("U6", f"cohost {HOSTILE}")
    await slack.command("U6", f"{HOSTILE}")  # an unknown command echoes the word back
    await slack.command("U1", "next")
    await slack.command("U6", "vote 1 2")
    await slack.command("U1", "end", expect=2)
    await slack.command("U6", "results")
    await slack.command("U6", "status")
    await slack.command("U6", "export md")
    texts = str([c.params for c in fake.calls])
    assert "&lt;!channel&gt;" in texts and "&lt;@U1&gt;" in texts
    assert unintended_mentions(fake.calls) == []
    # Slack's markup is stored as readable words (never escaped, never markup that pings).
    assert [i["text"] for i in (await export(slack))["items"]][0] == (
        "@channel @here @everyone @Ann @team & click (https://evil.test)")


async def test_sixty_items_can_all_be_voted_for(slack: SlackHarness) -> None:
    _, thread = await start_session(slack)
    ann = Actor("T1", "U1", "Ann")
    for n in range(1, 61):  # seeded through the service: voting is what is under test
        await slack.core.service.handle(ann, Place("slack", "C1"), Submit("do" if n % 2 else "dont", f"idea {n} " + "z" * 200))
    voting = await slack.command("U1", "next", expect=1)
    posted = [c for c in slack.fake.calls_to("chat.postMessage") if c.params.get("thread_ts") == thread]
    assert all(c.response.get("ok") for c in posted), [c.response for c in posted]
    selects = [(c, e) for c in posted for e in elements(c) if e["type"] == "static_select"]
    options = {o["value"]: (c, e, i) for c, e in selects for i, o in enumerate(e["options"])}
    assert len(options) == 60
    await slack.command("U2", "join practitioner")
    for number in (1, 42, 60):
        call, select, index = next(v for k, v in options.items() if k.endswith(f"item={number}"))
        (answer,) = await slack.click("U2", select, on=call, option=index)
        assert f"Voted for #{number}" in answer.params["text"]
    votes = {i["number"]: i["votes"] for i in (await export(slack))["items"]}
    assert [n for n, v in votes.items() if v] == [1, 42, 60]


async def test_old_buttons_work_after_a_restart(fake: FakeSlackApi, database_url: str) -> None:
    first = await SlackHarness.start(fake, slack_config(database_url, fake))
    try:
        intro, thread = await start_session(first)
        await first.command("U1", "do Keep notes", expect=2)  # the item, and "pick your level" to its author
        voting = (await first.command("U1", "next"))[0]
    finally:
        await first.stop()
    second = await SlackHarness.start(fake, slack_config(database_url, fake))
    try:
        (joined,) = await second.click("U2", find_button(intro, "join", level="newcomer"), on=intro)
        assert "newcomer" in joined.params["text"]
        (voted,) = await second.click("U2", find_button(voting, "vote", item="1"), on=voting)
        assert "Voted for #1" in voted.params["text"]
        await second.thread_reply("U2", thread, "DO: still captured?", expect=1)  # collecting is over: refused
        assert (await export(second))["items"][0]["votes"] == 1
    finally:
        await second.stop()
