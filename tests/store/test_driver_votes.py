"""The vote on the driver (store/driver_votes.py): a vote or a take-back every rule allows costs
BEGIN, two statements and COMMIT on SQLite and one round trip on PostgreSQL, even on a connection
that sat idle (no ping), and it writes exactly what the slow path would have written."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import make_url

from bench.pg_wire import CountingProxy
from bench.sql_count import StatementCounter
from facilitator.bootstrap import FacilitatorApp, open_app
from facilitator.domain.levels import UNSPECIFIED_LEVEL
from facilitator.store.idle_ping import IDLE_BEFORE_PING_S
from tests.app.support import actor, refusal, say, stored, stored_document, voting_session
from tests.pg import fresh_database

PG_URL = os.environ.get("FACILITATOR_TEST_POSTGRES_URL")
ANA = actor("Ana")
BO = actor("Bo")
CY = actor("Cy")  # never joins: a vote is the first thing Cy does


def voted(replies: list[object]) -> str:
    text = getattr(replies[0], "text")
    assert text.startswith("Voted for"), text
    return str(text)


async def test_driver_votes_store_what_the_rules_say(app_db_url: str) -> None:
    app = await open_app(app_db_url, migrate=False)
    try:
        await voting_session(app, items=4)
        assert voted(await say(app, BO, "vote 1 2")).endswith("You have 1 vote left.")
        first = await say(app, CY, "vote 3")  # a first action: Cy is added, unspecified, and asked for a level
        assert voted(first).endswith("You have 2 votes left.") and "level" in first[1].text.lower()
        assert voted(await say(app, BO, "vote 4")).endswith("You have no votes left.")
        state = await stored(app)
        people = {p[0]: p for p in state["people"]}
        assert sorted((n, who) for n, who, _ in state["votes"]) == [
            (1, BO.user_id), (2, BO.user_id), (3, CY.user_id), (4, BO.user_id)]
        assert people[CY.user_id][1:] == ("Cy", UNSPECIFIED_LEVEL, 1)
        assert people[BO.user_id][3] == 3
        document = await stored_document(app)
        assert {p["name"]: p["votes_cast"] for p in document["participants"]} == {"Bo": 3, "Cy": 1}
        # Refused on the driver, worded by the slow path, nothing written by either.
        before = await stored(app)
        assert "used all 3 of your votes" in refusal(await say(app, BO, "vote 3"), BO)
        assert "already given #3 the most votes" in refusal(await say(app, CY, "vote 3 1"), CY)
        assert "no vote on #4 to take back" in refusal(await say(app, CY, "unvote 4"), CY)
        assert await stored(app) == before
        took = await say(app, BO, "unvote 2")
        assert took[0].text == "Took back your vote on #2. You have 1 vote left."
        after = await stored(app)
        assert [v for v in after["votes"] if v[1] == BO.user_id] == [(1, BO.user_id, 1), (4, BO.user_id, 1)]
        assert {p[0]: p[3] for p in after["people"]}[BO.user_id] == 2
    finally:
        await app.close()


async def test_a_sqlite_vote_is_begin_two_statements_and_commit(sqlite_url: str) -> None:
    app = await open_app(sqlite_url)
    try:
        # Before the first vote: the driver path keeps the connection it checks out then.
        counter = StatementCounter(app.db.engine)
        await voting_session(app, items=4)
        await say(app, BO, "vote 1")
        vote = [["BEGIN", "IMMEDIATE"], ["INSERT", "INTO", "participants"], ["INSERT", "INTO", "votes"]]
        # Someone without a level is asked to pick one with their first vote only: that claim
        # is one more statement in the same transaction, once per person.
        first_without_level = [["UPDATE", "participants", "SET"]]
        for who, command, extra in ((BO, "vote 2", []), (CY, "vote 1", first_without_level), (CY, "vote 3", [])):
            with counter.counting() as counts:
                replies = await say(app, who, command)
                voted(replies)
            assert [s.split()[0:3] for s in counts.statements] == vote + extra + [["COMMIT"]]
            assert any("level" in r.text.lower() for r in replies[1:]) == bool(extra), replies
        with counter.counting() as counts:
            assert (await say(app, BO, "unvote 2"))[0].text.startswith("Took back")
        assert [s.split()[0:2] for s in counts.statements] == [
            ["BEGIN", "IMMEDIATE"], ["UPDATE", "participants"], ["DELETE", "FROM"], ["COMMIT"]]
    finally:
        await app.close()


@pytest.fixture
async def counted_postgres() -> AsyncIterator[tuple[FacilitatorApp, CountingProxy]]:
    if not PG_URL:
        pytest.skip("FACILITATOR_TEST_POSTGRES_URL is not set")
    async with fresh_database("fac_trips") as url:
        proxy = CountingProxy(url.host or "127.0.0.1", url.port or 5432)
        await proxy.start()
        app = await open_app(url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False))
        try:
            yield app, proxy
        finally:
            await app.close()
            await proxy.close()


async def test_a_postgres_vote_is_one_round_trip_even_after_sitting_idle(
    counted_postgres: tuple[FacilitatorApp, CountingProxy],
) -> None:
    app, proxy = counted_postgres
    await voting_session(app, items=4)
    voted(await say(app, BO, "vote 1"))  # prepares the call on this connection
    await say(app, BO, "unvote 1")  # prepares that call too
    for who, command, call in ((BO, "vote 2", "facilitator_vote"), (CY, "vote 3 4", "facilitator_vote"),
                               (BO, "unvote 2", "facilitator_unvote")):
        await asyncio.sleep(IDLE_BEFORE_PING_S + 0.1)  # long enough for the idle ping of other paths
        sent = len(proxy.trips)
        replies = await say(app, who, command)
        assert replies[0].text.startswith(("Voted", "Took back")), replies[0].text
        trips = proxy.trips[sent:]
        assert [(t.kind, call in t.sql) for t in trips] == [("Sync", True)], trips


async def test_a_sqlite_vote_that_fails_half_way_leaves_nothing_and_the_next_one_works(sqlite_url: str) -> None:
    app = await open_app(sqlite_url)
    try:
        await voting_session(app, items=4)
        voted(await say(app, BO, "vote 1"))
        before = await stored(app)
        # The votes statement fails after the budget statement has run, on the connection the
        # vote path keeps (a TEMP trigger lives and dies with that one connection).
        kept = app.db._drivers._sqlite  # noqa: SLF001 - the connection under test
        assert kept is not None
        kept.driver_connection.execute(
            "CREATE TEMP TRIGGER fail_votes BEFORE INSERT ON votes BEGIN SELECT RAISE(ABORT, 'disk trouble'); END")
        with pytest.raises(Exception, match="disk trouble"):
            await say(app, BO, "vote 2")
        assert await stored(app) == before  # the budget spent before the failure was rolled back
        voted(await say(app, BO, "vote 2"))  # a fresh connection, without the trigger
        assert (await stored(app))["votes"] == [(1, BO.user_id, 1), (2, BO.user_id, 1)]
    finally:
        await app.close()
