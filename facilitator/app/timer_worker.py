"""The worker that fires due deadlines and automatic reminders, beside each adapter's events.

`fire_due` claims one due deadline per transaction (store.schedule) and moves the phase with the
same conditional UPDATE that `/pln next` uses, so a deadline fires once even with several
workers, and never moves on a phase that a facilitator already ended by hand.

Posting is at most once: the claim commits before the replies are returned, so a process that
dies between the two loses the "time's up" message but never advances twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from facilitator.app.context import Context
from facilitator.app.discussion import timebox_over
from facilitator.app.item_views import visible_item_views
from facilitator.app.reading import closing_replies
from facilitator.app.reminders import nudge_replies
from facilitator.app.timers import intro_view
from facilitator.domain.actors import Place
from facilitator.domain.phases import Phase
from facilitator.replies import IntroView, ItemView, Reply, ReplyKind
from facilitator.replies import messages as msg
from facilitator.store.models import SessionRow
from facilitator.store.unavailable import database_unavailable

log = logging.getLogger(__name__)
MAX_FIRED_PER_CALL = 100
Fired = tuple[int, list[Reply]]
Post = Callable[[int, list[Reply]], Awaitable[None]]


async def fire_due(ctx: Context, now: datetime) -> list[Fired]:
    """Advance every session whose deadline has passed, once; then tell threads whose agenda
    item's timebox ran out; then send due reminders."""
    async with ctx.db.read(now) as store:
        if not await store.anything_due(now):
            return []
    fired: list[Fired] = []
    for _ in range(MAX_FIRED_PER_CALL):
        async with ctx.db.write(now) as store:
            claimed = await store.claim_due_deadline(now)
            if claimed is None:
                break
            session, phase = claimed
            target = phase.following()
            moved = await store.move_phase(session.id, phase, target)
            if not moved:
                continue
            session.phase, session.deadline, session.deadline_phase = target.value, None, None
            items = await visible_item_views(store, session) if target is Phase.VOTING else ()
            intro = await intro_view(ctx, store, session)
        fired.append((session.id, await _advanced(ctx, session, phase, target, items, intro)))
    for _ in range(MAX_FIRED_PER_CALL):
        async with ctx.db.write(now) as store:
            boxed = await store.claim_due_item_deadline(now)
        if boxed is None:
            break
        if over := timebox_over(boxed):
            fired.append((boxed.id, over))
    for _ in range(MAX_FIRED_PER_CALL):
        async with ctx.db.write(now) as store:
            due = await store.claim_due_nudge(now)
            if due is None:
                break
            replies = await nudge_replies(store, due, None) if due.deadline_phase == due.phase else []
        if replies:
            fired.append((due.id, replies))
    return fired


async def _advanced(
    ctx: Context, session: SessionRow, phase: Phase, target: Phase, items: tuple[ItemView, ...], intro: IntroView
) -> list[Reply]:
    up = Reply(ReplyKind.NOTICE, f"Time's up for {phase.value}.", session_id=session.id, intro=intro)
    replies = [up, msg.phase_changed(session, target, items)]
    if target in (Phase.DISCUSSING, Phase.CLOSED):
        replies.extend(await closing_replies(ctx, session, target))
    return replies


async def tenant_and_place(ctx: Context, session_id: int) -> tuple[str, Place] | None:
    """Where to post a fired session's replies: its tenant (Slack team, Discord guild), channel and thread."""
    async with ctx.db.read(ctx.clock()) as store:
        session = await store.session_by_id(session_id)
        if session is None:
            return None
        return session.tenant, Place(session.platform, session.channel, session.thread, session.id)


async def run_worker(ctx: Context, post: Post, stop: asyncio.Event, every_seconds: float = 5.0) -> None:
    """The loop an adapter runs beside its event handling: fire, post, wait, until `stop`."""
    while not stop.is_set():
        try:
            fired = await fire_due(ctx, ctx.clock())
        except Exception as exc:
            if not database_unavailable(exc):
                raise
            log.warning("timer worker: database unavailable (%s); retrying", type(exc).__name__)
            fired = []
        for session_id, replies in fired:
            try:
                await post(session_id, replies)
            except Exception:  # one thread we can't post to must not stop the others' timers
                log.exception("timer worker: posting to session %s failed", session_id)
        try:
            await asyncio.wait_for(stop.wait(), every_seconds)
        except TimeoutError:
            pass
