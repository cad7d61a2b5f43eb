"""Dot votes: the budget, the per-item limit, all-or-nothing multi-votes, taking votes back."""

from __future__ import annotations

import pytest

from facilitator import commands as cmd
from facilitator.domain.actors import Actor
from facilitator.bootstrap import FacilitatorApp
from facilitator.replies import ReplyKind
from tests.app.support import (
    actor, advance_to, stored_document, kinds, only, place, refusal, say, start, stored, votes_used,
    voting_session,
)

ANA = actor("Ana")  # facilitator
BO = actor("Bo")
CY = actor("Cy")


async def my_votes(app: FacilitatorApp, who: Actor) -> list[int]:
    return [number for number, voter, _ in (await stored(app))["votes"] if voter == who.user_id]


async def test_voting_opens_with_every_item_as_a_vote_button(app: FacilitatorApp) -> None:
    session_id = await start(app, ANA)
    await say(app, BO, "join veteran")
    for n in range(1, 4):
        await say(app, BO, f"do Item {n}")
    phase = only(await say(app, ANA, "next"), ReplyKind.PHASE)
    assert phase.private_to is None
    assert "3 votes" in phase.text and "at most 1 per item" in phase.text
    assert [(a.name, a.session_id, a.argument) for a in phase.actions] == [
        ("vote", session_id, str(n)) for n in (1, 2, 3)
    ]
    assert [i.number for i in phase.items] == [1, 2, 3]


async def test_a_vote_is_recorded_and_the_reply_counts_what_is_left(app: FacilitatorApp) -> None:
    await voting_session(app)
    await say(app, CY, "join newcomer")
    reply = only(await say(app, CY, "vote 2"), ReplyKind.NOTICE)
    assert reply.private_to == CY.user_id
    assert reply.text == "Voted for #2. You have 2 votes left."
    state = await stored(app)
    assert state["votes"] == [(2, CY.user_id, 1)] and votes_used(state, CY) == 1


async def test_one_command_may_cast_several_votes(app: FacilitatorApp) -> None:
    await voting_session(app)
    await say(app, CY, "join newcomer")
    reply = only(await say(app, CY, "vote 1, #3 5"), ReplyKind.NOTICE)
    assert reply.text == "Voted for #1, #3, #5. You have no votes left."
    assert await my_votes(app, CY) == [1, 3, 5]


async def test_a_vote_button_names_its_session(app: FacilitatorApp) -> None:
    session_id = await voting_session(app)
    await say(app, CY, "join newcomer")
    replies = await app.service.handle(CY, place(channel="elsewhere", session_id=session_id), cmd.Vote((4,)))
    assert kinds(replies) == [ReplyKind.NOTICE]
    assert await my_votes(app, CY) == [4]


async def test_someone_who_votes_before_joining_is_asked_for_a_level_and_the_vote_counts(
    app: FacilitatorApp,
) -> None:
    session_id = await voting_session(app)
    replies = await say(app, CY, "vote 1")
    assert kinds(replies) == [ReplyKind.NOTICE, ReplyKind.PICK_LEVEL]
    assert replies[1].private_to == CY.user_id and replies[1].session_id == session_id

    await say(app, CY, "join practitioner")

    item = (await stored_document(app))["items"][0]
    assert item["votes"] == 1 and item["votes_by_level"]["practitioner"] == 1


async def test_the_level_prompt_comes_once_per_person_and_session_however_many_votes(app: FacilitatorApp) -> None:
    # A burst of clicks from someone who never joined costs one prompt, not one per vote
    # (each is a Tier 4 call on Slack); taking a vote back and voting again doesn't ask again.
    await voting_session(app)
    assert kinds(await say(app, CY, "vote 1")) == [ReplyKind.NOTICE, ReplyKind.PICK_LEVEL]
    assert kinds(await say(app, CY, "vote 2")) == [ReplyKind.NOTICE]
    await say(app, CY, "unvote 1")
    await say(app, CY, "unvote 2")
    assert kinds(await say(app, CY, "vote 3")) == [ReplyKind.NOTICE]
    assert (await stored_document(app))["items"][2]["votes"] == 1


REFUSED = [
    # (votes the person already cast, the refused command, words the refusal must contain)
    ((1, 2, 3), "vote 4", "used all 3 of your votes"),
    ((1,), "vote 2 3 4", "You have 2 votes left and asked for 3. Nothing was changed: vote for fewer items"),
    ((), "vote 1 2 3 4", "You have 3 votes left and asked for 4. Nothing was changed"),
    ((1,), "vote 1", "already given #1 the most votes"),
    # The per-item limit is the real reason whenever it stands in the way, budget or not:
    ((), "vote 2 2", "One person can give an item at most 1 vote; you asked for 2 on #2. Nothing was changed."),
    ((3,), "vote 1 2 1", "you asked for 2 on #1"),  # a repeated number is named, budget or not
    ((1, 2), "vote 2 3", "already given #2 the most votes one person can give an item (1)"),  # 1 left, 2 asked
    ((1, 2, 3), "vote 1", "already given #1 the most votes"),  # none left either
    ((), "vote 9", "no item #9"),
    ((), "vote 1 2 9", "no item #9"),
    ((), "vote 0", "no item #0"),
    ((2,), "vote \u00b2", "is not an item number"),  # a digit that int() refuses
    ((), "unvote \u00b3", "is not an item number"),
]


async def test_refused_votes_say_why_privately_and_change_nothing(app: FacilitatorApp) -> None:
    await voting_session(app)
    for n, (cast, command, why) in enumerate(REFUSED):
        voter = actor(f"Voter{n}")  # a person of their own for each case: refusals must not leak
        await say(app, voter, "join newcomer")
        if cast:
            await say(app, voter, "vote " + " ".join(map(str, cast)))
        before = await stored(app)
        exported = await stored_document(app)

        text = refusal(await say(app, voter, command), voter)

        assert why in text, command
        assert await stored(app) == before, command
        assert await stored_document(app) == exported, command
        assert votes_used(before, voter) == len(cast)


@pytest.mark.parametrize("phase", ["collecting", "discussing"])
async def test_votes_outside_the_voting_phase_are_refused(app: FacilitatorApp, phase: str) -> None:
    await start(app, ANA)
    await say(app, BO, "join veteran")
    await say(app, BO, "do Item 1")
    await advance_to(app, ANA, phase)
    before = await stored(app)

    text = refusal(await say(app, BO, "vote 1"), BO)
    back = refusal(await say(app, BO, "unvote 1"), BO)

    if phase == "collecting":  # not yet: say who opens voting, and what to do meanwhile
        for said in (text, back):
            assert said == ("Voting hasn't opened yet: the session is still collecting items. Ana will open it "
                            "with `/pln next`; until then you can add your own items.")
    else:
        assert f"only during the voting phase; the session is {phase} now" in text
        assert f"only during the voting phase; the session is {phase} now" in back
        assert "`/pln results` shows them" in text
    assert await stored(app) == before


async def test_a_vote_button_on_a_closed_session_is_refused(app: FacilitatorApp) -> None:
    session_id = await voting_session(app)
    await say(app, ANA, "end")
    before = await stored(app)
    replies = await app.service.handle(BO, place(session_id=session_id), cmd.Vote((1,)))
    assert "closed" in refusal(replies, BO)
    assert await stored(app) == before


async def test_unvote_frees_budget_for_another_item(app: FacilitatorApp) -> None:
    await voting_session(app)
    await say(app, CY, "join newcomer")
    await say(app, CY, "vote 1 2 3")

    back = only(await say(app, CY, "unvote 2"), ReplyKind.NOTICE)
    assert back.text == "Took back your vote on #2. You have 1 vote left."
    assert votes_used(await stored(app), CY) == 2

    assert only(await say(app, CY, "vote 4"), ReplyKind.NOTICE).text.endswith("You have no votes left.")
    assert await my_votes(app, CY) == [1, 3, 4]
    assert votes_used(await stored(app), CY) == 3
    participant = next(p for p in (await stored_document(app))["participants"] if p["name"] == "Cy")
    assert participant["votes_cast"] == 3


@pytest.mark.parametrize(
    "command, why", [("unvote 2", "no vote on #2"), ("unvote 9", "no item #9")], ids=["not-mine", "missing"]
)
async def test_unvote_without_a_vote_is_refused_and_changes_nothing(
    app: FacilitatorApp, command: str, why: str
) -> None:
    await voting_session(app)
    await say(app, CY, "join newcomer")
    await say(app, CY, "vote 1")
    await say(app, BO, "vote 2")
    before = await stored(app)

    assert why in refusal(await say(app, CY, command), CY)

    assert await stored(app) == before


async def test_unvote_by_someone_who_never_took_part_is_refused(app: FacilitatorApp) -> None:
    await voting_session(app)
    before = await stored(app)
    assert "no vote on #1" in refusal(await say(app, CY, "unvote 1"), CY)
    assert await stored(app) == before


async def test_budgets_are_per_person(app: FacilitatorApp) -> None:
    await voting_session(app)
    await say(app, CY, "join newcomer")
    await say(app, CY, "vote 1 2 3")
    assert kinds(await say(app, BO, "vote 1 2 3")) == [ReplyKind.NOTICE]
    state = await stored(app)
    assert votes_used(state, BO) == votes_used(state, CY) == 3
    assert len(state["votes"]) == 6


async def test_votes_are_split_by_level_in_the_export(app: FacilitatorApp) -> None:
    await voting_session(app, items=2)
    await say(app, CY, "join newcomer")
    await say(app, actor("Di"), "join newcomer")
    await say(app, CY, "vote 1 2")
    await say(app, actor("Di"), "vote 1")
    await say(app, BO, "vote 1")

    items = {i["number"]: i for i in (await stored_document(app))["items"]}
    assert items[1]["votes"] == 3
    assert items[1]["votes_by_level"] == {"newcomer": 2, "practitioner": 0, "veteran": 1}
    assert items[2]["votes_by_level"] == {"newcomer": 1, "practitioner": 0, "veteran": 0}



async def test_a_first_action_vote_past_the_budget_is_refused_and_stores_nothing(app: FacilitatorApp) -> None:
    """The budget is one rule for everyone: someone who never joined and asks for more votes than
    the budget (3) is refused as a member would be, and is not even recorded as a participant."""
    await voting_session(app)
    before = await stored(app)
    assert "asked for 4" in refusal(await say(app, CY, "vote 1 2 3 4"), CY)
    assert await stored(app) == before
    assert CY.user_id not in {person[0] for person in before["people"]}


async def test_the_budget_statement_itself_refuses_a_new_person_past_the_budget(app: FacilitatorApp) -> None:
    """Below the use case: the store's one statement enforces the budget for a first action too."""
    session_id = await voting_session(app)
    async with app.db.write(app.service.context.clock()) as store:
        assert await store.spend_votes(session_id, "Dee", "Dee", 4, 3) is None
        assert await store.participant(session_id, "Dee") is None
        voter = await store.spend_votes(session_id, "Dee", "Dee", 3, 3)
        assert voter is not None and voter.votes_used == 3
