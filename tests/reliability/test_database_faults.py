"""PostgreSQL goes away mid-session: users hear "temporarily unavailable", nothing is half
written, and the bot recovers by itself when the database is back."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import pytest

from facilitator.domain.actors import Actor, Place
from facilitator.bootstrap import FacilitatorApp, open_app
from facilitator.replies import ReplyKind
from facilitator.store.idle_ping import IDLE_BEFORE_PING_S
from tests.fakes.tcp_proxy import CuttableProxy
from tests.pg import fresh_database
from tests.app.support import stored_document

PG_URL = os.environ.get("FACILITATOR_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not PG_URL, reason="FACILITATOR_TEST_POSTGRES_URL is not set")

PLACE = Place("shell", "room", "thread")


def person(name: str) -> Actor:
    return Actor("t1", name, name)


@pytest.fixture
async def proxied_database() -> AsyncIterator[tuple[str, CuttableProxy]]:
    async with fresh_database("fac_fault") as url:
        proxy = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
        await proxy.start()
        try:
            yield url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False), proxy
        finally:
            await proxy.cut()


async def say(app: FacilitatorApp, who: str, text: str) -> list[str]:
    replies = await app.service.handle_text(person(who), PLACE, text)
    for reply in replies:
        if reply.kind is ReplyKind.INTRO and reply.session_id:
            await app.service.attach_thread(reply.session_id, "thread")
    return [r.text for r in replies]


@pytest.fixture
async def voting(proxied_database: tuple[str, CuttableProxy]) -> AsyncIterator[tuple[FacilitatorApp, CuttableProxy]]:
    """The app behind the proxy, with a session in voting: one item, from ben, a newcomer."""
    url, proxy = proxied_database
    app = await open_app(url)
    try:
        await say(app, "ana", "/pln start")
        await say(app, "ben", "/pln join newcomer")
        await say(app, "ben", "/pln do Share first")
        await say(app, "ana", "/pln next")
        yield app, proxy
    finally:
        await app.close()


async def test_outage_reports_unavailable_and_recovers_without_restart(
    voting: tuple[FacilitatorApp, CuttableProxy],
) -> None:
    app, proxy = voting
    assert any("Voted for #1" in t for t in await say(app, "ben", "/pln vote 1"))

    await proxy.cut()  # the database stops: open connections drop, new ones are refused
    for text in ("/pln vote 1", "/pln do Another idea", "/pln next", "/pln status"):
        replies = await app.service.handle_text(person("cy"), PLACE, text)
        assert len(replies) == 1 and replies[0].kind is ReplyKind.ERROR
        assert "temporarily unavailable" in replies[0].text
        assert replies[0].private_to == "cy"

    await proxy.start()  # back on the same address; no restart of the bot
    voted = await say(app, "cy", "/pln vote 1")
    assert any("Voted for #1" in t for t in voted), voted
    # Read from the core (a read through the recovered pool too): `/pln export` is refused
    # while votes are blind.
    document = await stored_document(app)
    # Nothing from the outage was half written: one item, two votes, still voting.
    assert [i["number"] for i in document["items"]] == [1]
    assert document["items"][0]["votes"] == 2
    assert document["session"]["phase"] == "voting"


async def test_refused_at_start_up_then_recovers(proxied_database: tuple[str, CuttableProxy]) -> None:
    url, proxy = proxied_database
    app = await open_app(url)  # migrate while reachable
    await app.close()
    await proxy.cut()
    app = await open_app(url, migrate=False)
    try:
        replies = await app.service.handle_text(person("ana"), PLACE, "/pln start")
        assert [r.kind for r in replies] == [ReplyKind.ERROR]
        assert "temporarily unavailable" in replies[0].text
        await proxy.start()
        replies = await app.service.handle_text(person("ana"), PLACE, "/pln start")
        assert replies[0].kind is ReplyKind.INTRO
    finally:
        await app.close()


async def test_a_connection_idle_across_an_outage_is_replaced_before_anyone_notices(
    voting: tuple[FacilitatorApp, CuttableProxy],
) -> None:
    app, proxy = voting
    # The database restarts while nobody is clicking: the pooled connections are dead, and
    # nothing has found out yet.
    await proxy.cut()
    await proxy.start()
    await asyncio.sleep(IDLE_BEFORE_PING_S + 0.2)
    voted = await say(app, "cy", "/pln vote 1")  # the first command after it just works
    assert any("Voted for #1" in t for t in voted), voted
    assert (await stored_document(app))["items"][0]["votes"] == 1
