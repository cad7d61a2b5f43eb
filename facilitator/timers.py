"""Timed phases: `/pln timer 10m`, `/pln next 10m`, and the worker that fires due deadlines.

A deadline lives in the sessions row (deadline, deadline_phase), so it survives restarts
and every bot process sees it. `fire_due` claims one due deadline per transaction (see
DepthStore.claim_due_deadline) and moves the phase with the same conditional UPDATE that
`/pln next` uses, so a deadline fires once even with several workers, and never moves on a
phase that a facilitator already ended by hand.

Posting is at most once: the claim commits before the replies are returned, so a process
that dies between the two loses the "time's up" message but never advances twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from facilitator import commands as cmd
from facilitator import messages as msg
from facilitator.item_views import visible_item_views
from facilitator.actors import Actor, Place
from facilitator.domain import DomainError, Phase
from facilitator.nudges import nudge_replies
from facilitator.deadlines import ENDS, timed_deadline
from facilitator.replies import IntroView, ItemView, Reply, ReplyKind
from facilitator.store.depth_repository import DepthStore
from facilitator.store.models import SessionRow
from facilitator.store.repository import Repository
from facilitator.unavailable import database_unavailable

if TYPE_CHECKING:
    from facilitator.service import FacilitationService

log = logging.getLogger(__name__)
NUDGE_LEAD = timedelta(minutes=2)  # the automatic reminder goes out this long before the deadline
MAX_FIRED_PER_CALL = 100
Fired = tuple[int, list[Reply]]

def human(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h" if hours else "", f"{minutes} min" if minutes else "", f"{secs} s" if secs and not hours else ""]
    return " ".join(p for p in parts if p) or "0 s"


def time_left(session: SessionRow, now: datetime) -> str | None:
    """"Time left: 12 min (voting closes at 18:40 UTC)" while the current phase is timed."""
    deadline = timed_deadline(session)
    if deadline is None:
        return None
    ends = ENDS.get(Phase(session.phase), "This phase ends").lower()
    return f"Time left: {human((deadline - now).total_seconds())} ({ends} at {deadline:%H:%M} UTC)"


def nudge_time(phase: Phase, now: datetime, deadline: datetime) -> datetime | None:
    if phase not in (Phase.COLLECTING, Phase.VOTING):
        return None
    lead = min(NUDGE_LEAD, (deadline - now) / 2)
    return deadline - lead if lead >= timedelta(seconds=15) else None


class Timers:
    def __init__(self, service: FacilitationService) -> None:
        self.service = service

    async def set_timer(self, actor: Actor, place: Place, seconds: int | None) -> list[Reply]:
        now = self.service.clock()
        async with self.service.db.write(now) as repo:
            session = await self.service.locate(repo, actor, place)
            await self.service.require_facilitator(repo, actor, session, "set a timer")
            phase = Phase(session.phase)
            if phase is Phase.CLOSED:
                raise DomainError("This session is closed; there is nothing left to time.", "closed")
            store = DepthStore(repo)
            if seconds is None:
                await store.set_deadline(session.id, None, None, None)
                await store.record(session.id, actor.user_id, actor.name, "timer", seconds=None, phase=phase.value)
                session.deadline = session.deadline_phase = None
                return [Reply(ReplyKind.NOTICE, "The timer is off: the facilitator moves the session on.",
                              session_id=session.id, intro=await _intro(self.service, repo, session))]
            deadline = now + timedelta(seconds=seconds)
            await store.set_deadline(session.id, deadline, phase, nudge_time(phase, now, deadline))
            await store.record(session.id, actor.user_id, actor.name, "timer", seconds=seconds, phase=phase.value)
            session.deadline, session.deadline_phase = deadline, phase.value
            intro = await _intro(self.service, repo, session)
        return [_timer_set(session, phase, seconds, deadline, intro)]

    async def next_with_timer(self, actor: Actor, place: Place, seconds: int) -> list[Reply]:
        replies = await self.service.handle(actor, place, cmd.Next())
        phase_moved = any(r.kind is ReplyKind.PHASE for r in replies)
        session_id = next((r.session_id for r in replies if r.session_id is not None), None)
        if not phase_moved or session_id is None:
            return replies
        where = Place(place.platform, place.channel, place.thread, session_id)
        try:
            return replies + await self.set_timer(actor, where, seconds)
        except DomainError as exc:  # e.g. that `next` closed the session: nothing left to time
            return replies + [msg.notice(actor.user_id, f"No timer set: {exc.message}", session_id)]


def _timer_set(session: SessionRow, phase: Phase, seconds: int, deadline: datetime, intro: IntroView) -> Reply:
    """Carries the intro with its new deadline, so an adapter can update the intro message in place."""
    text = f"{ENDS[phase]} in {human(seconds)} (at {deadline:%H:%M} UTC)."
    return Reply(
        ReplyKind.NOTICE,
        text,
        session_id=session.id,
        intro=intro,
        extra=(("deadline", deadline.isoformat()), ("phase", phase.value)),
    )


async def _intro(service: FacilitationService, repo: Repository, session: SessionRow) -> IntroView:
    starter = next((h.name for h in await repo.hosts_of(session.id) if h.user_id == session.started_by), "")
    view = msg.intro(session, service.template_of(session), starter).intro
    assert view is not None
    return view


async def fire_due(service: FacilitationService, now: datetime) -> list[Fired]:
    """Advance every session whose deadline has passed, once; then send due reminders."""
    async with service.db.read(now) as repo:
        if not await DepthStore(repo).anything_due(now):
            return []
    fired: list[Fired] = []
    for _ in range(MAX_FIRED_PER_CALL):
        async with service.db.write(now) as repo:
            claimed = await DepthStore(repo).claim_due_deadline(now)
            if claimed is None:
                break
            session, phase = claimed
            target = phase.following()
            moved = await repo.move_phase(session.id, phase, target)
            if not moved:
                continue
            session.phase, session.deadline, session.deadline_phase = target.value, None, None
            items = await visible_item_views(repo, session) if target is Phase.VOTING else ()
            intro = await _intro(service, repo, session)
        fired.append((session.id, await _advanced(service, session, phase, target, items, intro)))
    for _ in range(MAX_FIRED_PER_CALL):
        async with service.db.write(now) as repo:
            due = await DepthStore(repo).claim_due_nudge(now)
            if due is None:
                break
            replies = await nudge_replies(repo, due, None) if due.deadline_phase == due.phase else []
        if replies:
            fired.append((due.id, replies))
    return fired


async def _advanced(
    service: FacilitationService,
    session: SessionRow,
    phase: Phase,
    target: Phase,
    items: tuple[ItemView, ...],
    intro: IntroView,
) -> list[Reply]:
    up = Reply(ReplyKind.NOTICE, f"Time's up for {phase.value}.", session_id=session.id, intro=intro)
    replies = [up, msg.phase_changed(session, target, items)]
    if target in (Phase.DISCUSSING, Phase.CLOSED):
        replies.extend(await service.reading.closing_replies(session, target))
    return replies


async def place_of(service: FacilitationService, session_id: int) -> Place | None:
    """Where to post a fired session's replies: its channel and thread."""
    found = await tenant_and_place(service, session_id)
    return None if found is None else found[1]


async def tenant_and_place(service: FacilitationService, session_id: int) -> tuple[str, Place] | None:
    """The session's tenant (Slack team, Discord guild) as well, for adapters with a client per tenant."""
    async with service.db.read(service.clock()) as repo:
        session = await repo.session_by_id(session_id)
        if session is None:
            return None
        return session.tenant, Place(session.platform, session.channel, session.thread, session.id)


async def run_worker(
    service: FacilitationService,
    post: Callable[[int, list[Reply]], Awaitable[None]],
    stop: asyncio.Event,
    every_seconds: float = 5.0,
) -> None:
    """The loop an adapter runs beside its event handling: fire, post, wait, until `stop`."""
    while not stop.is_set():
        try:
            fired = await fire_due(service, service.clock())
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
