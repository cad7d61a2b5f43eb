"""Issue 7, row 3: a bot process is SIGKILLed mid-workshop and started again on the same
database. Everything it acknowledged before the kill is still there, and the buttons it
posted before the kill still work after the restart: Slack (HTTP worker) and Discord.

"Acknowledged" means what a person saw: the bot's answer to their click or command reached
the (fake) platform. A request still being worked on at the kill may be lost, but never half
written, and never counted past a budget.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.adapters.slack.harness import elements
from tests.fakes.slack_api import Call
from tests.reliability.processes import (
    SECRETS,
    create_postgres_database,
    drop_postgres_database,
    export_json_here,
    secrets_in_logs,
)
from tests.reliability.slack_workers import SlackWorkers, start_fake_slack
from tests.reliability.test_multiprocess_slack import acknowledged

PG_URL = os.environ.get("FACILITATOR_TEST_POSTGRES_URL")
LEVELS = ("newcomer", "practitioner", "veteran")
BUDGET = 3


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'facilitator.db'}"
        return
    if not PG_URL:
        pytest.skip("FACILITATOR_TEST_POSTGRES_URL is not set")
    url = await create_postgres_database(PG_URL, "fac_crash")
    try:
        yield url
    finally:
        await drop_postgres_database(url)


# -- Slack ------------------------------------------------------------------------------

FACILITATOR, LATECOMER = "UF", "U9"
PEOPLE = ["U1", "U2", "U3", "U4", "U5", "U6"]


async def test_slack_worker_killed_mid_workshop(database_url: str, tmp_path: Path) -> None:
    fake = await start_fake_slack([FACILITATOR, *PEOPLE, LATECOMER])
    workers = SlackWorkers(fake, database_url, tmp_path)
    try:
        await workers.start(1)
        intro, thread = await workers.start_session(0, FACILITATOR, "Crash course")
        await workers.post_all([(0, workers.click(u, intro, "join", level=LEVELS[i % 3])) for i, u in enumerate(PEOPLE)])
        await workers.until(lambda: all(workers.ephemerals(u) for u in PEOPLE), "every join answered")
        await workers.post_all([(0, workers.slash(u, f"do Item {u}")) for u in PEOPLE[:3]] + [
            (0, workers.thread_reply(u, thread, f"DON'T: Item {u}", event_id=f"Ev{u}")) for u in PEOPLE[3:]])
        await workers.until(lambda: all(workers.thread_posts(thread, f"Item {u}") for u in PEOPLE), "six items posted")
        await workers.post(0, workers.slash(FACILITATOR, "next"))
        voting: Call = await workers.until(lambda: next((c for c in workers.thread_posts(thread) if len(
            [e for e in elements(c) if e.get("action_id", "").startswith("pln:vote")]) == 6), None), "the voting message")

        # Two votes each, answered; then everyone's third vote (double-clicked) and a fourth,
        # and the worker is killed as soon as the first of those is answered.
        first = [(0, workers.click(u, voting, "vote", item=str((i + k) % 6 + 1))) for i, u in enumerate(PEOPLE) for k in (0, 1)]
        answered = len(workers.ephemerals())
        await workers.post_all(first)
        await workers.until(lambda: len(workers.ephemerals()) >= answered + len(first), "the first votes answered")
        targets = [(u, (i + k) % 6 + 1) for i, u in enumerate(PEOPLE) for k in (2, 2, 3)]
        burst = [(0, workers.click(u, voting, "vote", item=str(n))) for u, n in targets]
        answered = len(workers.ephemerals())
        await workers.post_all(burst)  # each gets its HTTP 200 at once; the work follows
        await workers.until(lambda: len(workers.ephemerals()) > answered, "the first answer to the burst")
        await workers.bots[0].kill()
        held = acknowledged(workers.ephemerals())  # all the answers anyone saw before the crash
        items_seen = {u for u in PEOPLE if workers.thread_posts(thread, f"Item {u}")}

        await workers.restart(0)
        # Buttons posted before the crash: join on the intro, vote on the voting message.
        await workers.post(0, workers.click(LATECOMER, intro, "join", level="veteran"))
        await workers.until(lambda: workers.ephemerals(LATECOMER), "the latecomer's join answered")
        await workers.post(0, workers.click(LATECOMER, voting, "vote", item="1"))
        await workers.until(lambda: any(c.params["text"].startswith("Voted for #1") for c in workers.ephemerals(LATECOMER)),
                            "the latecomer's vote answered")
        held[(LATECOMER, 1)] += 1
        await workers.close()

        document = await export_json_here(database_url)
        assert {i["text"] for i in document["items"]} == {f"Item {u}" for u in items_seen} == {f"Item {u}" for u in PEOPLE}
        votes = {i["number"]: i["votes"] for i in document["items"]}
        might_have_landed = Counter(n for _, n in set(targets))  # a double click lands once at most
        for number in range(1, 7):
            acked = sum(v for (_, n), v in held.items() if n == number)
            assert acked <= votes[number] <= acked + might_have_landed[number], (number, held)
        cast = {p["name"]: p["votes_cast"] for p in document["participants"]}
        for user in PEOPLE:
            acked = sum(v for (u, _), v in held.items() if u == user)
            assert 2 <= acked <= cast[f"Person {user}"] <= BUDGET, (user, held)
        assert cast[f"Person {LATECOMER}"] == 1
        assert sum(votes.values()) == sum(cast.values())  # no vote without its spent budget, nor the reverse
        assert secrets_in_logs(workers.bots, SECRETS) == []
        assert workers.bots[0].starts == 2 and workers.bots[0].stderr().count("Slack app listening") == 2
    finally:
        await workers.close()
        await fake.stop()
