"""How a timed phase is described: shared by the intro, `/pln status` and the timer replies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from facilitator.domain.phases import Phase
from facilitator.domain.session import SessionState

MIN_TIMER_SECONDS = 10
MAX_TIMER_SECONDS = 24 * 3600

ENDS = {
    Phase.COLLECTING: "Collecting ends and voting opens",
    Phase.VOTING: "Voting closes",
    Phase.DISCUSSING: "The session closes",
}


def timed_deadline(session: SessionState) -> datetime | None:
    """The current phase's deadline in UTC, or None when the phase is not timed."""
    if session.deadline is None or session.deadline_phase != session.phase:
        return None
    deadline = session.deadline
    return deadline if deadline.tzinfo else deadline.replace(tzinfo=UTC)  # SQLite drops the zone


def phase_ends(session: SessionState) -> str:
    deadline = timed_deadline(session)
    if deadline is None:
        return ""
    return f"{ENDS.get(Phase(session.phase), 'This phase ends')} at {deadline:%H:%M} UTC."


def human(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h" if hours else "", f"{minutes} min" if minutes else "", f"{secs} s" if secs and not hours else ""]
    return " ".join(p for p in parts if p) or "0 s"


def time_left(session: SessionState, now: datetime) -> str | None:
    """"Time left: 12 min (voting closes at 18:40 UTC)" while the current phase is timed."""
    deadline = timed_deadline(session)
    if deadline is None:
        return None
    ends = ENDS.get(Phase(session.phase), "This phase ends").lower()
    return f"Time left: {human((deadline - now).total_seconds())} ({ends} at {deadline:%H:%M} UTC)"


NUDGE_LEAD = timedelta(minutes=2)  # the automatic reminder goes out this long before the deadline


def nudge_time(phase: Phase, now: datetime, deadline: datetime) -> datetime | None:
    if phase not in (Phase.COLLECTING, Phase.VOTING):
        return None
    lead = min(NUDGE_LEAD, (deadline - now) / 2)
    return deadline - lead if lead >= timedelta(seconds=15) else None
