"""Pledges: `/pln pledge`, `/pln done`, `/pln drop`, and the "Not yet" button of a follow-up.

Anyone who joined may pledge, in any phase, closed sessions included: what people will give
back is often clearest at the end. A facilitator may pledge for someone (`pledge @person`); that
person is told privately and can decline with `/pln drop N`. Marking a pledge is for its owner
or a facilitator. Follow-ups are fired by app.timer_worker (app.pledge_followups).
"""

from __future__ import annotations

from facilitator import commands as cmd
from facilitator.app.context import Context
from facilitator.app.pledge_views import owner_shown, pledge_actions, pledge_line
from facilitator.app.sessions import resolve_person
from facilitator.domain.actors import Actor, Place
from facilitator.domain.errors import DomainError
from facilitator.domain.pledges import PledgeStatus, describe_followup, first_followup, next_followup
from facilitator.domain.text_rules import clean_pledge_text
from facilitator.replies import Reply, ReplyKind
from facilitator.replies import messages as msg
from facilitator.store.models import PledgeRow, SessionRow
from facilitator.store.store import Store

NOT_JOINED = "Join the session first (`/pln join LEVEL`), then pledge: a pledge is what a participant will give back."
FOR_SOMEONE = "pledge for someone else"

Marking = cmd.PledgeDone | cmd.PledgeDrop | cmd.PledgeLater


async def pledge(ctx: Context, actor: Actor, place: Place, command: cmd.Pledge) -> list[Reply]:
    now = ctx.clock()
    async with ctx.db.write(now) as store:
        session = await ctx.locate(store, actor, place, include_closed=True)
        text = clean_pledge_text(command.text)
        if command.owner is not None:
            if not await ctx.is_facilitator(store, actor, session):
                who = await ctx.facilitators_named(store, session)
                raise DomainError(f"Only the session's facilitators can {FOR_SOMEONE}. Ask {who}, or pledge "
                                  "for yourself with `/pln pledge TEXT`.", "not_facilitator")
            owner, owner_name = await resolve_person(store, session, command.owner, "pledge")
        else:
            me = await store.participant(session.id, actor.user_id)
            if me is None:
                raise DomainError(NOT_JOINED, "not_joined")
            owner, owner_name = actor.user_id, me.name
        if command.item is not None:
            await _require_item(store, session, command.item)
        row = await store.add_pledge(session, owner, owner_name, text, command.item, actor.user_id,
                                     first_followup(now, session.followup))
    return _pledged(session, row, actor)


async def _require_item(store: Store, session: SessionRow, number: int) -> None:
    found = (await store.items_by_number(session.id, (number,))).get(number)
    if found is None or found.hidden:
        raise DomainError(f"There is no item #{number} in this session to put into practice. Nothing was saved; "
                          "`/pln pledge TEXT` pledges without an item.", "unknown_item")


def _pledged(session: SessionRow, row: PledgeRow, actor: Actor) -> list[Reply]:
    public = Reply(ReplyKind.NOTICE, f"New pledge {pledge_line(session, row)}", session_id=session.id)
    when = (f"I'll ask {'you' if row.owner == actor.user_id else row.owner_name} privately how it went in "
            f"{describe_followup(session.followup)}." if session.followup else "Follow-ups are off in this session.")
    mine = msg.notice(actor.user_id, f"Pledge #{row.number} saved. {when} `/pln done {row.number}` once it's done.",
                      session.id)
    if row.owner == actor.user_id:
        return [public, mine]
    told = Reply(
        ReplyKind.NOTICE,
        f"{actor.name} pledged for you in {session.title}: \"{row.text}\" (pledge #{row.number}). If that isn't "
        f"yours to give, decline it with `/pln drop {row.number}` or the Drop button.",
        private_to=row.owner, session_id=session.id, direct=True,
        actions=pledge_actions(session.id, row.number, later=False),
    )
    return [public, mine, told]


async def done(ctx: Context, actor: Actor, place: Place, command: cmd.PledgeDone) -> list[Reply]:
    return await _mark(ctx, actor, place, command, PledgeStatus.DONE)


async def drop(ctx: Context, actor: Actor, place: Place, command: cmd.PledgeDrop) -> list[Reply]:
    return await _mark(ctx, actor, place, command, PledgeStatus.DROPPED)


async def _mark(ctx: Context, actor: Actor, place: Place, command: Marking, status: PledgeStatus) -> list[Reply]:
    async with ctx.db.write(ctx.clock()) as store:
        session, row = await _owned(ctx, store, actor, place, command)
        if row.status == status.value:
            return [msg.notice(actor.user_id, f"Pledge #{row.number} is already {status.value}.", session.id)]
        await store.set_pledge_status(row.id, status)
        row.status = status.value
    verb = "kept" if status is PledgeStatus.DONE else "dropped"
    owner = owner_shown(session, row)
    text = f"Pledge #{row.number}{f' ({owner})' if owner else ''} {verb}: {row.text}"
    replies = [Reply(ReplyKind.NOTICE, text, session_id=session.id)]
    if row.owner != actor.user_id:
        replies.append(msg.notice(row.owner, f"{actor.name} marked your pledge #{row.number} {status.value}: "
                                             f"{row.text}", session.id))
    return replies


async def later(ctx: Context, actor: Actor, place: Place, command: cmd.PledgeLater) -> list[Reply]:
    """"Not yet": one more follow-up a period later, then none."""
    now = ctx.clock()
    async with ctx.db.write(now) as store:
        session, row = await _owned(ctx, store, actor, place, command)
        if row.status != PledgeStatus.OPEN.value:
            return [msg.notice(actor.user_id, f"Pledge #{row.number} is {row.status} already.", session.id)]
        due = next_followup(now, session.followup, row.followups)
        await store.follow_up_later(row.id, due)
    if due is None:
        text = (f"No more reminders for pledge #{row.number}. `/pln done {row.number}` whenever it's done; "
                "it stays open until then.")
    else:
        text = f"Noted. I'll ask once more about pledge #{row.number} in {describe_followup(session.followup)}."
    return [msg.notice(actor.user_id, text, session.id)]


async def _owned(ctx: Context, store: Store, actor: Actor, place: Place, command: Marking) -> tuple[SessionRow, PledgeRow]:
    """The pledge a command names, if this person may mark it: its owner or a facilitator."""
    if command.session is not None:
        place = Place(place.platform, place.channel, place.thread, command.session)
    session = await ctx.locate(store, actor, place, include_closed=True)
    row = await store.pledge(session.id, command.number)
    if row is None:
        raise DomainError(f"There is no pledge #{command.number} in {session.title}. `/pln pledges` lists them "
                          "(`/pln pledges all`: every session here).", "unknown_pledge")
    if row.owner != actor.user_id and not await ctx.is_facilitator(store, actor, session):
        raise DomainError(f"Pledge #{row.number} is someone else's: only its owner or a facilitator can mark it. "
                          "Nothing was changed.", "not_owner")
    return session, row
