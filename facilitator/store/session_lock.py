"""Per-session serialisation: a write unit of work locks the session it looks up.

The invariant it keeps, on every database and with any number of bot processes: a vote, a
take-back, a hide, a restore, a merge, a phase change and an end on one session behave as if
one ran after the other. So every vote a person was told about is in the results posted when
voting closed and in every later export; hidden or merged-away items hold no votes; each
person's votes cast equal the votes they hold on visible items; the results posted at a phase
change are the store at that moment (they are read inside the phase change's transaction,
under this lock). tests/reliability/test_vote_races.py and test_multiprocess_races.py race
votes against each of these actions and check every one of these.

How, on PostgreSQL: a transaction-scoped advisory lock keyed by the session id, taken by the
statement that finds the session (BY_ID, BY_THREAD, OPEN_IN_CHANNEL below; `lock_first` for
the timer's claims), before the session row is read (FRESH). Votes,
take-backs and joins take it SHARED, so they run side by side, each kept exact by its own
atomic statements (store/vote_statements.py); everything else that writes takes it EXCLUSIVE by
default, so a use case added later is serialised without asking. Every statement after the lock
reads a snapshot taken once the lock is held (READ COMMITTED): a vote that waited for a hide
sees the item hidden, a hide that waited for votes sees every one of them, and the session row
is read again after the lock, so a vote that waited for `end` finds the session closed. Each
transaction locks one session, so there is no cycle to deadlock on; other sessions run in parallel.

Why an advisory lock rather than the session row (`FOR SHARE` / `FOR NO KEY UPDATE`), measured:
- PostgreSQL grants a row share lock to newcomers while an exclusive locker waits, so with
  votes holding the row FOR SHARE a burst of votes kept `hide` waiting until the burst was over
  (in the race test, all 60 votes of every run landed before the hide). The lock manager that
  holds advisory locks queues a new shared request behind a waiting exclusive one: an abusive
  item is hidden as soon as the votes already in flight commit.
- With everyone taking the row FOR NO KEY UPDATE (fair, no extra round trip), votes of one
  session ran one at a time: at 50 concurrent votes on PostgreSQL, 0.43-0.49 of the throughput
  of no lock at all. The advisory lock costs one more statement per write instead (prebuilt
  below), and keeps votes parallel: measured against no lock, within the noise of the machine
  (figures in docs/RELIABILITY.md).
- Advisory locks touch no row: no tuple lock written, no MultiXact for many share lockers.
  The two-int key space is ours by convention (NAMESPACE); another application on the same
  database using the same first key could only make us wait, never break a rule.

The vote on the driver (issue 17, store/pg_votes.py) is one call of the server-side function
facilitator_vote (migration 0009), which takes the same shared lock first. Inside one plain
statement the lock would come after the statement's snapshot, so what the vote checks (the
phase, hidden items) could predate a hide it waited for; a VOLATILE function takes a fresh
snapshot for each of its statements, so its checks see everything committed before the lock.
(Moving the lock after the checks makes tests/reliability/test_vote_races.py fail on PostgreSQL.)

SQLite needs none of this: a write transaction starts with BEGIN IMMEDIATE, which already
serialises every writer of the file, so session lookups there lock nothing more.
"""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import Integer, String, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from facilitator.domain.phases import Phase
from facilitator.store.models import SessionRow

# The first key of our two-int advisory locks (the second is the session id). Any fixed number:
# it only has to differ from the keys other users of the database choose.
NAMESPACE = 0x5E55  # "SESS"


class SessionLock(enum.Enum):
    SHARED = "shared"  # votes, take-backs, joins: side by side with each other
    EXCLUSIVE = "exclusive"  # moderation, phase changes, settings, submissions: one at a time


def _take(lock: SessionLock, session_id: Any) -> Any:
    taking = func.pg_advisory_xact_lock_shared if lock is SessionLock.SHARED else func.pg_advisory_xact_lock
    return taking(NAMESPACE, session_id)


def _locking(ids: Any) -> dict[SessionLock, Any]:
    """For each mode, one statement that locks the one session id `ids` finds and returns it.
    The lock is taken on that id only, never on rows the subquery merely scanned."""
    found = ids.subquery()
    return {lock: select(found.c.id, _take(lock, found.c.id)) for lock in SessionLock}


def _str(name: str) -> Any:
    return bindparam(name, type_=String)


# Built once: building a statement costs more than running a cached one (store/vote_statements.py).
BY_ID = {lock: select(_take(lock, bindparam("session_id", type_=Integer))) for lock in SessionLock}
BY_THREAD = _locking(  # as SessionsStore.session_by_thread finds it
    select(SessionRow.id).where(
        SessionRow.tenant == _str("tenant"), SessionRow.thread == _str("thread"),
        or_(SessionRow.channel == _str("channel"), SessionRow.thread == _str("channel")),
    ).order_by(SessionRow.id.desc()).limit(1)
)
OPEN_IN_CHANNEL = _locking(
    select(SessionRow.id).where(
        SessionRow.tenant == _str("tenant"), SessionRow.platform == _str("platform"),
        SessionRow.channel == _str("channel"), SessionRow.phase != Phase.CLOSED.value,
    ).order_by(SessionRow.id.desc()).limit(1)
)
# The row, read again once the lock is held.
FRESH = select(SessionRow).where(SessionRow.id == bindparam("session_id", type_=Integer)).execution_options(
    populate_existing=True)


async def lock_first(db: AsyncSession, ids: Any, lock: SessionLock) -> int | None:
    """The first session id `ids` (a SELECT of session ids, ordered, LIMIT 1) finds, locked in
    `lock` mode until the transaction ends; None when it finds none. For the rare lookups that
    have no statement above (claiming due deadlines)."""
    if db.get_bind().dialect.name != "postgresql":
        return await db.scalar(ids)  # type: ignore[no-any-return]
    return await db.scalar(_locking(ids)[lock])  # type: ignore[no-any-return]
