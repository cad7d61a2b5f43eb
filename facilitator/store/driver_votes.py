"""The vote (and its take-back) on the driver: one server-side call on PostgreSQL, two statements in one SQLite
transaction, through the connection SQLAlchemy's own pool holds (issue 17).

Through the ORM a vote cost about 40 times a raw commit: SQLAlchemy's execution context,
AsyncSession bookkeeping, statement caching and the greenlet bridge, five statements on SQLite
and six to nine round trips on PostgreSQL (BEGIN, the session lock, reads, the budget, the
vote, COMMIT, and the idle ping's own transaction). Here the same rules are enforced by the
statements themselves, with the domain's inputs (the phases that take votes, the per-item
repeats asked), and the statements answer only "done" or "not done": whenever any rule says
no they write nothing, and participation.vote falls back to the slow path, which finds out why
and words the refusal. So the words never depend on which path ran.

- PostgreSQL: `SELECT * FROM facilitator_vote(...)` (migration 0009): one prepared statement,
  one round trip, no BEGIN or COMMIT (its implicit transaction holds the session lock), no idle
  ping (pg_driver.py checks the connection for free and replaces a dead one before sending).
- SQLite: BEGIN IMMEDIATE, the budget statement (which also checks the session, its phase and
  the items, as the write lock is held), the votes statement, COMMIT. The two writes touch two
  tables, and SQLite has no data-modifying CTE, so this is the fewest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# The most numbers one request may name (the grammar allows 25 in one command); a bigger one
# takes the slow path.
MOST_NUMBERS = 64


@dataclass(frozen=True)
class Addressed:
    """Who acts, and the session as the request names it: by id, else by its thread or channel."""

    session_id: int | None
    tenant: str
    platform: str
    channel: str
    thread: str | None
    user_id: str

    def address(self) -> dict[str, object]:
        """The fields above as named statement parameters."""
        return {"session_id": self.session_id, "tenant": self.tenant, "platform": self.platform,
                "channel": self.channel, "thread": self.thread, "user_id": self.user_id}


@dataclass(frozen=True)
class VoteRequest(Addressed):
    """A vote as the statements take it. `weights` is how many votes each distinct number asks
    for (`vote 2 2` asks two on #2); `phases` the phases that accept a vote."""

    name: str
    numbers: tuple[int, ...]
    weights: tuple[int, ...]
    phases: tuple[str, ...]
    now: datetime
    # The platform request's replay claim (store/claims.py), written with the vote or not at all.
    claim_key: str | None = None

    @property
    def asked(self) -> int:
        return sum(self.weights)

    @property
    def most_on_one(self) -> int:
        return max(self.weights)


@dataclass(frozen=True)
class DriverVoted:
    """A vote the driver path wrote and committed."""

    session_id: int
    participant_id: int
    level: str
    votes_used: int
    vote_budget: int
    template: str
    template_snapshot: str | None  # only when the voter's level is unspecified
    level_prompt_due: bool = False  # claimed in the vote's transaction: ask them to pick a level now


@dataclass(frozen=True)
class UnvoteRequest(Addressed):
    number: int
    phases: tuple[str, ...]
    now: datetime  # when the claim is stamped
    claim_key: str | None = None


@dataclass(frozen=True)
class DriverUnvoted:
    """A vote the driver path took back and committed."""

    session_id: int
    votes_used: int  # after the take-back
    vote_budget: int
