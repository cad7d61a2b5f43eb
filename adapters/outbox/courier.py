"""Delivers what the bot owes a platform at the platform's rate, without losing it.

A message goes out at once when its lane (method and workspace) has budget and nothing of this
process waits ahead of it on that lane. Otherwise it is written to the outbox table and a
background task sends it when the budget allows, merging what waits for one person into one
message (the platform's `merge` says how), until it is delivered or expires. A 429 closes the
lane for Retry-After and puts the message back; a refusal that will not change (the channel is
gone) drops it. Every drop is logged with its reason and counted (`counts`).

Nothing here holds a work slot: deliveries run on their own tasks, after the ack, so storing
never waits for them (adapters/pacing.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from adapters.outbox.budgets import Budgets, Lane
from facilitator.app.outbox import Letter, OutboxQueue, Queued

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=60)  # a send takes a second or two; past this a claimer is presumed dead
POLL_SECONDS = 1.0  # how often a running courier looks for rows other processes left behind
SEND_CONCURRENCY = 8
GATHER_SECONDS = 0.02  # letters queued this close together share one transaction
MERGE_PER_PERSON = 20  # notices waiting for one person, taken along with their oldest


@dataclass(frozen=True)
class Delivered:
    pass


@dataclass(frozen=True)
class Later:
    seconds: float  # the platform's Retry-After
    rate_limited: bool = True


@dataclass(frozen=True)
class Dropped:
    reason: str


Outcome = Delivered | Later | Dropped
Send = Callable[[Letter, dict[str, Any]], Awaitable[Outcome]]
# Groups of waiting letters that may go as one message, and that message's body.
Merge = Callable[[Sequence[Queued]], list[tuple[list[Queued], dict[str, Any]]]]


def one_each(queued: Sequence[Queued]) -> list[tuple[list[Queued], dict[str, Any]]]:
    return [([q], q.letter.body) for q in queued]


class Courier:
    def __init__(self, queue: OutboxQueue, platform: str, budgets: Budgets, send: Send,
                 merge: Merge = one_each, lease: timedelta = LEASE,
                 lane_of: Callable[[str, str], Lane] = lambda tenant, method: (tenant, method)) -> None:
        """`lane_of(tenant, method)`: the budget a call spends (by default per method and
        workspace; Discord's global limit is one lane for every guild)."""
        self.lane_of = lane_of
        self.queue = queue
        self.platform = platform
        self.budgets = budgets
        self._send = send
        self.merge = merge
        self.lease = lease
        self.counts: Counter[str] = Counter()  # delivered, merged, queued, retried, dropped:<reason>
        self._backlog: Counter[Lane] = Counter()  # this process's rows waiting, by lane
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._keep_polling = False
        self._sends = asyncio.Semaphore(SEND_CONCURRENCY)
        self._gathered: list[Letter] = []
        self._flushed: asyncio.Future[None] | None = None
        self._flusher: asyncio.Task[None] | None = None

    def lane(self, letter: Letter) -> Lane:
        return self.lane_of(letter.tenant, letter.method)

    async def deliver(self, letters: Sequence[Letter]) -> None:
        """Send now what the budget allows, queue the rest (in the database)."""
        waiting: list[Letter] = []
        for letter in letters:
            lane = self.lane(letter)
            if waiting or self._backlog[lane] or not self.budgets.take(lane):
                waiting.append(letter)  # never overtake what waits: one person's replies stay in order
                continue
            outcome = await self._attempt(letter, letter.body)
            if isinstance(outcome, Later):
                waiting.append(letter)
        if waiting:
            for letter in waiting:
                self._backlog[self.lane(letter)] += 1
            await self._write(waiting)
            self.counts["queued"] += len(waiting)
            self.start()
            # Only when one could go now: in a burst the budget is spent, and a round for every
            # queued letter would read the table once per click for nothing.
            if any(self.budgets.wait(self.lane(letter)) == 0 for letter in waiting):
                self._wake.set()

    async def _write(self, letters: Sequence[Letter]) -> None:
        """Into the outbox table, together with whatever else this process queues within
        GATHER_SECONDS: in a burst one transaction carries dozens of letters, where one each
        would take SQLite's write turn from the votes as often as the votes themselves.
        Returns once they are committed."""
        self._gathered.extend(letters)
        if self._flushed is None:
            self._flushed = asyncio.get_running_loop().create_future()
            self._flusher = asyncio.get_running_loop().create_task(self._flush())
        flushed = self._flushed
        await asyncio.shield(flushed)

    async def _flush(self) -> None:
        await asyncio.sleep(GATHER_SECONDS)
        letters, self._gathered = self._gathered, []
        flushed, self._flushed = self._flushed, None
        assert flushed is not None
        try:
            await self.queue.put(letters)
        except Exception as exc:
            flushed.set_exception(exc)
            flushed.exception()  # retrieved here, raised to every waiter
        else:
            flushed.set_result(None)

    async def _attempt(self, letter: Letter, body: dict[str, Any]) -> Outcome:
        async with self._sends:
            try:
                outcome = await self._send(letter, body)
            except Exception as exc:  # a bug or a network fault: keep the message, try again later
                log.warning("outbox: a %s call failed (%s); kept for a retry", letter.method, type(exc).__name__)
                outcome = Later(5.0, rate_limited=False)
        if isinstance(outcome, Delivered):
            self.counts["delivered"] += 1
        elif isinstance(outcome, Later):
            if outcome.rate_limited:
                self.budgets.learn(self.lane(letter), outcome.seconds)
            self.counts["retried"] += 1
        else:
            self._dropped(letter, outcome.reason)
        return outcome

    def _dropped(self, letter: Letter, reason: str) -> None:
        log.warning("outbox: dropped a %s for %s in %s: %s", letter.method, letter.recipient or letter.channel,
                    letter.tenant, reason)
        self.counts[f"dropped:{reason}"] += 1

    # The background task

    def start(self, keep_polling: bool = False) -> None:
        """Run the sender if it isn't running. `keep_polling`: keep looking for rows left by other
        (or earlier) processes even when this one has none (a bot's main loop); else it ends
        once the table holds nothing for this platform."""
        self._keep_polling = self._keep_polling or keep_polling
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name=f"outbox-{self.platform}")

    async def stop(self) -> None:
        if self._flusher is not None and not self._flusher.done():
            await asyncio.gather(self._flusher, return_exceptions=True)  # letters being written: let them land
        task, self._task = self._task, None
        if task is not None:
            task.cancel()  # a send cut short keeps its lease: the row goes again once it runs out
            await asyncio.gather(task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            try:
                pause = await self.round()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database is away for a moment: the rows wait in it
                log.warning("outbox: a delivery round failed: %s", type(exc).__name__)
                pause = POLL_SECONDS
            if pause is None:
                if not self._keep_polling:
                    return
                pause = POLL_SECONDS
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=max(0.005, pause))
            except TimeoutError:
                pass

    async def round(self) -> float | None:
        """One pass over every lane with rows due. Returns how long to wait before the next,
        or None when nothing at all waits for this platform."""
        for expired in await self.queue.expire(self.platform):
            self._dropped(expired.letter, "expired")
            self._forget_backlog([expired])
        pauses: list[float] = []
        for tenant, method in await self.queue.due_lanes(self.platform):
            lane = self.lane_of(tenant, method)
            tokens = self.budgets.available(lane)
            if tokens < 1:
                pauses.append(self.budgets.wait(lane))
                continue
            # As many people as the budget allows now, with everything else waiting for each of
            # them: what waits for one person merges into one call (self.merge).
            claimed = await self.queue.claim(self.platform, tenant, method, min(tokens, 100), self.lease,
                                             per_recipient=MERGE_PER_PERSON)
            await self._send_lane(lane, claimed)
            # Nothing claimed: another process took them between the two reads; look again shortly.
            pauses.append(0.0 if claimed else 0.05)
        if pauses:
            return min(pauses)
        moment = await self.queue.next_at(self.platform)
        if moment is None:
            return None
        return max(0.0, (moment - self.queue.now()).total_seconds())

    async def _send_lane(self, lane: Lane, claimed: Sequence[Queued]) -> None:
        done: list[int] = []
        later: list[tuple[int, datetime]] = []
        batches = self.merge(claimed)
        sendable: list[tuple[list[Queued], dict[str, Any]]] = []
        for group, body in batches:
            if self.budgets.take(lane):
                sendable.append((group, body))
            else:  # back to the queue, due now: the next round takes it when the budget allows
                later += [(q.id, self.queue.now()) for q in group]
        outcomes = await asyncio.gather(*(self._attempt(group[0].letter, body) for group, body in sendable))
        for (group, _), outcome in zip(sendable, outcomes):
            if isinstance(outcome, Later):
                moment = self.queue.now() + timedelta(seconds=outcome.seconds)
                later += [(q.id, moment) for q in group]
            else:
                done += [q.id for q in group]
                self._forget_backlog(group)
                if isinstance(outcome, Delivered) and len(group) > 1:
                    self.counts["merged"] += len(group) - 1
        await self.queue.settle(done, later)

    def _forget_backlog(self, queued: Sequence[Queued]) -> None:
        for q in queued:
            lane = self.lane(q.letter)
            if self._backlog[lane] > 0:
                self._backlog[lane] -= 1
