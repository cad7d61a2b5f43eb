"""Slack's rate tiers, played by the fake Web API: token buckets per method and workspace
(and per channel for chat.postMessage) that answer HTTP 429, `Retry-After: <seconds>` and
`{"ok": false, "error": "ratelimited"}` once a budget is spent, as Slack does.

Budgets (Slack's "Rate limits" page and each method's page): Tier 1 1+/min, Tier 2 20+/min,
Tier 3 50+/min, Tier 4 100+/min; chat.postMessage about one a second per channel "with
short bursts". Slack publishes per-minute figures, not bucket sizes: we let a whole
minute's budget go at once (burst = per_minute) and refill it evenly, which is the most a
fixed one-minute window would ever allow. For chat.postMessage the burst is
POST_MESSAGE_BURST messages per channel, then one a second.

Default policy: enforcement is ON, with these budgets, for every FakeSlackApi. Measured on
the Slack suite (116 tests: tests/adapters/slack, tests/reliability,
tests/depth/test_slack_buttons.py), turning it on failed 4 tests, for two reasons. The
harness sent a whole workshop's thread posts within a second or two, past the per-channel
budget; people act seconds apart, so the harness now moves the fake's clock a second per
request (HUMAN_PACE) and only the bot's own bursts within one step spend the budget. And
test_multiprocess_slack packs ~140 ephemerals into two seconds on purpose, to count across
processes: it now raises that budget in plain sight with `fake.set_tier(...)`. After that the
buckets refuse nothing in the suite (its only 429s are the ones tests inject with `fail`).
Keeping limits per-test opt-in instead would let every new test pretend Slack has none,
which is how the lab stayed green while real Slack broke.

Methods not listed (auth.test, which Slack rates "special" and Bolt calls once per token,
and methods the bot never calls) are not limited. Slack's workspace-wide cap on
chat.postMessage has no published figure; `set_tier(WORKSPACE_POSTS, ...)` turns one on.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from tests.fakes.slack_clock import Clock, RunningClock


@dataclass(frozen=True)
class Budget:
    per_minute: float
    burst: float


TIER_1 = Budget(1, 1)
TIER_2 = Budget(20, 20)
TIER_3 = Budget(50, 50)
TIER_4 = Budget(100, 100)
POST_MESSAGE_BURST = 10  # an intro and its first replies go out together; Slack allows "short bursts"
POST_MESSAGE = Budget(60, POST_MESSAGE_BURST)
WORKSPACE_POSTS = "chat.postMessage (workspace)"  # a key for set_tier only: off unless set

TIERS: dict[str, Budget] = {
    "apps.connections.open": TIER_1,
    "users.list": TIER_2,
    "conversations.list": TIER_2,
    "chat.update": TIER_3,
    "chat.delete": TIER_3,
    "reactions.add": TIER_3,
    "conversations.info": TIER_3,
    "conversations.open": TIER_3,
    "conversations.history": TIER_3,
    "conversations.replies": TIER_3,
    "chat.postEphemeral": TIER_4,
    "chat.getPermalink": TIER_4,
    "users.info": TIER_4,
    "views.open": TIER_4,
    "views.publish": TIER_4,
    "views.update": TIER_4,
    "views.push": TIER_4,
    "files.getUploadURLExternal": TIER_4,
    "files.completeUploadExternal": TIER_4,
    "oauth.v2.access": TIER_4,
    "chat.postMessage": POST_MESSAGE,  # per channel
}
PER_CHANNEL = frozenset({"chat.postMessage"})


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimits:
    """`check()` before answering a call; `ratelimited` counts every 429 served, by method."""

    clock: Clock = field(default_factory=RunningClock)
    enforce: bool = True
    tiers: dict[str, Budget] = field(default_factory=lambda: dict(TIERS))
    ratelimited: Counter[str] = field(default_factory=Counter)
    _buckets: dict[tuple[str, ...], _Bucket] = field(default_factory=dict)

    def set_tier(self, method: str, per_minute: float, burst: float | None = None) -> None:
        """Override one method's budget (burst defaults to a minute's worth); resets its buckets."""
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.tiers[method] = Budget(per_minute, per_minute if burst is None else burst)
        for key in [k for k in self._buckets if k[1] == method]:
            del self._buckets[key]

    def check(self, workspace: str, method: str, channel: str | None = None) -> int | None:
        """Spend one call's token. None if allowed, else the Retry-After seconds to answer."""
        if not self.enforce:
            return None
        keys: list[tuple[str, ...]] = []
        if method in self.tiers:
            keys.append((workspace, method, channel or "") if method in PER_CHANNEL else (workspace, method))
        if method == "chat.postMessage" and WORKSPACE_POSTS in self.tiers:
            keys.append((workspace, WORKSPACE_POSTS))
        waits = [self._wait(key) for key in keys]
        if any(w > 0 for w in waits):
            self.ratelimited[method] += 1
            return max(1, math.ceil(max(waits)))
        for key in keys:
            self._buckets[key].tokens -= 1
        return None

    def count_refusal(self, method: str) -> None:
        """A 429 served some other way (an injected fault) counts too."""
        self.ratelimited[method] += 1

    def _wait(self, key: tuple[str, ...]) -> float:
        """Seconds until the bucket holds a whole token (0 if it does now), after refilling it."""
        budget = self.tiers[key[1]]
        now = self.clock()
        bucket = self._buckets.setdefault(key, _Bucket(budget.burst, now))
        rate = budget.per_minute / 60.0
        bucket.tokens = min(budget.burst, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        return 0.0 if bucket.tokens >= 1 else (1 - bucket.tokens) / rate
