"""Workspaces never see each other's sessions; threads and platform deliveries map to exactly one thing."""

from __future__ import annotations

import asyncio

from facilitator import commands as cmd
from facilitator.bootstrap import FacilitatorApp, open_app
from facilitator.replies import ReplyKind
from tests.app.support import FakeClock, actor, advance_to, kinds, place, refusal, say, start, stored

ANA = actor("Ana")  # tenant t1
BO = actor("Bo")
MALLORY = actor("Mallory", tenant="t2")
NOT_HERE = "That session doesn't exist here."

FOREIGN_COMMANDS: list[cmd.Command] = [
    cmd.Status(), cmd.Results(), cmd.Export("json"), cmd.Vote((1,)), cmd.Unvote(1), cmd.Join("veteran"),
    cmd.Submit("do", "Injected"), cmd.Next(), cmd.End(), cmd.Cohost(cmd.UserRef(user_id=MALLORY.user_id)),
]


async def test_another_tenant_naming_a_session_id_is_told_it_does_not_exist(app: FacilitatorApp) -> None:
    session_id = await start(app, ANA)
    await say(app, BO, "join veteran")
    await say(app, BO, "do Item")
    await advance_to(app, ANA, "voting")
    await say(app, BO, "vote 1")
    before = await stored(app)

    for command in FOREIGN_COMMANDS:
        replies = await app.service.handle(MALLORY, place(session_id=session_id), command)
        assert refusal(replies, MALLORY) == NOT_HERE, command
        assert await stored(app) == before, command


async def test_a_foreign_session_looks_exactly_like_a_missing_one(app: FacilitatorApp) -> None:
    session_id = await start(app, ANA)
    foreign = refusal(await app.service.handle(MALLORY, place(session_id=session_id), cmd.Status()), MALLORY)
    missing = refusal(await app.service.handle(MALLORY, place(session_id=session_id + 99), cmd.Status()), MALLORY)
    assert foreign == missing == NOT_HERE


async def test_the_same_tenant_on_another_platform_cannot_use_the_session_id(app: FacilitatorApp) -> None:
    session_id = await start(app, ANA)
    replies = await app.service.handle(ANA, place(platform="discord", session_id=session_id), cmd.Status())
    assert refusal(replies, ANA) == NOT_HERE


async def test_a_channel_with_the_same_id_in_another_tenant_is_another_channel(app: FacilitatorApp) -> None:
    await start(app, ANA)
    before = await stored(app)
    assert "/pln start" in refusal(await say(app, MALLORY, "do Injected"), MALLORY)
    assert "/pln start" in refusal(await say(app, MALLORY, "status"), MALLORY)
    assert await stored(app) == before


async def test_session_for_thread_is_scoped_to_the_tenant(app: FacilitatorApp) -> None:
    session_id = await start(app, ANA)
    assert await app.service.session_for_thread("t1", "c1", "1700000000.000100") is None

    await app.service.attach_thread(session_id, "1700000000.000100")

    assert (await stored(app))["thread"] == "1700000000.000100"
    assert await app.service.session_for_thread("t1", "c1", "1700000000.000100") == session_id
    assert await app.service.session_for_thread("t2", "c1", "1700000000.000100") is None
    assert await app.service.session_for_thread("t1", "c1", "1700000000.000999") is None


async def test_a_thread_reply_in_another_tenants_thread_id_is_ignored(app: FacilitatorApp) -> None:
    session_id = await start(app, ANA)
    await app.service.attach_thread(session_id, "T1")
    before = await stored(app)
    assert await say(app, MALLORY, "DO: Injected", place(thread="T1")) == []
    assert await stored(app) == before


async def test_commands_in_a_session_thread_reach_that_session_even_after_a_newer_one(app: FacilitatorApp) -> None:
    old = await start(app, ANA)
    await app.service.attach_thread(old, "T-old")
    await say(app, BO, "join veteran", place(thread="T-old"))
    status = await say(app, BO, "/pln status", place(thread="T-old"))
    assert kinds(status) == [ReplyKind.STATUS] and status[0].session_id == old


async def test_claim_event_is_true_once_per_key(app: FacilitatorApp) -> None:
    assert await app.service.claim_event("slack:Ev01") is True
    assert await app.service.claim_event("slack:Ev01") is False
    assert await app.service.claim_event("slack:Ev02") is True
    assert await app.service.claim_event("slack:Ev01") is False


async def test_claims_older_than_a_day_are_pruned_and_recent_ones_kept(app: FacilitatorApp, clock: FakeClock) -> None:
    app.service.prune_every = 3
    assert await app.service.claim_event("slack:Old")
    clock.advance(hours=25)
    assert await app.service.claim_event("slack:Recent")
    assert await app.service.claim_event("slack:Third")  # the third claim prunes what is older than a day
    assert await app.service.claim_event("slack:Old") is True  # forgotten: long past any redelivery
    assert await app.service.claim_event("slack:Recent") is False
    assert await app.service.claim_event("slack:Third") is False


async def test_claim_event_is_exactly_once_under_concurrent_claims(app: FacilitatorApp) -> None:
    claims = await asyncio.gather(*(app.service.claim_event("slack:EvRace") for _ in range(20)))
    assert sorted(claims) == [False] * 19 + [True]


async def test_claim_event_is_shared_by_every_process_on_the_database(app: FacilitatorApp, app_db_url: str) -> None:
    other = await open_app(app_db_url)
    try:
        assert await app.service.claim_event("slack:EvShared") is True
        assert await other.service.claim_event("slack:EvShared") is False
        assert await other.service.claim_event("slack:EvOther") is True
        assert await app.service.claim_event("slack:EvOther") is False
    finally:
        await other.close()


async def test_recent_sessions_lists_what_i_hosted_or_joined_in_my_tenant_only(app: FacilitatorApp) -> None:
    hosted = await start(app, ANA, title="Mine")
    await start(app, BO, place(channel="c2"), title="Bo's")
    joined_id = (await stored(app))["id"]
    await say(app, ANA, "join veteran", place(channel="c2"))
    await start(app, BO, place(channel="c3"), title="Not mine")
    await start(app, actor("Ana", tenant="t2"), place(channel="c4"), title="Other tenant")

    listed = await app.service.recent_sessions(ANA)

    assert [(s.id, s.title) for s in listed] == [(joined_id, "Bo's"), (hosted, "Mine")]
    assert listed[0].channel == "c2" and listed[0].phase == "collecting"
