"""Items that follow the message they came from: edits and deletions while collecting, the
author told privately afterwards, each message one item at most, and the thread found by its
channel too."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import select

from facilitator import commands as cmd
from facilitator.bootstrap import FacilitatorApp
from facilitator.domain.actors import Place
from facilitator.replies import ReplyKind
from facilitator.store.models import AuditRow
from tests.app.support import START, actor, advance_to, kinds, place, say, start, stored, votes_used

ANA, BO, CY = actor("Ana"), actor("Bo"), actor("Cy")
THREAD = "1765000000.000100"
IN_THREAD = place(channel="c1", thread=THREAD)


async def session(app: FacilitatorApp) -> int:
    session_id = await start(app, ANA)
    await app.service.attach_thread(session_id, THREAD)
    for who in (BO, CY):
        await say(app, who, "join veteran")
    return session_id


async def reply(app: FacilitatorApp, who: object, text: str, ts: str) -> list[object]:
    command = cmd.parse_message(text)
    assert isinstance(command, cmd.Submit)
    sourced = cmd.Submit(command.kind, command.text, from_thread_reply=True, source=ts)
    return await app.service.handle(who, IN_THREAD, sourced)  # type: ignore[arg-type]


async def items(app: FacilitatorApp) -> list[tuple[int, str, str]]:
    return [(number, kind, text) for number, kind, text, _, _ in (await stored(app))["items"]]


async def audit(app: FacilitatorApp) -> list[tuple[str, dict[str, object]]]:
    async with app.db.read(START) as store:
        rows = (await store.db.scalars(select(AuditRow).order_by(AuditRow.id))).all()
        return [(row.action, json.loads(row.details)) for row in rows]


async def test_an_edit_while_collecting_changes_the_item_and_replaces_its_post(app: FacilitatorApp) -> None:
    session_id = await session(app)
    (posted,) = await reply(app, BO, "DO: Follow people who disagree", "2.1")
    await app.service.attach_post(session_id, 1, "9.1")
    (updated,) = await app.service.handle(BO, IN_THREAD, cmd.ReviseItem("2.1", "don't", "Follow only friends"))
    assert updated.kind is ReplyKind.ITEM and updated.replaces == "9.1" and updated.private_to is None
    assert "Follow only friends" in updated.text and posted.replaces is None
    assert await items(app) == [(1, "dont", "Follow only friends")]
    assert await audit(app) == [("edit", {"number": 1})]


async def test_a_deletion_withdraws_the_item_and_keeps_its_number(app: FacilitatorApp) -> None:
    session_id = await session(app)
    await reply(app, BO, "DO: Something I regret", "2.1")
    await app.service.attach_post(session_id, 1, "9.1")
    (gone,) = await app.service.handle(BO, IN_THREAD, cmd.WithdrawItem("2.1"))
    assert gone.replaces == "9.1" and gone.private_to is None and "withdrawn" in gone.text
    assert "regret" not in gone.text  # the author took the words back: the post loses them too
    await reply(app, CY, "DO: Next one", "2.2")
    assert await items(app) == [(2, "do", "Next one")]
    assert await audit(app) == [("withdraw", {"number": 1, "votes_refunded": 0})]


async def test_an_edit_that_drops_the_prefix_withdraws_the_item(app: FacilitatorApp) -> None:
    await session(app)
    await reply(app, BO, "DO: Share first", "2.1")
    (gone,) = await app.service.handle(BO, IN_THREAD, cmd.ReviseItem("2.1", None, "actually never mind"))
    assert "withdrawn" in gone.text and await items(app) == []


async def test_a_message_edited_into_a_submission_is_a_new_item_once(app: FacilitatorApp) -> None:
    await session(app)
    first = await app.service.handle(CY, IN_THREAD, cmd.ReviseItem("2.5", "do", "Thank people in public"))
    assert kinds(first) == [ReplyKind.ITEM]
    again = await app.service.handle(CY, IN_THREAD, cmd.ReviseItem("2.5", "do", "Thank people in public!"))
    assert kinds(again) == [ReplyKind.ITEM] and again[0].replaces is None  # no post was recorded for it
    assert await items(app) == [(1, "do", "Thank people in public!")]
    assert await app.service.handle(CY, IN_THREAD, cmd.ReviseItem("2.6", None, "just chat")) == []


async def test_after_collecting_items_stay_and_the_author_is_told_privately(app: FacilitatorApp) -> None:
    await session(app)
    await reply(app, BO, "DO: Keep notes", "2.1")
    await advance_to(app, ANA, "voting")
    await say(app, CY, "vote 1")
    before = await stored(app)
    (edit,) = await app.service.handle(BO, IN_THREAD, cmd.ReviseItem("2.1", "do", "Keep secret notes"))
    (delete,) = await app.service.handle(BO, IN_THREAD, cmd.WithdrawItem("2.1"))
    for told in (edit, delete):
        assert told.private_to == BO.user_id and told.kind is ReplyKind.NOTICE and "voting" in told.text
    assert "stays as it was" in edit.text and "/pln hide 1" in delete.text
    assert await stored(app) == before


async def test_withdrawing_refunds_votes_and_unfolds_what_was_merged_into_it(app: FacilitatorApp) -> None:
    """Votes exist while collecting only in a session that went back (or was seeded so): the
    rule is the same as for hiding, and each voter is told."""
    session_id = await session(app)
    await reply(app, BO, "DO: Keep notes", "2.1")
    await reply(app, CY, "DO: Keep a notebook", "2.2")
    await say(app, ANA, "merge 1 2")
    async with app.db.write(START) as store:  # a vote from an earlier round, put in directly
        voter = await store.spend_votes(session_id, CY.user_id, CY.name, 1, 3)
        assert voter is not None
        (item,) = (await store.items_by_number(session_id, (1,))).values()
        assert await store.add_vote(session_id, item.id, voter.id, 1)
    replies = await app.service.handle(BO, IN_THREAD, cmd.WithdrawItem("2.1"))
    assert [(r.private_to, r.kind) for r in replies] == [(None, ReplyKind.NOTICE), (CY.user_id, ReplyKind.NOTICE)]
    assert "came back" in replies[1].text
    state = await stored(app)
    assert [(number, hidden) for number, _, _, _, hidden in state["items"]] == [(2, False)]
    assert votes_used(state, CY) == 0 and state["votes"] == []
    assert ("withdraw", {"number": 1, "votes_refunded": 1}) in await audit(app)


async def test_someone_else_cannot_edit_an_item_through_its_message(app: FacilitatorApp) -> None:
    await session(app)
    await reply(app, BO, "DO: Mine", "2.1")
    assert await app.service.handle(CY, IN_THREAD, cmd.ReviseItem("2.1", "do", "Hijacked")) == []
    assert await items(app) == [(1, "do", "Mine")]


async def test_one_message_is_one_item_even_delivered_at_once(app: FacilitatorApp) -> None:
    await session(app)
    results = await asyncio.gather(*(reply(app, BO, "DO: Once", "2.1") for _ in range(5)))
    assert sorted(len(r) for r in results) == [0, 0, 0, 0, 1]
    assert await items(app) == [(1, "do", "Once")]


async def test_a_thread_is_found_in_its_own_channel_only(app: FacilitatorApp) -> None:
    await session(app)
    elsewhere = Place("shell", "c2", THREAD)  # another channel, a thread whose ts happens to match
    assert await say(app, BO, "DO: Wrong room", elsewhere) == []
    assert await app.service.session_for_thread(ANA.tenant, "c2", THREAD) is None
    assert await items(app) == []
    # A thread that is a channel of its own (Discord) is found by itself, too.
    assert await app.service.session_for_thread(ANA.tenant, THREAD, THREAD) is not None


async def test_the_form_for_a_new_item_is_refused_once_collecting_is_over(app: FacilitatorApp) -> None:
    session_id = await session(app)
    form = await app.service.item_form(BO, place(session_id=session_id))
    assert not hasattr(form, "kind") and getattr(form, "categories") == (("do", "DO"), ("dont", "DON'T"))
    await say(app, ANA, "end")
    refused = await app.service.item_form(BO, place(session_id=session_id))
    assert getattr(refused, "kind") is ReplyKind.ERROR and "closed" in getattr(refused, "text")


async def test_a_session_nobody_saw_is_discarded_entirely(app: FacilitatorApp) -> None:
    session_id = await start(app, ANA)
    await app.service.discard_unseen(session_id)
    assert await app.service.recent_sessions(ANA) == []
    assert (await stored(app, await start(app, ANA)))["item_count"] == 0  # the channel is free again
