"""A platform request handled once (FacilitationService.handle_once): its claim commits with the
command's first write (facilitator/store/claims.py), so a vote and its claim are one
transaction, and a delivery of the same request again, at the same moment or later, on any
process, changes nothing and gets no reply. Commands that write nothing (a refusal, a read)
are claimed on their own afterwards. Both databases."""

from __future__ import annotations

import asyncio

from facilitator import commands as cmd
from facilitator.bootstrap import FacilitatorApp
from facilitator.replies import ReplyKind
from tests.app.support import actor, advance_to, kinds, place, say, start, stored

ANA, BO, CY = actor("Ana"), actor("Bo"), actor("Cy")


async def voting(app: FacilitatorApp) -> None:
    await start(app, ANA)
    for n in (1, 2):
        await say(app, BO, f"do Item {n}")
    await advance_to(app, ANA, "voting")


async def votes_of(app: FacilitatorApp, who: str) -> list[int]:
    """Item numbers, one for each vote `who` holds (a weight of 2 on #1 is [1, 1])."""
    return sorted(number for number, voter, weight in (await stored(app))["votes"] if voter == who
                  for _ in range(weight))


async def test_the_same_vote_delivered_twice_at_once_counts_once_and_is_answered_once(app: FacilitatorApp) -> None:
    # Three votes on one item are allowed here: only the claim stops a second delivery from
    # counting again, and it does so because it commits with the vote, in one transaction.
    await start(app, ANA)
    await say(app, ANA, "settings per-item=3")
    await say(app, BO, "do Item 1")
    await advance_to(app, ANA, "voting")
    answers = await asyncio.gather(*(app.service.handle_once("slack:trigger:1", CY, place(), cmd.Vote((1,)))
                                     for _ in range(5)))
    assert sorted(a is None for a in answers) == [False, True, True, True, True]
    (answer,) = [a for a in answers if a is not None]
    assert kinds(answer)[0] is ReplyKind.NOTICE and answer[0].text.startswith("Voted for #1")
    assert await votes_of(app, CY.user_id) == [1]


async def test_a_vote_delivered_again_later_changes_nothing(app: FacilitatorApp) -> None:
    await voting(app)
    assert await app.service.handle_once("k1", CY, place(), cmd.Vote((1,)))
    assert await app.service.handle_once("k1", CY, place(), cmd.Vote((1,))) is None
    assert await app.service.handle_once("k2", CY, place(), cmd.Vote((2,)))  # another request goes on
    assert await votes_of(app, CY.user_id) == [1, 2]


async def test_a_refusal_and_a_read_are_answered_once_too(app: FacilitatorApp) -> None:
    await voting(app)
    refused = await app.service.handle_once("k3", CY, place(), cmd.Vote((9,)))
    assert refused is not None and refused[0].kind is ReplyKind.ERROR
    assert await app.service.handle_once("k3", CY, place(), cmd.Vote((9,))) is None
    assert await app.service.handle_once("k4", CY, place(), cmd.Status()) is not None
    assert await app.service.handle_once("k4", CY, place(), cmd.Status()) is None


async def test_a_refused_command_leaves_no_claim_with_its_rolled_back_write(app: FacilitatorApp) -> None:
    # The claim rides in the vote's transaction: a vote refused inside it (over budget) rolls the
    # claim back with it, and the request is then claimed on its own, once.
    await voting(app)
    for n, key in ((1, "a"), (2, "b")):
        await app.service.handle_once(key, CY, place(), cmd.Vote((n,)))
    assert await app.service.handle_once("c", CY, place(), cmd.Vote((1,))) is not None  # already given #1
    assert await app.service.handle_once("c", CY, place(), cmd.Vote((2,))) is None
    assert await votes_of(app, CY.user_id) == [1, 2]
