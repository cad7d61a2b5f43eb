"""The work behind an answered click runs a few at a time, so a burst can't hold up the next answer.

Slack and Discord each want an answer (ack, defer) within 3 seconds, and both adapters give it
before doing any work. The work then follows on the same event loop: a vote, its reply, any
posts. Left to itself, a burst of 1,200 clicks left hundreds of those runnable at once, each
taking its turn on the loop between the answers still waiting, and the answers slowed down with
them. Behind a semaphore only a few of them run; the rest wait without costing the loop
anything, and the answers go out at close to the rate of a bot that does nothing else.
On the bench (figure 4) acks/s went from 0.37 to about 0.7 of a bare ack-only app, p99 from 87
to about 30 ms, and the work itself finished sooner (less contention for the SQLite write turn).

How many depends on the database. On SQLite writes take turns anyway and each is a fraction of a
millisecond of CPU on this loop, so more than two in progress add no throughput and only take
turns from the answers (best-of-3 bench runs on a shared machine, figures 4 and 5: at 2 slots
0.73 and 0.90 of the bare apps, at 8 about 0.7 and 0.7, with the same votes/s end to end). On
PostgreSQL a vote mostly waits on round trips, which the slots let overlap; eight stays below
the pool (facilitator.store.engine: 10 connections), so the work never queues for one.
"""

from __future__ import annotations

import asyncio

from facilitator.store.database import Database
from facilitator.store.engine import is_sqlite

SQLITE_SLOTS = 2
POSTGRES_SLOTS = 8


def slots_for(database: Database) -> int:
    return SQLITE_SLOTS if is_sqlite(database.engine) else POSTGRES_SLOTS


def work_slots(database: Database) -> asyncio.Semaphore:
    return asyncio.Semaphore(slots_for(database))
