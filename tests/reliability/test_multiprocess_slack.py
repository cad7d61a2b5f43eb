"""Issue 7, row 2: three Slack HTTP worker processes on one PostgreSQL database.

Real `facilitator run --platform slack` processes get one session's requests interleaved
across them (joins, items, double clicks, clicks past the budget, take-backs), many at once.
The export must hold exactly what the bots acknowledged, and an Events API retry delivered
to another worker than the original must create nothing twice.
"""

from __future__ import annotations

import os
import random
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.adapters.slack.harness import elements
from tests.fakes import slack_requests as sr
from tests.fakes.slack_api import Call
from tests.pg import fresh_database
from tests.reliability.processes import (
    SECRETS,
    export_latest_json,
    secrets_in_logs,
)
from tests.reliability.slack_workers import (
    CHANNEL,
    SlackWorkers,
    acknowledged,
    start_fake_slack,
)

PG_URL = os.environ.get("FACILITATOR_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not PG_URL, reason="FACILITATOR_TEST_POSTGRES_URL is not set")

FACILITATOR = "UF"
PEOPLE = [f"U{n:02d}" for n in range(1, 25)]
LEVELS = ("newcomer", "practitioner", "veteran")
DOUBLE_CLICKERS = PEOPLE[:16]  # click each of their 3 items twice, on two workers
TAKERS_BACK = DOUBLE_CLICKERS[:8]  # later: `/pln unvote` their first item, sent twice
GREEDY = PEOPLE[16:]  # click 5 items at once with a budget of 3
BUDGET = 3
ITEM_TEXTS = ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot")


def level_of(user: str) -> str:
    return LEVELS[PEOPLE.index(user) % 3]


def chosen(user: str) -> list[int]:
    """The 3 items (of 6) a double clicker votes for."""
    i = PEOPLE.index(user)
    return [i % 6 + 1, (i + 1) % 6 + 1, (i + 3) % 6 + 1]


def not_chosen(user: str) -> int:
    return (PEOPLE.index(user) + 2) % 6 + 1


@pytest.fixture
async def workers(tmp_path: Path) -> AsyncIterator[SlackWorkers]:
    assert PG_URL
    fake = await start_fake_slack([FACILITATOR, *PEOPLE])
    # This test counts across processes, so it packs every click into a second or two: about
    # 140 "Voted for" ephemerals at once, past Slack's Tier 4 (100 a minute). What the bot does
    # at a real budget is tests/adapters/slack/test_fake_bursts.py's subject, not this one's.
    fake.set_tier("chat.postEphemeral", per_minute=100, burst=1000)
    async with fresh_database("fac_procs") as url:
        # The bots are told the budget the fake was given (else they pace themselves to Tier 4).
        cluster = SlackWorkers(fake, url.render_as_string(hide_password=False), tmp_path,
                               settings={"SLACK_TIER4_PER_MINUTE": "1000"})
        try:
            await cluster.start(3)  # all at once: their migrations race for the same empty database
            yield cluster
        finally:
            await cluster.close()
            await fake.stop()


async def test_three_workers_one_database_count_exactly(workers: SlackWorkers) -> None:
    fake = workers.fake
    intro, thread = await workers.start_session(0, FACILITATOR, "Three workers")
    forged = sr.slash_command("not-the-signing-secret", text="end", team_id="T1", user_id=FACILITATOR,
                              channel_id=CHANNEL, response_url=fake.response_url("forged"))
    for client in workers.clients:  # every worker checks signatures (the forgery changes nothing: see the counts)
        assert client is not None and (await client.post(forged))[0] == 401

    # Everyone joins with the intro's buttons, round-robin over the workers, all at once.
    await workers.post_all([(n, workers.click(user, intro, "join", level=level_of(user))) for n, user in enumerate(PEOPLE)])
    await workers.until(lambda: all(workers.ephemerals(user) for user in PEOPLE), "every join answered")
    assert all(level_of(user) in workers.ephemerals(user)[0].params["text"] for user in PEOPLE)

    # Six items from three workers: slash commands and thread replies. Echo's event reaches all
    # three workers at once (the original and two retries); Foxtrot's retries come to the
    # other two workers after the original was handled.
    echo = sr.thread_message(user_id=PEOPLE[4], channel_id=CHANNEL, thread_ts=thread, text="DO: Echo")
    await workers.post_all([
        (0, workers.slash(PEOPLE[0], "do Alpha")),
        (1, workers.slash(PEOPLE[1], "dont Bravo")),
        (2, workers.slash(PEOPLE[2], "do Charlie")),
        (1, workers.thread_reply(PEOPLE[3], thread, "DO: Delta", event_id="EvDelta")),
        *((n, workers.thread_reply(PEOPLE[4], thread, "", event_id="EvEcho", retry_num=n or None, event=echo))
          for n in range(3)),
    ])
    foxtrot = sr.thread_message(user_id=PEOPLE[5], channel_id=CHANNEL, thread_ts=thread, text="DON'T: Foxtrot")
    await workers.post(0, workers.thread_reply(PEOPLE[5], thread, "", event_id="EvFoxtrot", event=foxtrot))
    await workers.until(lambda: workers.thread_posts(thread, "Foxtrot"), "Foxtrot posted")
    await workers.post_all([(n, workers.thread_reply(PEOPLE[5], thread, "", event_id="EvFoxtrot", retry_num=n,
                                                     event=foxtrot)) for n in (1, 2)])
    await workers.until(lambda: all(workers.thread_posts(thread, t) for t in ITEM_TEXTS), "six items posted")

    await workers.post(1, workers.slash(FACILITATOR, "next"))
    voting: Call = await workers.until(lambda: next((c for c in workers.thread_posts(thread) if len(
        [e for e in elements(c) if e.get("action_id", "").startswith("pln:vote")]) > 1), None), "the voting message")

    # Round 1, all at once: double clicks on two workers, and five clicks against a budget of 3.
    clicks = []
    for i, user in enumerate(DOUBLE_CLICKERS):
        clicks += [(i + k, workers.click(user, voting, "vote", item=str(item)))
                   for k, item in enumerate(n for n in chosen(user) for _ in range(2))]
    for i, user in enumerate(GREEDY):
        clicks += [(i + k, workers.click(user, voting, "vote", item=str((i + k) % 6 + 1))) for k in range(5)]
    random.Random(7).shuffle(clicks)
    answers_before = len(workers.ephemerals())
    await workers.post_all(clicks)
    await workers.until(lambda: len(workers.ephemerals()) >= answers_before + len(clicks), "every click answered")

    # Round 2, all at once: take-backs sent twice, and clicks by people with no votes left.
    later = [(n, workers.slash(user, f"unvote {chosen(user)[0]}")) for user in TAKERS_BACK for n in (0, 1)]
    later += [(n, workers.click(user, voting, "vote", item=str(not_chosen(user))))
              for user in DOUBLE_CLICKERS[8:] for n in (1, 2)]
    later += [(n, workers.click(user, voting, "vote", item="6")) for n, user in enumerate(GREEDY)]
    answers_before = len(workers.ephemerals())
    await workers.post_all(later)
    await workers.until(lambda: len(workers.ephemerals()) >= answers_before + len(later), "every later click answered")

    # A last request to each worker, so anything still queued on one has had its turn.
    await workers.post_all([(n, workers.slash(FACILITATOR, "status")) for n in range(3)])
    await workers.until(lambda: len(workers.ephemerals(FACILITATOR)) >= 4, "status answered by each worker")

    held = acknowledged(workers.ephemerals())
    expected = Counter({(user, item): 1 for user in DOUBLE_CLICKERS for item in chosen(user)})
    for user in TAKERS_BACK:
        expected[(user, chosen(user)[0])] = 0
    assert {k: v for k, v in held.items() if k[0] in DOUBLE_CLICKERS and v} == {k: v for k, v in expected.items() if v}
    for user in GREEDY:  # which 3 won is a race; that exactly 3 did is not
        assert sum(v for (u, _), v in held.items() if u == user) == BUDGET, user
    refusals = Counter(c.params["user"] for c in workers.ephemerals() if "Nothing was changed" in c.params["text"])
    assert refusals == Counter({**{u: 3 for u in DOUBLE_CLICKERS[:8]}, **{u: 3 + 2 for u in DOUBLE_CLICKERS[8:]},
                                **{u: 2 + 1 for u in GREEDY}})
    no_vote = [c.params["user"] for c in workers.ephemerals() if "no vote on" in c.params["text"]]
    assert sorted(no_vote) == sorted(TAKERS_BACK)  # the second of each double take-back

    document = await export_latest_json(workers.database_url, workers.workdir)
    assert Counter(i["text"] for i in document["items"]) == Counter(ITEM_TEXTS)  # Echo and Foxtrot once each
    per_item: Counter[int] = Counter()
    per_item_level: Counter[tuple[int, str]] = Counter()
    for (user, item), votes in held.items():
        per_item[item] += votes
        per_item_level[(item, level_of(user))] += votes
    assert {i["number"]: i["votes"] for i in document["items"]} == {n: per_item[n] for n in range(1, 7)}
    assert {(i["number"], level): v for i in document["items"] for level, v in i["votes_by_level"].items() if v} == \
        {k: v for k, v in per_item_level.items() if v}
    cast = {p["name"]: p["votes_cast"] for p in document["participants"]}
    assert cast == {f"Person {user}": sum(v for (u, _), v in held.items() if u == user)
                    for user in PEOPLE}  # the facilitator never joined
    assert sum(per_item.values()) == 16 * 3 - 8 + 8 * 3

    # Each item was posted once, whichever worker got (or got again) its request.
    assert [len(workers.thread_posts(thread, t)) for t in ITEM_TEXTS] == [1] * 6
    assert len(fake.calls_to("chat.postMessage")) == 1 + 6 + 1  # intro, items, voting message

    await workers.close()
    assert secrets_in_logs(workers.bots, SECRETS) == []
    assert all("Slack app listening" in bot.stderr() for bot in workers.bots)  # the scan read real logs
