"""Follow-ups of pledges, fired by the timer worker: one private "Did you ...?" to the owner with
Done / Not yet / Drop, once per claim across every process (store/pledges.py), by direct message
(Reply.direct): days after the session its thread is long gone from view.

An owner who asked for quiet (`/pln quiet` in that session) is not messaged; the claim still
counts, so the follow-up is not retried either.
"""

from __future__ import annotations

import logging
from datetime import datetime

from facilitator.app.context import Context
from facilitator.app.pledge_views import pledge_actions
from facilitator.domain.pledges import MAX_FOLLOWUPS
from facilitator.replies import Reply, ReplyKind
from facilitator.store.models import PledgeRow, SessionRow
from facilitator.store.unavailable import database_unavailable

log = logging.getLogger(__name__)

FollowedUp = tuple[int, list[Reply]]


async def fire_followup(ctx: Context, now: datetime) -> FollowedUp | None:
    """The most overdue follow-up, claimed and worded; None when none is due.

    The claim commits on its own, before anything else is read: a follow-up that then fails to
    be worded is logged and lost (at most once, like a deadline's "Time's up"), and can't fail
    every round again, holding up the follow-ups behind it."""
    async with ctx.db.write(now) as store:
        row = await store.claim_due_followup(now)
        if row is None:
            return None
        session_id = row.session_id
    try:
        async with ctx.db.read(now) as store:
            session = await store.session_of_pledge(row)
            person = await store.participant(session.id, row.owner)
            if person is not None and person.quiet:
                return session.id, []
            return session.id, [followup_reply(session, row)]
    except Exception as exc:
        if database_unavailable(exc):
            raise
        log.exception("timer worker: the follow-up of pledge %s of session %s failed; it is not retried",
                      row.number, session_id)
        return session_id, []


def followup_reply(session: SessionRow, row: PledgeRow) -> Reply:
    again = "" if row.followups < MAX_FOLLOWUPS else " (the last reminder about it)"
    item = f" (item #{row.item})" if row.item is not None else ""
    text = (
        f"A follow-up from {session.title}{again}: did you do what you pledged{item}? \"{row.text}\"\n"
        f"Done: `/pln done {row.number} session={session.id}`. Not yet: the button asks once more later. "
        f"Drop: `/pln drop {row.number} session={session.id}`. (`/pln quiet` in the session stops these.)"
    )
    return Reply(ReplyKind.NOTICE, text, private_to=row.owner, session_id=session.id, direct=True,
                 actions=pledge_actions(session.id, row.number, later=row.followups < MAX_FOLLOWUPS))
