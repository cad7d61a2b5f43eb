"""Votes racing the facilitator's actions across two real Slack worker processes on PostgreSQL.

Two `facilitator run --platform slack` processes share one database. In each scenario (its own
channel, its own session) sixty people click "Vote #1" at random moments of a 0.3 s window,
each click sent to one worker or the other, while the facilitator's `/pln hide 1`,
`/pln merge 2 1`, `/pln next` or `/pln end` reaches a worker at a random moment of it. Every
action runs with two seeds. The books are kept from what people were actually told (the
ephemeral answers the fake Slack received), what was posted in the thread when voting closed,
and the store read afterwards: tests/reliability/vote_books.py checks they balance.

Slack's tier 4 allows chat.postEphemeral 100+ times a minute. A scenario packs a workshop's
private answers (sixty joins, sixty votes, the refund notices) into a few seconds, so the test
raises that burst in plain sight, as test_multiprocess_slack.py does, and moves the fake's clock
on between scenarios, which stand for workshops minutes apart.
"""

from __future__ import annotations

import asyncio
import os
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from facilitator.bootstrap import open_app

from tests.fakes.slack_api import Call
from tests.pg import fresh_database
from tests.reliability.slack_workers import SlackWorkers, start_fake_slack
from tests.reliability.vote_books import (
    ACTIONS,
    COMMAND,
    KEEP,
    TARGET,
    Books,
    is_refund_notice,
    posted_votes,
    read_the_store,
    told,
)

PG_URL = os.environ.get("FACILITATOR_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not PG_URL, reason="FACILITATOR_TEST_POSTGRES_URL is not set")

FACILITATOR = "UF"
VOTERS = [f"U{n:02d}" for n in range(60)]
EARLY = VOTERS[:20]  # hold a vote on #2 before the burst
LEVELS = ("newcomer", "practitioner", "veteran")
WINDOW_S = 0.3
SCENARIOS = [(action, seed) for action in ACTIONS for seed in (21, 22)]


@pytest.fixture
async def workers(tmp_path: Path) -> AsyncIterator[SlackWorkers]:
    assert PG_URL
    fake = await start_fake_slack([FACILITATOR, *VOTERS])
    fake.set_tier("chat.postEphemeral", per_minute=100, burst=400)  # one scenario's answers at once
    async with fresh_database("fac_races") as url:
        # The bots are told the budget the fake was given (else they pace themselves to Tier 4).
        cluster = SlackWorkers(fake, url.render_as_string(hide_password=False), tmp_path,
                               settings={"SLACK_TIER4_PER_MINUTE": "400"})
        try:
            await cluster.start(2)
            yield cluster
        finally:
            await cluster.close()
            await fake.stop()


class Scenario:
    """One session in its own channel, and what the fake Slack saw of it."""

    def __init__(self, workers: SlackWorkers, channel: str) -> None:
        self.w = workers
        self.channel = channel

    def ephemerals(self, user: str) -> list[Call]:
        return [c for c in self.w.ephemerals(user) if c.params.get("channel") == self.channel]

    def posts(self, containing: str = "") -> list[Call]:
        return [c for c in self.w.fake.calls_to("chat.postMessage") if c.response.get("ok")
                and c.params.get("channel") == self.channel and containing in c.params.get("text", "")]

    async def until(self, predicate: Callable[[], Any], what: str) -> Any:
        return await self.w.until(predicate, f"{what} in {self.channel}")

    async def slash(self, worker: int, user: str, text: str) -> None:
        await self.w.post(worker, self.w.slash(user, text, channel=self.channel))

    async def voting(self, blind: bool) -> Call:
        """A session in voting: items #1-#3, everyone joined, EARLY holding a vote on #2.
        Returns the voting message, whose buttons people click."""
        await self.slash(0, FACILITATOR, f"start Race in {self.channel}")
        intro: Call = await self.until(lambda: next((c for c in self.posts() if not c.params.get("thread_ts")), None),
                                       "the intro")
        await self.until(lambda: self.ephemerals(FACILITATOR), "the starter's notice")  # the thread is recorded
        if not blind:
            await self.slash(1, FACILITATOR, "settings blind=off")
            await self.until(lambda: self.posts("Settings changed"), "the new settings")
        for n in range(1, 4):
            await self.slash(n % 2, FACILITATOR, f"do Item {n}")
            await self.until(lambda n=n: self.posts(f"Item {n}"), f"item {n}")
        await self.w.post_all([(n, self.w.click(user, intro, "join", level=LEVELS[n % 3]))
                               for n, user in enumerate(VOTERS)])
        await self.until(lambda: all(self.ephemerals(user) for user in VOTERS), "every join answered")
        await self.slash(1, FACILITATOR, "next")
        ballot: Call = await self.until(lambda: next(iter(self.posts("Voting is open")), None), "the voting message")
        await self.w.post_all([(n, self.w.click(user, ballot, "vote", item=str(KEEP))) for n, user in enumerate(EARLY)])
        await self.until(lambda: all(len(self.ephemerals(user)) == 2 for user in EARLY), "the early votes answered")
        return ballot


async def run_scenario(workers: SlackWorkers, action: str, seed: int, channel: str) -> Books:
    rng = random.Random(seed)
    scenario = Scenario(workers, channel)
    books = Books(action, blind=seed % 2 == 1, voters=len(VOTERS))
    ballot = await scenario.voting(books.blind)
    for user in EARLY:
        for call in scenario.ephemerals(user):
            told(user, call.params["text"], books.acks)
    before = {user: len(scenario.ephemerals(user)) for user in VOTERS}

    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05

    async def at(moment: float, send: Awaitable[None]) -> None:
        await asyncio.sleep(max(0.0, start + moment - loop.time()))
        await send

    votes = [at(rng.uniform(0, WINDOW_S), workers.post(n, workers.click(user, ballot, "vote", item=str(TARGET))))
             for n, user in enumerate(VOTERS)]
    facilitator = at(rng.uniform(0.05, WINDOW_S / 2), scenario.slash(rng.randrange(2), FACILITATOR, COMMAND[action]))
    await asyncio.gather(*votes, facilitator)

    def answers(user: str) -> list[str]:
        return [c.params["text"] for c in scenario.ephemerals(user)[before[user]:]]

    await scenario.until(lambda: all(any(not is_refund_notice(t) for t in answers(u)) for u in VOTERS),
                         "every burst vote answered")
    if action == "hide":
        await scenario.until(lambda: any(f"#{TARGET} is hidden" in c.params["text"]
                                         for c in scenario.ephemerals(FACILITATOR)), "the hide")
    if action == "merge":
        await scenario.until(lambda: scenario.posts(f"#{TARGET} is merged into #{KEEP}"), "the merge")
    if action in ("hide", "merge"):
        await scenario.slash(0, FACILITATOR, "next")
    closing = "Top DOs" if action == "end" else "Results for"
    # The post with the tally: #2 holds the early voters' votes whatever happened, so it has rows.
    # (Another post may name the same heading without them, and posts are paced, so their order
    # is not fixed.)
    posted: Call = await scenario.until(
        lambda: next((c for c in scenario.posts(closing) if posted_votes(c.params["text"].splitlines())), None),
        "the posted results")
    await workers.nothing_owed()  # refund notices may wait for Slack's budget: every one counts

    for user in VOTERS:
        texts = answers(user)
        books.answer(next(text for text in texts if not is_refund_notice(text)))
        for text in texts:
            if is_refund_notice(text):
                books.refund_notices[user] += 1
            else:
                told(user, text, books.acks)
    books.posted = posted_votes(posted.params["text"].splitlines())
    app = await open_app(workers.database_url, migrate=False)
    try:
        session_id = await app.service.latest_session_id()
        assert session_id is not None
        await read_the_store(app, books, session_id)
    finally:
        await app.close()
    return books


async def test_two_processes_keep_the_books_whatever_the_facilitator_does(workers: SlackWorkers) -> None:
    for index, (action, seed) in enumerate(SCENARIOS):
        workers.fake.clock.advance(300)  # the next workshop, minutes later: Slack's budgets refill
        books = await run_scenario(workers, action, seed, channel=f"CR{index}")
        books.check()
        # The race really happened: some votes landed before the action, some were refused after it.
        assert books.burst_answers["ack"] and books.burst_answers["refused"], (action, seed, books.burst_answers)
        print(f"{action} seed {seed}: {books.burst_answers['ack']} acknowledged, "
              f"{books.burst_answers['refused']} refused, posted {books.posted}")
