"""The work behind an answered click runs a few at a time, so a burst can't hold up the next answer.

Slack and Discord each want an answer (ack, defer) within 3 seconds, and both adapters give it
before doing any work. The work then follows on the same event loop: a vote, its reply, any
posts. Left to itself, a burst of 1,200 clicks left hundreds of those runnable at once, each
taking its turn on the loop between the answers still waiting, and the answers slowed down with
them. Behind a semaphore only WORK_SLOTS of them run; the rest wait without costing the loop
anything, and the answers go out at close to the rate of a bot that does nothing else.
On the bench (figure 4) acks/s went from 0.37 to 0.6-0.7 of a bare ack-only app, p99 from 87 to
under 40 ms, and the work itself finished sooner (less contention for the SQLite write turn).

Eight keeps a few replies in flight while the database works, and stays below PostgreSQL's pool
(facilitator.store.engine: 5 + 5 connections), so the work never queues for a connection.
"""

from __future__ import annotations

import asyncio

WORK_SLOTS = 8


def work_slots() -> asyncio.Semaphore:
    return asyncio.Semaphore(WORK_SLOTS)
