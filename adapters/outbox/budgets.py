"""What a platform lets the bot send: a token bucket per method and workspace (per channel where
the platform counts per channel), which learns from Retry-After.

The bucket is this process's estimate of the platform's. Both start full and ours never refills
faster, so while this process is the only sender it never meets a 429. Other processes (or
calls made outside the outbox) spend the same platform budget unseen: the platform then answers
429 with Retry-After, and `learn` empties the bucket and closes it until then, so every lane
backs off at once instead of each call finding out for itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Budget:
    per_minute: float
    burst: float


@dataclass
class Bucket:
    budget: Budget
    tokens: float
    updated: float
    closed_until: float = 0.0

    def refill(self, now: float) -> None:
        rate = self.budget.per_minute / 60.0
        self.tokens = min(self.budget.burst, self.tokens + max(0.0, now - self.updated) * rate)
        self.updated = now

    def wait(self, now: float) -> float:
        """Seconds until one call may go (0: now)."""
        self.refill(now)
        if now < self.closed_until:
            return self.closed_until - now
        if self.tokens >= 1:
            return 0.0
        return (1 - self.tokens) / (self.budget.per_minute / 60.0)


Lane = tuple[str, ...]


@dataclass
class Budgets:
    """`budgets` by method; a method not listed is not paced by us (the platform may still say 429)."""

    budgets: Mapping[str, Budget]
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[Lane, Bucket] = field(default_factory=dict)

    def _bucket(self, lane: Lane) -> Bucket | None:
        budget = self.budgets.get(lane[1])
        if budget is None:
            return None
        bucket = self._buckets.get(lane)
        if bucket is None:
            bucket = self._buckets[lane] = Bucket(budget, budget.burst, self.clock())
        return bucket

    def wait(self, lane: Lane) -> float:
        bucket = self._bucket(lane)
        return 0.0 if bucket is None else bucket.wait(self.clock())

    def available(self, lane: Lane) -> int:
        """Whole calls the lane may make right now."""
        bucket = self._bucket(lane)
        if bucket is None:
            return 1_000_000
        return 0 if bucket.wait(self.clock()) > 0 else int(bucket.tokens)

    def take(self, lane: Lane) -> bool:
        """Spend one call if the lane has one now."""
        bucket = self._bucket(lane)
        if bucket is None:
            return True
        if bucket.wait(self.clock()) > 0:
            return False
        bucket.tokens -= 1
        return True

    def forget_idle(self) -> None:
        """Drop the buckets that are full and open again: a fresh one would be the same, and a
        bot that posts into thousands of channels over months must not keep one for each."""
        now = self.clock()
        for lane, bucket in list(self._buckets.items()):
            bucket.refill(now)
            if bucket.tokens >= bucket.budget.burst and now >= bucket.closed_until:
                del self._buckets[lane]

    def __len__(self) -> int:
        return len(self._buckets)

    def learn(self, lane: Lane, retry_after: float) -> None:
        """The platform said 429: nothing more on this lane until Retry-After has passed."""
        bucket = self._bucket(lane)
        if bucket is None:
            return
        now = self.clock()
        bucket.refill(now)
        bucket.tokens = 0.0
        bucket.closed_until = max(bucket.closed_until, now + retry_after)
