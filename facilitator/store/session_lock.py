"""Per-session serialisation: what a write unit of work locks when it looks a session up.

The invariant it keeps, on every database and with any number of bot processes: a vote, a
take-back, a hide, a restore, a merge, a phase change and an end on one session behave as if
one ran after the other. So every vote a person was told about is in the results posted when
voting closed and in every later export; hidden or merged-away items hold no votes; each
person's votes cast equal the votes they hold on visible items; the results posted at a phase
change are the store at that moment (they are read inside the phase change's transaction).

How: the lookup of the session row is itself the lock, so it costs no extra round trip.

- Votes, take-backs and joins take SHARED (`FOR SHARE`): they run side by side, each kept
  exact by its own atomic statements (store/vote_statements.py), and they wait for, or hold
  off, any EXCLUSIVE holder.
- Everything else that writes takes EXCLUSIVE (`FOR NO KEY UPDATE`) by default, so a use case
  added later is serialised without having to remember to ask. NO KEY UPDATE rather than
  UPDATE: the foreign-key checks of inserts into votes, items and participants take KEY SHARE
  on the session row, which NO KEY UPDATE lets through.
- Under READ COMMITTED each statement after the lock reads a fresh snapshot, taken once the
  lock is held, so a vote that waited for a hide sees the item hidden, and a hide that waited
  for votes sees every one of them. PostgreSQL re-checks the locked row's own WHERE against
  its newest version, so a vote that waited for `end` finds no open session.

Why a row lock rather than an advisory lock keyed by session id: the row lock rides on the
SELECT the use case makes anyway (an advisory lock is one more round trip), needs no key
space shared with other applications of the database, and is what a single-statement vote
(issue 17) can take too: `... FROM sessions WHERE id = :id AND phase = 'voting' FOR SHARE` in
its first CTE, with the items it checks locked FOR SHARE as well, because PostgreSQL re-checks
locked rows (and only those) against their newest version when it had to wait. Its cost is
measured by `python -m bench --figures 1` (docs/RELIABILITY.md).

SQLite needs none of this: a write transaction starts with BEGIN IMMEDIATE, which already
serialises every writer of the file, so the FOR clause is left out there.
"""

from __future__ import annotations

import enum
from typing import Any


class SessionLock(enum.Enum):
    SHARED = "shared"  # votes, take-backs, joins: side by side with each other
    EXCLUSIVE = "exclusive"  # moderation, phase changes, settings, submissions: one at a time


def locking(query: Any, lock: SessionLock | None) -> Any:
    """`query` (a SELECT of session rows) taking `lock`, and refreshing any row this unit of
    work had already loaded, since the locked row may be newer."""
    if lock is None:
        return query
    if lock is SessionLock.SHARED:
        query = query.with_for_update(read=True)
    else:
        query = query.with_for_update(key_share=True)
    return query.execution_options(populate_existing=True)
