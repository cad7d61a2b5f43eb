"""Issue 15, item 5: an acknowledged action is a stored action. A Slack worker process is
SIGKILLed the moment its HTTP 200 for a vote reaches the client: the vote is in the database
all the same, because the worker commits before it acks (adapters/commit_first.py), within the
2 s bound that a lone vote never comes near. Repeated with restarts, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.adapters.slack.harness import elements
from tests.fakes.slack_api import Call
from tests.pg import database_of_kind
from tests.reliability.processes import export_json_here
from tests.reliability.slack_workers import SlackWorkers, start_fake_slack

FACILITATOR = "UF"
VOTERS = ["U1", "U2", "U3"]


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    async with database_of_kind(request.param, tmp_path, "fac_ack") as url:
        yield url


async def test_a_vote_whose_200_arrived_is_stored_when_the_worker_is_killed_at_once(
        database_url: str, tmp_path: Path) -> None:
    fake = await start_fake_slack([FACILITATOR, *VOTERS])
    workers = SlackWorkers(fake, database_url, tmp_path)
    try:
        await workers.start(1)
        _, thread = await workers.start_session(0, FACILITATOR, "Kill nine")
        for n in range(1, 4):
            await workers.post(0, workers.slash(FACILITATOR, f"do Item {n}"))
        await workers.until(lambda: all(workers.thread_posts(thread, f"Item {n}") for n in range(1, 4)), "the items")
        await workers.post(0, workers.slash(FACILITATOR, "next"))
        voting: Call = await workers.until(lambda: next((c for c in workers.thread_posts(thread) if len(
            [e for e in elements(c) if e.get("action_id", "").startswith("pln:vote")]) > 1), None), "the voting message")

        for number, voter in enumerate(VOTERS, start=1):
            await workers.post(0, workers.click(voter, voting, "vote", item=str(number)))  # returns at the 200
            await workers.bots[0].kill()  # SIGKILL: nothing after the 200 runs
            document = await export_json_here(database_url)
            votes = {item["number"]: item["votes"] for item in document["items"]}
            assert votes == {n: int(n <= number) for n in range(1, 4)}, (number, votes)
            if number < len(VOTERS):
                await workers.restart(0)
    finally:
        await workers.close()
        await fake.stop()
