"""Figure 4's competitor does a voting bot's minimum for real: it spends the budget once per item,
refuses past the budget without spending, stores each vote once and answers every click once.
A competitor that skipped any of that would make our end-to-end ratio look worse than it is."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from adapters.slack.app import web_client
from adapters.slack.server import serve_http
from bench.slack_competitor import competitor, open_database
from bench.slack_setup import REPLY, Ballot, TimedSlackApi, prepared, started_fake
from tests.adapters.slack.harness import SECRET, slack_config


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[tuple[TimedSlackApi, Ballot, sqlite3.Connection, str]]:
    fake = await started_fake(people=2)
    url = f"sqlite:///{tmp_path / 'competitor.db'}"
    harness, ballot = await prepared(fake, url, people=2)
    await harness.stop()
    connection = open_database(str(tmp_path / "competitor.db"))
    session = aiohttp.ClientSession()
    server = await serve_http(competitor(SECRET, web_client(slack_config(url, fake).slack, "xoxb-T1", session), connection,
                                         ballot), "127.0.0.1", 0, SECRET)
    fake.forget()
    try:
        yield fake, ballot, connection, f"http://127.0.0.1:{server.port}/slack/events"
    finally:
        await server.close()
        await session.close()
        connection.close()
        await fake.stop()


async def test_votes_spend_the_budget_once_per_item_and_every_click_gets_one_reply(
    running: tuple[TimedSlackApi, Ballot, sqlite3.Connection, str],
) -> None:
    fake, ballot, connection, url = running
    async with aiohttp.ClientSession() as http:
        for sent, number in enumerate([1, 1, 2, 3, 4], start=1):  # a double click, then one past the budget
            request = ballot.click(fake, number, voter=0)
            async with http.post(url, data=request["body"].encode(), headers=request["headers"]) as answer:
                assert answer.status == 200
            await fake.all_replied(sent, timeout=10)

    replies = fake.calls_to(REPLY)
    assert [c.params["text"] for c in replies] == [
        "Voted for #1. 2 left.", "Not counted: already voted for it.", "Voted for #2. 1 left.",
        "Voted for #3. 0 left.", "Not counted: no votes left.",
    ]
    assert {(c.params["channel"], c.params["user"]) for c in replies} == {("C1", "V0")}
    voted = connection.execute(
        "SELECT items.number FROM votes JOIN items ON items.id = votes.item_id JOIN participants"
        " ON participants.id = votes.participant_id WHERE participants.user_id = 'V0' ORDER BY items.number").fetchall()
    assert voted == [(1,), (2,), (3,)]
    used = connection.execute("SELECT votes_used FROM participants WHERE user_id = 'V0'").fetchone()
    assert used == (3,)
