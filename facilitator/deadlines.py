"""How a timed phase is described: shared by the intro, `/pln status` and the timer replies."""

from __future__ import annotations

from datetime import UTC, datetime

from facilitator.domain import Phase
from facilitator.store.models import SessionRow

ENDS = {
    Phase.COLLECTING: "Collecting ends and voting opens",
    Phase.VOTING: "Voting closes",
    Phase.DISCUSSING: "The session closes",
}


def timed_deadline(session: SessionRow) -> datetime | None:
    """The current phase's deadline in UTC, or None when the phase is not timed."""
    if session.deadline is None or session.deadline_phase != session.phase:
        return None
    deadline = session.deadline
    return deadline if deadline.tzinfo else deadline.replace(tzinfo=UTC)  # SQLite drops the zone


def phase_ends(session: SessionRow) -> str:
    deadline = timed_deadline(session)
    if deadline is None:
        return ""
    return f"{ENDS.get(Phase(session.phase), 'This phase ends')} at {deadline:%H:%M} UTC."
