"""users.info -> names and the admin flag, cached briefly."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.people import People
from facilitator.domain.actors import Actor
from tests.fakes.slack_api import FakeSlackApi


@pytest.fixture
async def api() -> AsyncIterator[FakeSlackApi]:
    fake = FakeSlackApi()
    fake.install("xoxb-T1", "T1")
    fake.add_user("T1", "U1", "Ann")
    fake.add_user("T1", "U2", "Owner Olga", is_owner=True)
    await fake.start()
    yield fake
    await fake.stop()


async def test_admins_and_owners_count_and_lookups_are_cached_until_the_ttl(api: FakeSlackApi) -> None:
    now = [0.0]
    people = People(ttl_seconds=60, clock=lambda: now[0])
    client = AsyncWebClient(token="xoxb-T1", base_url=api.base_url)
    assert await people.actor(client, "T1", "U1") == Actor("T1", "U1", "Ann", False)
    assert await people.actor(client, "T1", "U2") == Actor("T1", "U2", "Owner Olga", True)
    api.users[("T1", "U1")].is_admin = True
    assert (await people.actor(client, "T1", "U1")).is_admin is False  # still cached
    assert len(api.calls_to("users.info")) == 2
    now[0] = 61.0
    assert (await people.actor(client, "T1", "U1")).is_admin is True
    assert len(api.calls_to("users.info")) == 3


async def test_a_failed_lookup_promotes_nobody(api: FakeSlackApi) -> None:
    client = AsyncWebClient(token="xoxb-T1", base_url=api.base_url)
    assert await People().actor(client, "T1", "U404", "ghost") == Actor("T1", "U404", "ghost", False)


async def test_expired_lookups_are_dropped_so_the_cache_does_not_grow_for_ever(api: FakeSlackApi) -> None:
    now = [0.0]
    people = People(ttl_seconds=60, clock=lambda: now[0])
    client = AsyncWebClient(token="xoxb-T1", base_url=api.base_url)
    for n in range(20):
        api.add_user("T1", f"UX{n}", f"Person {n}")
        await people.actor(client, "T1", f"UX{n}")
    assert len(people) == 20
    now[0] = 61.0
    await people.actor(client, "T1", "U1")  # a lookup after the TTL sweeps the expired ones
    assert len(people) == 1
    assert (await people.actor(client, "T1", "U1")).name == "Ann"
    assert len(api.calls_to("users.info")) == 21  # the fresh entry is still served from the cache


async def test_the_cache_holds_at_most_max_people_the_oldest_lookup_going_first(api: FakeSlackApi) -> None:
    api.add_user("T1", "U3", "Cid")
    people = People(ttl_seconds=600, clock=lambda: 0.0, max_people=2)
    client = AsyncWebClient(token="xoxb-T1", base_url=api.base_url)
    for user in ("U1", "U2", "U3"):
        await people.actor(client, "T1", user)
    assert len(people) == 2
    await people.actor(client, "T1", "U3")  # still cached
    assert len(api.calls_to("users.info")) == 3
    await people.actor(client, "T1", "U1")  # the oldest, evicted: looked up again
    assert len(api.calls_to("users.info")) == 4


async def test_a_vote_needs_no_lookup_but_uses_what_is_cached(api: FakeSlackApi) -> None:
    people = People()
    client = AsyncWebClient(token="xoxb-T1", base_url=api.base_url)
    assert await people.actor(client, "T1", "U2", "olga", lookup=False) == Actor("T1", "U2", "olga", False)
    assert api.calls_to("users.info") == []
    await people.actor(client, "T1", "U2")
    # Cached: the name is Slack's; the admin flag is never used without a lookup.
    assert await people.actor(client, "T1", "U2", "olga", lookup=False) == Actor("T1", "U2", "Owner Olga", False)
