"""The worker that fires due deadlines and automatic reminders, beside each adapter's events.

`fire_due` claims one due deadline per transaction (store.schedule) and moves the phase with the
same conditional UPDATE that `/pln next` uses, so a deadline fires once even with several
workers, and never moves on a phase that a facilitator already ended by hand.

Posting is at most once: the claim commits before the replies are returned, so a process that
dies between the two loses the "time's up" message but never advances twice.

One session can't stop the others: a failure while firing it (anything but the database being
unreachable, which the next round retries) rolls its transaction back, is logged once with the
session id, and sets that session's timer aside, telling its starter to move on by hand. The
worker then carries on with the next session, in every process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from facilitator.app.context import Context
from facilitator.app.discussion import timebox_over
from facilitator.app.item_views import visible_item_views
from facilitator.app.pledge_followups import fire_followup
from facilitator.app.reading import ClosingRecord, closing_record, closing_replies
from facilitator.app.reminders import nudge_replies
from facilitator.app.sessions import CLOSING
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
NOTHING_TO_POST: list[Reply] = []
SET_ASIDE = (
    "The timer of {title} couldn't move it on: something went wrong on our side (the bot's log has the "
    "details). Nothing changed, and the timer is off; `/pln next` moves the session on by hand."
)


class SessionFailed(Exception):
    """Firing one session's deadline or reminder failed; its transaction was rolled back."""

    def __init__(self, session_id: int, what: str) -> None:
        super().__init__(f"session {session_id}: {what}")
        self.session_id = session_id
        self.what = what


@contextmanager
def _one_session(session_id: int, what: str) -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        if database_unavailable(exc):
            raise  # not this session's fault: the whole round is retried
        raise SessionFailed(session_id, what) from exc


async def fire_due(ctx: Context, now: datetime) -> list[Fired]:
    """Advance every session whose deadline has passed, once; then tell threads whose agenda
    item's timebox ran out; then send due reminders; then follow up pledges."""
    async with ctx.db.read(now) as store:
        if not await store.anything_due(now):
            return []
    fired: list[Fired] = []
    for claim in (_fire_deadline, _fire_timebox, _fire_nudge, fire_followup):
        for _ in range(MAX_FIRED_PER_CALL):
            try:
                outcome = await claim(ctx, now)
            except SessionFailed as failed:
                outcome = await _set_aside(ctx, now, failed)
            if outcome is None:
                break
            if outcome[1]:
                fired.append(outcome)
    return fired


async def _fire_deadline(ctx: Context, now: datetime) -> Fired | None:
    """The replies of the most overdue deadline, fired; None when none is due."""
    async with ctx.db.write(now) as store:
        claimed = await store.claim_due_deadline(now)
        if claimed is None:
            return None
        session, phase = claimed
        with _one_session(session.id, "deadline"):
            target = phase.following()
            if not await store.move_phase(session.id, phase, target):
                return session.id, NOTHING_TO_POST  # a facilitator moved it on first
            session.phase, session.deadline, session.deadline_phase = target.value, None, None
            items = await visible_item_views(store, session) if target is Phase.VOTING else ()
            intro = await intro_view(ctx, store, session)
            closing = await closing_record(ctx, store, session, target) if target in CLOSING else None
    return session.id, _advanced(session, phase, target, items, intro, closing)


async def _fire_timebox(ctx: Context, now: datetime) -> Fired | None:
    """An agenda item's timebox that ran out (`/pln next item 5m`), told to the thread once."""
    async with ctx.db.write(now) as store:
        boxed = await store.claim_due_item_deadline(now)
        if boxed is None:
            return None
        with _one_session(boxed.id, "timebox"):
            over = timebox_over(boxed)
    return boxed.id, over or NOTHING_TO_POST


async def _fire_nudge(ctx: Context, now: datetime) -> Fired | None:
    async with ctx.db.write(now) as store:
        due = await store.claim_due_nudge(now)
        if due is None:
            return None
        with _one_session(due.id, "reminder"):
            replies = await nudge_replies(store, due, None) if due.deadline_phase == due.phase else []
    return due.id, replies


async def _set_aside(ctx: Context, now: datetime, failed: SessionFailed) -> Fired:
    """Log the failure once, with its session, and take that session's due timer out of the
    queue (if still due: another worker may have done it already), so it can't fail again."""
    log.error("timer worker: firing the %s of session %s failed; setting it aside",
              failed.what, failed.session_id, exc_info=failed.__cause__)
    async with ctx.db.write(now) as store:
        session = await store.set_aside(failed.session_id, failed.what)
    if session is None or failed.what != "deadline":
        return failed.session_id, NOTHING_TO_POST
    text = SET_ASIDE.format(title=session.title)
    return failed.session_id, [msg.notice(session.started_by, text, session.id)]


def _advanced(
    session: SessionRow, phase: Phase, target: Phase, items: tuple[ItemView, ...], intro: IntroView,
    closing: ClosingRecord | None,
) -> list[Reply]:
    up = Reply(ReplyKind.NOTICE, f"Time's up for {phase.value}.", session_id=session.id, intro=intro)
    replies = [up, msg.phase_changed(session, target, items)]
    return replies + (closing_replies(session, closing) if closing is not None else [])


async def tenant_and_place(ctx: Context, session_id: int) -> tuple[str, Place] | None:
    """Where to post a fired session's replies: its tenant (Slack team, Discord guild), channel and thread."""
    async with ctx.db.read(ctx.clock()) as store:
        session = await store.session_by_id(session_id)
        if session is None:
            return None
        return session.tenant, Place(session.platform, session.channel, session.thread, session.id)


async def run_worker(ctx: Context, post: Post, stop: asyncio.Event, every_seconds: float = 5.0) -> None:
    """The loop an adapter runs beside its event handling: fire, post, wait, until `stop`.
    Nothing but cancellation ends it: a failure is logged and the next round tries again."""
    while not stop.is_set():
        try:
            fired = await fire_due(ctx, ctx.clock())
        except Exception as exc:
            if database_unavailable(exc):
                log.warning("timer worker: database unavailable (%s); retrying", type(exc).__name__)
            else:
                log.exception("timer worker: a round failed; carrying on")
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
