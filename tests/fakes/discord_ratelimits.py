"""Discord's REST rate limits: one global bucket and per-route buckets, answered with the headers
and 429 bodies Discord sends, so discord.py's own bucket handling engages.

- Global: 50 requests a second per bot, except interaction endpoints (callbacks and the
  interaction token's webhook), which Discord exempts.
- Per route: a bucket per route template and top-level resource (channel, guild, or webhook id
  and token), announced on every answer with X-RateLimit-Limit/-Remaining/-Reset/-Reset-After/
  -Bucket; a 429 adds X-RateLimit-Scope and Retry-After. discord.py waits out a bucket whose
  Remaining reaches 0 before sending again, and sleeps `retry_after` after a 429.
- 401, 403 and 429 answers are "invalid requests" (10,000 in 10 minutes gets an IP banned):
  they are counted per route, as are the 429s alone.

Buckets run on real time (time.monotonic), not the fake's interaction clock: the client waits
in real time, and a test moving the interaction clock must not refill buckets.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

GLOBAL_PER_SECOND = 50
INVALID_STATUSES = (401, 403, 429)
_SNOWFLAKE = re.compile(r"^\d+$")


@dataclass(frozen=True)
class RouteLimit:
    limit: int
    per: float  # seconds


# Every route gets a bucket, and its headers, as on Discord. Discord doesn't document per-route
# figures ("should not be hard coded"): by default each route and resource may take 50 a
# second, so tests don't stall; DISCORD_ROUTE_LIMITS has the figures Discord announces in
# practice (5 messages per 5 s in a channel), for tests of pacing. The global limit is documented
# and always on.
DEFAULT_ROUTE_LIMIT = RouteLimit(50, 1.0)
DISCORD_ROUTE_LIMITS: dict[str, RouteLimit] = {
    "POST /channels/{channel_id}/messages": RouteLimit(5, 5.0),
    "PATCH /channels/{channel_id}/messages/{id}": RouteLimit(5, 5.0),
}


def route_of(method: str, path: str) -> tuple[str, str]:
    """(template, top-level resource) of a request path: `/channels/12/messages/34` is
    ("POST /channels/{channel_id}/messages/{id}", "12")."""
    parts = path.strip("/").split("/")
    template: list[str] = []
    major = ""
    index = 0
    while index < len(parts):
        part, previous = parts[index], parts[index - 1] if index else ""
        snowflake = bool(_SNOWFLAKE.match(part))
        if previous in ("webhooks", "interactions") and snowflake and index + 1 < len(parts):
            kind = "webhook" if previous == "webhooks" else "interaction"
            template += [f"{{{kind}_id}}", f"{{{kind}_token}}"]
            major = f"{part}/{parts[index + 1]}"  # each interaction, each webhook token: its own bucket
            index += 2
            continue
        if previous in ("channels", "guilds") and snowflake:
            template.append("{channel_id}" if previous == "channels" else "{guild_id}")
            major = major or part
        else:
            template.append("{id}" if snowflake else part)
        index += 1
    return f"{method} /" + "/".join(template), major


def exempt_from_global(path: str) -> bool:
    """Interaction callbacks and the interaction token's webhook don't count globally."""
    parts = path.strip("/").split("/")
    return parts[0] == "interactions" or (parts[0] == "webhooks" and len(parts) >= 3)


@dataclass
class _Window:
    started: float
    count: int = 0


@dataclass
class Answer429:
    body: dict[str, Any]
    headers: dict[str, str]


@dataclass
class RateLimiter:
    global_per_second: int | None = GLOBAL_PER_SECOND
    routes: dict[str, RouteLimit] = field(default_factory=dict)  # route template -> its own limit
    default_route: RouteLimit | None = DEFAULT_ROUTE_LIMIT  # for every other route; None: unlimited
    rate_limited: Counter[str] = field(default_factory=Counter)  # route template -> 429s sent
    invalid: Counter[str] = field(default_factory=Counter)  # route template -> 401/403/429s sent
    _global: _Window = field(default_factory=lambda: _Window(time.monotonic()))
    _windows: dict[tuple[str, str], _Window] = field(default_factory=dict)
    _forced: list[tuple[str, str, float]] = field(default_factory=list)  # (method, path prefix, retry_after)

    def force(self, method: str, path_prefix: str, retry_after: float, times: int = 1) -> None:
        self._forced += [(method, path_prefix, retry_after)] * times

    def take(self, method: str, path: str) -> tuple[Answer429 | None, dict[str, str]]:
        """Spend one request: (a 429 to send, or None) and the headers for the answer."""
        template, major = route_of(method, path)
        forced = next((f for f in self._forced if f[0] == method and path.startswith(f[1])), None)
        if forced is not None:
            self._forced.remove(forced)
            return self._route_429(template, forced[2], RouteLimit(1, forced[2]))
        now = time.monotonic()
        if self.global_per_second is not None and not exempt_from_global(path):
            if now - self._global.started >= 1.0:
                self._global = _Window(now)
            if self._global.count >= self.global_per_second:
                return self._global_429(template, self._global.started + 1.0 - now)
            self._global.count += 1
        limit = self.routes.get(template, self.default_route)
        if limit is None:
            return None, {}
        window = self._windows.get((template, major))
        if window is None or now - window.started >= limit.per:
            window = self._windows[(template, major)] = _Window(now)
        reset_after = window.started + limit.per - now
        if window.count >= limit.limit:
            if self.global_per_second is not None and not exempt_from_global(path):
                self._global.count -= 1  # a refused request doesn't spend the global bucket
            return self._route_429(template, reset_after, limit)
        window.count += 1
        return None, self._bucket_headers(template, limit, limit.limit - window.count, reset_after)

    def note(self, method: str, path: str, status: int) -> None:
        """Count what Discord counts against an IP: every 401, 403 and 429 answered."""
        if status in INVALID_STATUSES:
            self.invalid[route_of(method, path)[0]] += 1

    def _bucket_headers(self, template: str, limit: RouteLimit, remaining: int, reset_after: float) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(limit.limit),
            "X-RateLimit-Remaining": str(max(remaining, 0)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": hashlib.sha1(template.encode()).hexdigest()[:16],
        }

    def _route_429(self, template: str, retry_after: float, limit: RouteLimit) -> tuple[Answer429, dict[str, str]]:
        self.rate_limited[template] += 1
        headers = {**self._bucket_headers(template, limit, 0, retry_after), "X-RateLimit-Scope": "user",
                   "Retry-After": str(math.ceil(retry_after))}
        body = {"message": "You are being rate limited.", "retry_after": round(retry_after, 3), "global": False}
        return Answer429(body, headers), headers

    def _global_429(self, template: str, retry_after: float) -> tuple[Answer429, dict[str, str]]:
        self.rate_limited[template] += 1
        headers = {"X-RateLimit-Global": "true", "X-RateLimit-Scope": "global",
                   "Retry-After": str(math.ceil(retry_after))}
        body = {"message": "You are being rate limited.", "retry_after": round(retry_after, 3), "global": True}
        return Answer429(body, headers), headers
