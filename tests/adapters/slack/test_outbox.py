"""The outbox against a fake Slack that enforces its tiers (tests/fakes/slack_rate_limits.py):
votes are stored while their confirmations wait for the budget; every confirmation arrives
once, none twice, none lost; what waits survives a restart; what waits too long is dropped,
logged and counted; what waits for one person goes as one message."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest

from adapters.slack.courier import courier_for, notice_letter
from facilitator import commands as cmd
from facilitator.domain.actors import Actor, Place
from tests.adapters.slack.harness import SECRET, SlackHarness, find_button, slack_config
from tests.app.support import stored_document
from tests.fakes import slack_requests as sr
from tests.fakes.slack_api import Call, FakeSlackApi

EPHEMERAL = "chat.postEphemeral"


def voters(count: int) -> list[str]:
    return [f"UV{n:03d}" for n in range(count)]


async def voting_session(slack: SlackHarness, people: list[str], items: int = 1) -> tuple[Call, str]:
    """A session in its voting phase with `people` joined, set up through the core (no Slack calls
    for them), and the voting message the bot posted."""
    calls = await slack.command("U1", "start Outbox", expect=2)
    thread = str(next(c for c in calls if c.method == "chat.postMessage").response["ts"])
    service = slack.core.service
    session_id = await service.session_for_thread("T1", "C1", thread)
    where = Place("slack", "C1", thread, session_id)
    for n in range(items):
        await service.handle(Actor("T1", "U1", "Ann"), where, cmd.Submit("do", f"Item {n + 1}"))
    for person in people:
        slack.fake.add_user("T1", person, f"Voter {person}")
        await service.handle(Actor("T1", person, person), where, cmd.Join("newcomer"))
    (voting,) = await slack.command("U1", "next")
    return voting, thread


def vote_click(slack: SlackHarness, voting: Call, thread: str, voter: str, item: int = 1) -> sr.SignedRequest:
    button = find_button(voting, "vote", item=str(item))
    action = {k: v for k, v in button.items() if k in ("action_id", "value", "type", "text")}
    return sr.block_action(SECRET, action=action, team_id="T1", user_id=voter, channel_id="C1",
                           message_ts=str(voting.response["ts"]), thread_ts=thread,
                           response_url=slack.fake.response_url(voter), trigger_id=slack.fake.trigger_id())


def confirmations(fake: FakeSlackApi, voter: str) -> list[str]:
    """The texts of every accepted ephemeral to `voter` that confirms a vote (merged ones count each)."""
    return [line for c in fake.calls_to(EPHEMERAL) if c.ok and c.params.get("user") == voter
            for line in str(c.params.get("text", "")).split("\n\n") if line.startswith("Voted for #")]


async def stored_votes(slack: SlackHarness) -> int:
    return sum(item["votes"] for item in (await stored_document(slack.core))["items"])


async def refill_until(fake: FakeSlackApi, done: object, timeout: float = 45.0) -> None:
    """Let the fake's minute pass quickly (its clock jumps 10 s every 0.2 s) until `done()`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not done():  # type: ignore[operator]
        assert loop.time() < deadline, "timed out"
        fake.clock.advance(10)
        await asyncio.sleep(0.2)


async def test_votes_are_stored_while_their_confirmations_wait_and_each_arrives_once(slack: SlackHarness) -> None:
    people = voters(30)
    voting, thread = await voting_session(slack, people)
    # Slack's budget, much smaller than the bot's own guess (Tier 4): the bot learns it from 429s.
    slack.fake.set_tier(EPHEMERAL, per_minute=60, burst=4)
    statuses = await asyncio.gather(*(slack.http.post(vote_click(slack, voting, thread, v)) for v in people))
    assert {status for status, _ in statuses} == {200}  # each answered after its vote was committed
    assert await stored_votes(slack) == 30  # all stored at the 200s ...
    waiting = [v for v in people if not confirmations(slack.fake, v)]
    assert len(waiting) >= 20  # ... while most confirmations wait for Slack's budget
    # In the database: the replies are handed over after the 200s (Kit.later), so the ones over
    # Slack's budget reach the outbox table a moment later; the fake's clock stands still meanwhile.
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while not await slack.core.service.outbox.waiting("slack"):
        assert loop.time() < deadline, "no reply was kept in the outbox"
        await asyncio.sleep(0.05)

    await refill_until(slack.fake, lambda: all(confirmations(slack.fake, v) for v in people))
    assert {v: len(confirmations(slack.fake, v)) for v in people} == {v: 1 for v in people}  # none twice
    courier = courier_for(slack.bolt, slack.core.service)
    assert not [k for k in courier.counts if k.startswith("dropped")]
    assert await slack.core.service.outbox.waiting("slack") == 0


async def test_a_queued_confirmation_survives_a_restart(fake: FakeSlackApi, database_url: str) -> None:
    settings = slack_config(database_url, fake)
    first = await SlackHarness.start(fake, settings)
    people = voters(6)
    try:
        voting, thread = await voting_session(first, people)
        fake.set_tier(EPHEMERAL, per_minute=1, burst=1)  # Slack takes one, then nothing for a minute
        for voter in people:
            assert (await first.http.post(vote_click(first, voting, thread, voter)))[0] == 200
        assert await stored_votes(first) == 6
        await fake.wait_for(lambda f: f.ratelimited.get(EPHEMERAL))
    finally:
        await first.stop()  # the process ends with confirmations still owed
    owed = [v for v in people if not confirmations(fake, v)]
    assert len(owed) >= 4

    second = await SlackHarness.start(fake, settings)
    try:
        assert await second.core.service.outbox.waiting("slack") >= 1
        courier_for(second.bolt, second.core.service).start()  # what server.run does at start
        fake.set_tier(EPHEMERAL, per_minute=100, burst=100)
        await fake.wait_for(lambda f: all(confirmations(f, v) for v in people))
        await asyncio.sleep(0.3)  # time for a second send of anything, were there one
        assert {v: len(confirmations(fake, v)) for v in people} == {v: 1 for v in people}
        assert await second.core.service.outbox.waiting("slack") == 0
    finally:
        await second.stop()


async def test_what_waits_for_one_person_goes_as_one_message(slack: SlackHarness) -> None:
    voting, thread = await voting_session(slack, ["UV000"], items=3)
    slack.fake.set_tier(EPHEMERAL, per_minute=60, burst=1)
    for item in (1, 2, 3):
        assert (await slack.http.post(vote_click(slack, voting, thread, "UV000", item)))[0] == 200
    await refill_until(slack.fake, lambda: len(confirmations(slack.fake, "UV000")) == 3)
    accepted = [c for c in slack.fake.calls_to(EPHEMERAL) if c.ok and c.params.get("user") == "UV000"]
    assert len(accepted) == 2  # the first at once; the two that waited, merged, in order
    assert accepted[1].params["text"].startswith("Voted for #2.") and "Voted for #3." in accepted[1].params["text"]
    assert courier_for(slack.bolt, slack.core.service).counts["merged"] == 1


async def test_a_notice_past_its_life_is_dropped_logged_and_counted(
        slack: SlackHarness, caplog: pytest.LogCaptureFixture) -> None:
    service = slack.core.service
    courier = courier_for(slack.bolt, service)
    stale = notice_letter("T1", "C1", "U2", {"text": "Voted for #1."}, service.outbox.now() - timedelta(minutes=31))
    await service.outbox.put([stale])
    caplog.set_level(logging.WARNING)
    assert await courier.round() is None  # nothing left
    assert courier.counts["dropped:expired"] == 1
    assert any("dropped a chat.postEphemeral for U2 in T1: expired" in r.getMessage() for r in caplog.records)
    assert not [c for c in slack.fake.calls_to(EPHEMERAL) if c.params.get("user") == "U2"]


async def test_a_burst_of_items_posts_into_the_thread_at_slacks_pace_without_a_429(slack: SlackHarness) -> None:
    """chat.postMessage is about one a second per channel, with short bursts (the fake: 10 at
    once): fifteen people adding items at the same moment post in order of arrival, paced in the
    delivery, every item once."""
    calls = await slack.command("U1", "start Items", expect=2)
    thread = str(next(c for c in calls if c.method == "chat.postMessage").response["ts"])
    people = voters(15)
    for person in people:
        slack.fake.add_user("T1", person, f"Person {person}")
    requests = [sr.slash_command(SECRET, text=f"do Idea of {p}", team_id="T1", user_id=p, channel_id="C1",
                                 response_url=slack.fake.response_url(p), user_name=p.lower(),
                                 trigger_id=slack.fake.trigger_id()) for p in people]
    statuses = await asyncio.gather(*(slack.http.post(r) for r in requests))
    assert {status for status, _ in statuses} == {200}

    def posted() -> list[Call]:
        return [c for c in slack.fake.calls_to("chat.postMessage") if c.ok and c.params.get("thread_ts") == thread
                and "Idea of" in str(c.params.get("text", ""))]

    await slack.fake.wait_for(lambda _: len(posted()) >= 15, timeout=30)
    assert sorted(str(c.params["text"]).count("Idea of") for c in posted()) == [1] * 15
    assert "chat.postMessage" not in slack.fake.ratelimited
