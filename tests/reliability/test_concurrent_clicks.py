"""200 people vote at once, with double clicks and clicks past the budget, on a SQLite file and
on PostgreSQL: the counts are exact, no budget is overspent, nobody sees "database is locked"."""

from __future__ import annotations

import asyncio
from collections import Counter

from facilitator import commands as cmd
from facilitator.bootstrap import FacilitatorApp
from facilitator.replies import Reply, ReplyKind
from tests.app.support import actor, advance_to, place, say, start, stored_document

PEOPLE = 200
ITEMS = 12
LEVELS = ("newcomer", "practitioner", "veteran")


def choices(person: int) -> list[int]:
    """Four different items per person (one past the budget of 3), plus a double click on the first."""
    picks = [(person + k * 5) % ITEMS + 1 for k in range(4)]
    return [picks[0], *picks]


async def test_two_hundred_people_voting_at_once(app: FacilitatorApp) -> None:
    host = actor("Host")
    session_id = await start(app, host)
    for n in range(1, ITEMS + 1):
        await say(app, host, f"do Idea {n}")
    people = [actor(f"P{n}") for n in range(PEOPLE)]
    where = place(session_id=session_id)
    await asyncio.gather(
        *(app.service.handle(p, where, cmd.Join(LEVELS[n % 3])) for n, p in enumerate(people))
    )
    await advance_to(app, host, "voting")

    clicks = [(n, number) for n in range(PEOPLE) for number in choices(n)]
    # Interleave everyone's clicks, so double clicks and budget races really overlap.
    clicks.sort(key=lambda click: (choices(click[0]).index(click[1]), click[0]))
    results: list[list[Reply]] = await asyncio.gather(
        *(app.service.handle(people[n], where, cmd.Vote((number,))) for n, number in clicks)
    )

    texts = [reply.text.lower() for replies in results for reply in replies]
    assert not any("locked" in t or "temporarily unavailable" in t for t in texts)
    accepted: Counter[int] = Counter()
    expected_items: Counter[int] = Counter()
    expected_by_level: dict[int, Counter[str]] = {n: Counter() for n in range(1, ITEMS + 1)}
    for (n, number), replies in zip(clicks, results):
        assert replies[0].private_to == people[n].user_id
        if replies[0].kind is ReplyKind.NOTICE:
            accepted[n] += 1
            expected_items[number] += 1
            expected_by_level[number][LEVELS[n % 3]] += 1
        else:
            assert replies[0].kind is ReplyKind.ERROR
    # Each person holds exactly 3 distinct votes: the double click and the fourth pick were refused.
    assert set(accepted.values()) == {3} and len(accepted) == PEOPLE

    # The stored tallies, read from the core: `/pln export` is refused while votes are blind.
    document = await stored_document(app, session_id)
    assert sum(p["votes_cast"] for p in document["participants"]) == 3 * PEOPLE
    assert all(p["votes_cast"] == 3 for p in document["participants"] if p["level"] != "unspecified")
    for item in document["items"]:
        assert item["votes"] == expected_items[item["number"]], item["number"]
        by_level = {k: v for k, v in item["votes_by_level"].items() if v}
        assert by_level == dict(expected_by_level[item["number"]]), item["number"]
