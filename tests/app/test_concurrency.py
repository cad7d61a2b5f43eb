"""Many clicks at once, on a real SQLite file and on PostgreSQL: the database keeps the rules."""

from __future__ import annotations

import asyncio
from collections import Counter

from sqlalchemy import select

from facilitator import commands as cmd
from facilitator.bootstrap import FacilitatorApp
from facilitator.replies import Reply, ReplyKind
from facilitator.app.service import UNAVAILABLE
from facilitator.store.models import SessionRow
from tests.app.support import START, actor, advance_to, place, say, start, stored, votes_used

ANA = actor("Ana")
CY = actor("Cy")


def flatten(results: list[list[Reply]]) -> list[Reply]:
    return [reply for replies in results for reply in replies]


def assert_no_database_trouble(replies: list[Reply]) -> None:
    for reply in replies:
        assert "database is locked" not in reply.text.lower(), reply.text
        assert reply.text != UNAVAILABLE, reply.text


async def ten_items_in_voting(app: FacilitatorApp, blind: bool = True) -> int:
    session_id = await start(app, ANA)
    if not blind:
        assert not any(r.kind is ReplyKind.ERROR for r in await say(app, ANA, "settings blind=off"))
    await say(app, ANA, "join veteran")
    for n in range(1, 11):
        await say(app, ANA, f"do Item {n}")
    await advance_to(app, ANA, "voting")
    return session_id


async def test_fifty_concurrent_votes_by_one_person_never_overspend_the_budget(app: FacilitatorApp) -> None:
    session_id = await ten_items_in_voting(app)
    where = place(session_id=session_id)
    # Cy has not joined: the first clicks also race to create Cy's participant row.
    results = await asyncio.gather(
        *(app.service.handle(CY, where, cmd.Vote((n % 10 + 1,))) for n in range(50))
    )

    first_replies = [replies[0] for replies in results]
    assert_no_database_trouble(flatten(list(results)))
    outcome = Counter(reply.kind for reply in first_replies)
    assert outcome == {ReplyKind.NOTICE: 3, ReplyKind.ERROR: 47}
    for reply in first_replies:
        if reply.kind is ReplyKind.ERROR:
            assert "Nothing was changed" in reply.text, reply.text
    state = await stored(app)
    assert votes_used(state, CY) == 3
    mine = [(number, weight) for number, voter, weight in state["votes"] if voter == CY.user_id]
    assert len(mine) == 3 and all(weight == 1 for _, weight in mine)
    assert len({number for number, _ in mine}) == 3
    assert [user for user, *_ in state["people"]].count(CY.user_id) == 1


async def test_twenty_concurrent_clicks_on_one_item_give_it_one_vote(app: FacilitatorApp) -> None:
    session_id = await ten_items_in_voting(app)
    await say(app, CY, "join newcomer")
    results = await asyncio.gather(
        *(app.service.handle(CY, place(session_id=session_id), cmd.Vote((4,))) for _ in range(20))
    )
    assert_no_database_trouble(flatten(list(results)))
    assert Counter(replies[0].kind for replies in results) == {ReplyKind.NOTICE: 1, ReplyKind.ERROR: 19}
    state = await stored(app)
    assert votes_used(state, CY) == 1
    assert [(n, w) for n, voter, w in state["votes"] if voter == CY.user_id] == [(4, 1)]


async def test_concurrent_multi_votes_are_all_or_nothing(app: FacilitatorApp) -> None:
    session_id = await ten_items_in_voting(app)
    await say(app, CY, "join newcomer")
    asks = [(1, 2), (3, 4), (5, 6), (7,), (8, 9, 10), (1, 5)]
    results = await asyncio.gather(
        *(app.service.handle(CY, place(session_id=session_id), cmd.Vote(ask)) for ask in asks)
    )
    assert_no_database_trouble(flatten(list(results)))
    accepted = [ask for ask, replies in zip(asks, results) if replies[0].kind is ReplyKind.NOTICE]
    state = await stored(app)
    mine = sorted(n for n, voter, _ in state["votes"] if voter == CY.user_id)
    assert mine == sorted(n for ask in accepted for n in ask)
    assert votes_used(state, CY) == len(mine) <= 3


async def test_thirty_concurrent_submissions_get_unique_consecutive_numbers(app: FacilitatorApp) -> None:
    session_id = await start(app, ANA)
    where = place(session_id=session_id)
    people = [actor(f"P{n}") for n in range(15)]
    submissions = [(people[n % 15], cmd.Submit("do" if n % 2 else "dont", f"Idea {n}")) for n in range(30)]

    results = await asyncio.gather(*(app.service.handle(who, where, what) for who, what in submissions))

    assert_no_database_trouble(flatten(list(results)))
    items = [replies[0] for replies in results]
    assert all(reply.kind is ReplyKind.ITEM for reply in items), [r.text for r in items]
    numbers = sorted(reply.items[0].number for reply in items)
    assert numbers == list(range(1, 31))
    state = await stored(app)
    assert state["item_count"] == 30
    assert sorted(n for n, *_ in state["items"]) == list(range(1, 31))
    assert sorted(text for _, _, text, _, _ in state["items"]) == sorted(f"Idea {n}" for n in range(30))
    assert len(state["people"]) == 15


async def test_concurrent_starts_in_one_channel_open_one_session(app: FacilitatorApp) -> None:
    hosts = [actor(f"H{n}") for n in range(8)]
    results = await asyncio.gather(*(app.service.handle_text(h, place(), "/pln start") for h in hosts))
    assert_no_database_trouble(flatten(list(results)))
    assert Counter(replies[0].kind for replies in results) == {ReplyKind.INTRO: 1, ReplyKind.ERROR: 7}
    # One session stored, the one announced. Not "id 1": on PostgreSQL a start that lost the race
    # on the open-channel index has used a value of the sequence before its INSERT failed.
    (intro,) = [replies[0] for replies in results if replies[0].kind is ReplyKind.INTRO]
    async with app.db.read(START) as store:
        ids = (await store.db.scalars(select(SessionRow.id))).all()
    assert ids == [intro.session_id]


async def test_reads_during_a_burst_of_writes_all_succeed(app: FacilitatorApp) -> None:
    session_id = await ten_items_in_voting(app, blind=False)  # open tallies: exports are allowed while voting
    where = place(session_id=session_id)
    voters = [actor(f"V{n}") for n in range(12)]
    calls = [app.service.handle(v, where, cmd.Vote((n % 10 + 1, (n + 1) % 10 + 1))) for n, v in enumerate(voters)]
    calls += [app.service.handle(v, where, cmd.Status()) for v in voters]
    calls += [app.service.handle(ANA, where, cmd.Export("json")) for _ in range(3)]

    results = await asyncio.gather(*calls)

    replies = flatten(list(results))
    assert_no_database_trouble(replies)
    assert ReplyKind.ERROR not in {reply.kind for reply in replies}
    state = await stored(app)
    assert len(state["votes"]) == 24 and all(votes_used(state, v) == 2 for v in voters)
