"""Timed phases: `/pln timer 10m` and `/pln next 10m`.

A deadline lives in the sessions row (deadline, deadline_phase), so it survives restarts and
every bot process sees it; app.timer_worker fires it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from facilitator import commands as cmd
from facilitator.app.context import Context
from facilitator.app.pledge_views import earlier_open_pledges
from facilitator.app.sessions import advance
from facilitator.domain.actors import Actor, Place
from facilitator.domain.deadlines import ENDS, human, nudge_time
from facilitator.domain.errors import DomainError
from facilitator.domain.phases import Phase
from facilitator.replies import IntroView, Reply, ReplyKind
from facilitator.replies import messages as msg
from facilitator.store.models import SessionRow
from facilitator.store.store import Store


async def set_timer(ctx: Context, actor: Actor, place: Place, command: cmd.Timer) -> list[Reply]:
    now = ctx.clock()
    seconds = command.seconds
    async with ctx.db.write(now) as store:
        session = await ctx.locate(store, actor, place)
        await ctx.authorize(store, actor, session, command)
        phase = Phase(session.phase)
        if phase is Phase.CLOSED:
            raise DomainError("This session is closed; there is nothing left to time.", "closed")
        if seconds is None:
            await store.set_deadline(session.id, None, None, None)
            await store.record(session.id, actor.user_id, actor.name, "timer", {"seconds": None, "phase": phase.value})
            session.deadline = session.deadline_phase = None
            return [Reply(ReplyKind.NOTICE, "The timer is off: the facilitator moves the session on.",
                          session_id=session.id, intro=await intro_view(ctx, store, session))]
        deadline = now + timedelta(seconds=seconds)
        await store.set_deadline(session.id, deadline, phase, nudge_time(phase, now, deadline))
        await store.record(session.id, actor.user_id, actor.name, "timer", {"seconds": seconds, "phase": phase.value})
        session.deadline, session.deadline_phase = deadline, phase.value
        intro = await intro_view(ctx, store, session)
    return [_timer_set(session, phase, seconds, deadline, intro)]


async def next_phase(ctx: Context, actor: Actor, place: Place, command: cmd.Next) -> list[Reply]:
    """`/pln next`, and with a duration (`/pln next 10m`) a timer on the phase it opens."""
    replies = await advance(ctx, actor, place, command)
    if command.seconds is None:
        return replies
    session_id = next((r.session_id for r in replies if r.session_id is not None), None)
    if session_id is None:
        return replies
    where = Place(place.platform, place.channel, place.thread, session_id)
    try:
        return replies + await set_timer(ctx, actor, where, cmd.Timer(command.seconds))
    except DomainError as exc:  # e.g. that `next` closed the session: nothing left to time
        return replies + [msg.notice(actor.user_id, f"No timer set: {exc.message}", session_id)]


def _timer_set(session: SessionRow, phase: Phase, seconds: int, deadline: datetime, intro: IntroView) -> Reply:
    """Carries the intro with its new deadline, so an adapter can update the intro message in place."""
    text = f"{ENDS[phase]} in {human(seconds)} (at {deadline:%H:%M} UTC)."
    return Reply(ReplyKind.NOTICE, text, session_id=session.id, intro=intro)


async def intro_view(ctx: Context, store: Store, session: SessionRow) -> IntroView:
    starter = next((h.name for h in await store.hosts_of(session.id) if h.user_id == session.started_by), "")
    view = msg.intro(session, ctx.template_of(session), starter, await earlier_open_pledges(store, session)).intro
    assert view is not None
    return view
