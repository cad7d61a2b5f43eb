"""Pledges: what each person commits to give back after a session, and how they are followed up.

A pledge is open until its owner (or a facilitator) marks it done or dropped. While open, its
owner gets one private follow-up `followup` seconds after pledging; answering "Not yet" asks
once more one period later, and then never again (MAX_FOLLOWUPS).
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

FOLLOWUP_DEFAULT_SECONDS = 7 * 24 * 3600
FOLLOWUP_RANGE = (10, 90 * 24 * 3600)  # `settings followup=10s` .. `followup=90d`
MAX_FOLLOWUPS = 2  # the first one, and one more after "Not yet"
PLEDGE_TEXT_LIMIT = 500


class PledgeStatus(str, enum.Enum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


def first_followup(pledged_at: datetime, followup: int | None) -> datetime | None:
    """When the owner of a new pledge is first asked; None when follow-ups are off."""
    return None if followup is None else pledged_at + timedelta(seconds=followup)


def next_followup(now: datetime, followup: int | None, sent: int) -> datetime | None:
    """After "Not yet": one more follow-up a period later, unless `sent` already reached the limit."""
    if followup is None or sent >= MAX_FOLLOWUPS:
        return None
    return now + timedelta(seconds=followup)


def describe_followup(followup: int | None) -> str:
    """"7 days", "10 s", "off": how the setting reads to people."""
    if followup is None:
        return "off"
    days, rest = divmod(followup, 86400)
    if not rest:
        return f"{days} day{'s' if days != 1 else ''}"
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "", f"{minutes} min" if minutes else "",
             f"{seconds} s" if seconds else ""]
    return " ".join(p for p in parts if p)
