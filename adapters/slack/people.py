"""Who people and channels are, as Slack says (users.info, conversations.info), cached briefly:
names for replies and for mentions in item text, and whether someone is a workspace admin or
owner (who count as facilitators)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import markup
from facilitator.domain.actors import Actor

log = logging.getLogger(__name__)
# Names looked up for one text at most: an item is 500 characters, and a wall of mentions
# must not cost a burst of users.info calls (Tier 4). The rest show as their ids.
MAX_LOOKUPS = 10


@dataclass(frozen=True)
class Person:
    name: str
    is_admin: bool


class People:
    """users.info, cached with a bounded age and size. A short TTL keeps a demoted admin from
    keeping the power for long, and a burst of clicks from costing a call each; the size bound
    keeps a workspace of 100,000 people from filling memory (the oldest lookup goes first).
    Keys are (tenant, user): in an Enterprise Grid org a person is one id across its workspaces.

    Per process, not shared through the database: a shared cache would cost a database read on
    every request (and a write per miss) to save at most one users.info per person per process
    per TTL, and votes, the bursts that matter, need no lookup at all (handlers.needs_identity).
    With N processes a person costs at most N lookups a minute."""

    def __init__(self, ttl_seconds: float = 60.0, clock: Callable[[], float] = time.monotonic,
                 max_people: int = 10_000) -> None:
        self.ttl = ttl_seconds
        self.clock = clock
        self.max_people = max_people
        self._cache: dict[tuple[str, str], tuple[float, Person]] = {}  # insertion order: oldest first
        self._channels: dict[tuple[str, str], tuple[float, str]] = {}
        self._next_sweep = clock() + ttl_seconds

    async def lookup(self, client: AsyncWebClient, tenant: str, user_id: str, fallback_name: str) -> Person:
        key = (tenant, user_id)
        cached = self._cache.get(key)
        now = self.clock()
        if cached and now - cached[0] < self.ttl:
            return cached[1]
        try:
            response = await client.users_info(user=user_id)
        except SlackApiError as exc:
            # Without users:read we still work; nobody is promoted by a failed lookup.
            log.warning("users.info failed for a user: %s", exc.response.get("error"))
            return Person(fallback_name or user_id, False)
        user: dict[str, Any] = response.get("user") or {}
        profile: dict[str, Any] = user.get("profile") or {}
        name = profile.get("display_name") or profile.get("real_name") or user.get("real_name") or user.get("name")
        person = Person(str(name or fallback_name or user_id), bool(user.get("is_admin") or user.get("is_owner")))
        self._cache.pop(key, None)  # re-inserted last: the dict's order is the age order
        self._cache[key] = (now, person)
        while len(self._cache) > self.max_people:
            del self._cache[next(iter(self._cache))]
        self._sweep(now)
        return person

    async def channel_name(self, client: AsyncWebClient, tenant: str, channel: str) -> str:
        key = (tenant, channel)
        cached = self._channels.get(key)
        now = self.clock()
        if cached and now - cached[0] < self.ttl:
            return cached[1]
        try:
            response = await client.conversations_info(channel=channel)
        except SlackApiError as exc:
            log.warning("conversations.info failed for a channel: %s", exc.response.get("error"))
            return channel
        name = str((response.get("channel") or {}).get("name") or channel)
        self._channels[key] = (now, name)
        return name

    async def readable(self, client: AsyncWebClient, tenant: str, text: str) -> str:
        """Free text with people and channels named as Slack shows them (markup.named)."""
        people = {u: (await self.lookup(client, tenant, u, u)).name for u in sorted(markup.people_in(text))[:MAX_LOOKUPS]}
        channels = {c: await self.channel_name(client, tenant, c)
                    for c in sorted(markup.channels_in(text))[:MAX_LOOKUPS]}
        return markup.named(text, people, channels)

    def _sweep(self, now: float) -> None:
        # A bot runs for months across many workspaces: drop lookups past their TTL, once per TTL,
        # or everyone who ever clicked stays in memory.
        if now < self._next_sweep:
            return
        self._next_sweep = now + self.ttl
        for key in [key for key, (at, _) in self._cache.items() if now - at >= self.ttl]:
            del self._cache[key]
        for key in [key for key, (at, _) in self._channels.items() if now - at >= self.ttl]:
            del self._channels[key]

    def __len__(self) -> int:
        return len(self._cache)

    async def actor(self, client: AsyncWebClient, tenant: str, user_id: str, fallback_name: str = "",
                    lookup: bool = True) -> Actor:
        """`lookup=False`: what is known already, or the payload's name and no admin flag, with
        no call to Slack (for commands that need neither: handlers.needs_identity)."""
        if not lookup:
            cached = self._cache.get((tenant, user_id))
            person = cached[1] if cached else Person(fallback_name or user_id, False)
            return Actor(tenant, user_id, person.name, False)
        person = await self.lookup(client, tenant, user_id, fallback_name)
        return Actor(tenant, user_id, person.name, person.is_admin)
