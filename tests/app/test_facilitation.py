"""Phases, who may move them, co-hosts, the end-of-session summary, and blind results."""

from __future__ import annotations

import pytest

from facilitator import commands as cmd
from facilitator.domain.actors import Actor
from facilitator.bootstrap import FacilitatorApp
from facilitator.replies import ReplyKind
from tests.app.support import actor, advance_to, kinds, only, place, refusal, say, start, stored

ANA = actor("Ana")  # starts every session here
BO = actor("Bo")
CY = actor("Cy")


async def workshop(app: FacilitatorApp) -> int:
    """Two participants at two levels, three items, in the collecting phase."""
    session_id = await start(app, ANA, title="Friday PLN")
    await say(app, BO, "join veteran")
    await say(app, CY, "join newcomer")
    await say(app, BO, "do Give before you ask")
    await say(app, CY, "dont Only broadcast")
    await say(app, CY, "do Follow a few people closely")
    return session_id


async def test_next_walks_collecting_voting_discussing_closed(app: FacilitatorApp) -> None:
    await workshop(app)

    to_voting = await say(app, ANA, "next")
    assert kinds(to_voting) == [ReplyKind.PHASE] and "Voting is open" in to_voting[0].text
    assert (await stored(app))["phase"] == "voting"
    await say(app, BO, "vote 1 3")
    await say(app, CY, "vote 3")

    to_discussing = await say(app, ANA, "next")
    assert kinds(to_discussing) == [ReplyKind.PHASE, ReplyKind.RESULTS]
    assert all(reply.private_to is None for reply in to_discussing)
    tally = to_discussing[1].tally
    assert tally is not None
    assert [(row.number, row.votes) for row in tally.section("do").rows] == [(3, 2), (1, 1)]
    assert (await stored(app))["phase"] == "discussing"

    to_closed = await say(app, ANA, "next")
    assert kinds(to_closed) == [ReplyKind.PHASE, ReplyKind.SUMMARY]
    state = await stored(app)
    assert state["phase"] == "closed"
    assert state["timeline"] == ["collecting", "voting", "discussing", "closed"]


async def test_next_after_the_end_is_refused(app: FacilitatorApp) -> None:
    session_id = await workshop(app)
    await say(app, ANA, "end")
    before = await stored(app)
    assert "closed" in refusal(await app.service.handle(ANA, place(session_id=session_id), cmd.Next()), ANA)
    assert "/pln start" in refusal(await say(app, ANA, "next"), ANA)
    assert await stored(app) == before


async def test_a_participant_cannot_move_or_end_the_session_in_any_phase(app: FacilitatorApp) -> None:
    await workshop(app)
    for phase in ("collecting", "voting", "discussing"):
        await advance_to(app, ANA, phase)
        before = await stored(app)
        # The refusal says who to ask: the starter (the only facilitator here).
        assert refusal(await say(app, BO, "next"), BO) == "Only the session's facilitators can move the session on. Ask Ana."
        assert refusal(await say(app, BO, "end"), BO) == "Only the session's facilitators can end the session. Ask Ana."
        assert await stored(app) == before, phase


async def test_a_refusal_names_every_facilitator_starter_first(app: FacilitatorApp) -> None:
    await workshop(app)
    await say(app, ANA, "cohost @Cy")
    assert refusal(await say(app, BO, "end"), BO).endswith("Ask Ana or Cy.")


async def test_a_platform_admin_counts_as_a_facilitator(app: FacilitatorApp) -> None:
    await workshop(app)
    admin = actor("Zed", admin=True)
    assert kinds(await say(app, admin, "next")) == [ReplyKind.PHASE]
    assert "You are a facilitator" in only(await say(app, admin, "status"), ReplyKind.STATUS).text
    assert kinds(await say(app, admin, "end"))[:2] == [ReplyKind.PHASE, ReplyKind.SUMMARY]
    assert (await stored(app))["phase"] == "closed"


async def test_an_admin_of_another_workspace_cannot_touch_the_session(app: FacilitatorApp) -> None:
    session_id = await workshop(app)
    outsider = actor("Zed", tenant="t2", admin=True)
    before = await stored(app)
    replies = await app.service.handle(outsider, place(session_id=session_id), cmd.End())
    assert "doesn't exist here" in refusal(replies, outsider)
    assert await stored(app) == before


async def test_cohost_by_mention_makes_someone_a_facilitator(app: FacilitatorApp) -> None:
    await workshop(app)
    before = await stored(app)
    assert "Only the session's facilitators" in refusal(await say(app, BO, "next"), BO)
    assert await stored(app) == before

    reply, told = await say(app, ANA, f"cohost <@{BO.user_id}>")

    assert reply.kind is ReplyKind.NOTICE and reply.private_to == ANA.user_id and "Bo is now a co-host" in reply.text
    # The new co-host is told, privately, by whom and what they can now do.
    assert told.kind is ReplyKind.NOTICE and told.private_to == BO.user_id
    assert told.text.startswith("Ana made you a co-host of Friday PLN") and "`/pln help`" in told.text
    assert (await stored(app))["hosts"] == sorted([ANA.user_id, BO.user_id])
    assert kinds(await say(app, BO, "next")) == [ReplyKind.PHASE]
    assert (await stored(app))["phase"] == "voting"


async def test_cohost_by_mention_of_someone_not_yet_in_the_session(app: FacilitatorApp) -> None:
    await workshop(app)
    reply, told = await say(app, ANA, "cohost <@UDEE|dee>")
    assert "dee is now a co-host" in reply.text
    assert told.private_to == "UDEE" and "Ana made you a co-host" in told.text
    assert kinds(await say(app, actor("Dee"), "end"))[0] is ReplyKind.PHASE


async def test_cohost_by_name_finds_the_participant_with_or_without_at_in_any_case(app: FacilitatorApp) -> None:
    await workshop(app)
    for written, person in (("@Cy", CY), ("bo", BO)):
        reply, told = await say(app, ANA, f"cohost {written}")
        assert f"{person.name} is now a co-host" in reply.text and told.private_to == person.user_id
    assert (await stored(app))["hosts"] == sorted([ANA.user_id, BO.user_id, CY.user_id])


async def test_cohost_of_an_unknown_name_is_refused(app: FacilitatorApp) -> None:
    await workshop(app)
    before = await stored(app)
    text = refusal(await say(app, ANA, "cohost @Nobody"), ANA)
    assert "I can't find anyone called Nobody in this session." in text
    assert "`/pln cohost @Nobody`" in text and "`/pln join LEVEL`" in text  # what to do instead
    assert await stored(app) == before


async def test_cohost_by_display_name_with_spaces(app: FacilitatorApp) -> None:
    await workshop(app)
    cleo = actor("Cleo Smith")
    await say(app, cleo, "join practitioner")
    reply, told = await say(app, ANA, "cohost cleo smith")
    assert "Cleo Smith is now a co-host" in reply.text and told.private_to == cleo.user_id


async def test_cohost_of_a_name_two_people_share_asks_for_a_mention(app: FacilitatorApp) -> None:
    await workshop(app)
    await say(app, Actor("t1", "UOTHERCY", "Cy"), "join veteran")  # another person, also shown as Cy
    before = await stored(app)
    assert "More than one person here is called Cy" in refusal(await say(app, ANA, "cohost Cy"), ANA)
    assert await stored(app) == before


async def test_cohost_twice_says_so_and_adds_nobody(app: FacilitatorApp) -> None:
    await workshop(app)
    await say(app, ANA, "cohost @Bo")
    before = await stored(app)
    assert "already a facilitator" in only(await say(app, ANA, "cohost @Bo"), ReplyKind.NOTICE).text
    assert "already a facilitator" in only(await say(app, ANA, f"cohost <@{ANA.user_id}>"), ReplyKind.NOTICE).text
    assert await stored(app) == before


async def test_a_participant_cannot_add_cohosts(app: FacilitatorApp) -> None:
    await workshop(app)
    before = await stored(app)
    assert "Only the session's facilitators can add co-hosts" in refusal(await say(app, BO, "cohost @Cy"), BO)
    assert await stored(app) == before


async def test_a_cohost_can_add_more_cohosts(app: FacilitatorApp) -> None:
    await workshop(app)
    await say(app, ANA, "cohost @Bo")
    await say(app, BO, "cohost @Cy")
    assert (await stored(app))["hosts"] == sorted([ANA.user_id, BO.user_id, CY.user_id])


async def test_end_closes_from_any_open_phase_and_posts_the_summary(app: FacilitatorApp) -> None:
    await workshop(app)
    await advance_to(app, ANA, "voting")
    await say(app, BO, "vote 1 2")
    await say(app, CY, "vote 1")

    replies = await say(app, ANA, "end")

    assert kinds(replies) == [ReplyKind.PHASE, ReplyKind.SUMMARY]
    summary = replies[1]
    assert summary.private_to is None and summary.session_id is not None
    assert summary.text.startswith("Summary of Friday PLN")
    assert "2 people took part" in summary.text
    assert "3 items" in summary.text and "3 votes" in summary.text
    assert summary.tally is not None
    assert [(r.number, r.votes, r.votes_for("veteran"), r.votes_for("newcomer"))
            for r in summary.tally.section("do").rows] == [(1, 2, 1, 1), (3, 0, 0, 0)]
    assert [(r.number, r.votes) for r in summary.tally.section("dont").rows] == [(2, 1)]
    state = await stored(app)
    assert state["phase"] == "closed" and state["timeline"] == ["collecting", "voting", "closed"]


async def test_end_twice_is_refused(app: FacilitatorApp) -> None:
    session_id = await workshop(app)
    await say(app, ANA, "end")
    before = await stored(app)
    assert "closed" in refusal(await app.service.handle(ANA, place(session_id=session_id), cmd.End()), ANA)
    assert await stored(app) == before


@pytest.mark.parametrize("phase", ["collecting", "voting"])
async def test_results_are_blind_until_voting_closes(app: FacilitatorApp, phase: str) -> None:
    await workshop(app)
    await advance_to(app, ANA, phase)
    for who in (BO, ANA):
        assert "blind" in refusal(await say(app, who, "results"), who)


async def test_results_after_voting_go_to_the_room_from_a_facilitator_and_privately_otherwise(
    app: FacilitatorApp,
) -> None:
    await workshop(app)
    await advance_to(app, ANA, "voting")
    await say(app, BO, "vote 2")
    await advance_to(app, ANA, "discussing")

    shared = only(await say(app, ANA, "results"), ReplyKind.RESULTS)
    mine = only(await say(app, BO, "results"), ReplyKind.RESULTS)

    assert shared.private_to is None and mine.private_to == BO.user_id
    assert shared.tally == mine.tally and shared.tally is not None
    assert [(r.number, r.votes) for r in shared.tally.section("dont").rows] == [(2, 1)]
    assert "#2 Only broadcast (Cy): 1 vote [veteran 1]" in shared.text


async def test_results_of_a_closed_session_are_still_available(app: FacilitatorApp) -> None:
    await workshop(app)
    await say(app, ANA, "end")
    assert only(await say(app, BO, "results"), ReplyKind.RESULTS).tally is not None


async def test_joining_is_allowed_until_the_session_closes(app: FacilitatorApp) -> None:
    session_id = await workshop(app)
    await advance_to(app, ANA, "discussing")
    late: Actor = actor("Di")
    assert kinds(await say(app, late, "join practitioner")) == [ReplyKind.NOTICE]
    await say(app, ANA, "next")
    replies = await app.service.handle(late, place(session_id=session_id), cmd.Join("veteran"))
    assert "closed" in refusal(replies, late)
