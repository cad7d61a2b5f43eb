"""The counting proxy counts every wait on PostgreSQL's wire: simple queries (BEGIN, COMMIT),
extended-protocol Syncs, and the Flush of a first prepare; however the bytes are cut."""

from __future__ import annotations

import os
import struct
from collections.abc import AsyncIterator

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy.engine import make_url

from bench.pg_wire import CountingProxy, FrontendStream, Trip, short

PG_URL = os.environ.get("FACILITATOR_TEST_POSTGRES_URL")


def message(kind: bytes, body: bytes) -> bytes:
    return kind + struct.pack("!i", len(body) + 4) + body


def startup() -> bytes:
    body = struct.pack("!i", 196608) + b"user\0postgres\0database\0test\0\0"
    return struct.pack("!i", len(body) + 4) + body


# A session as a driver writes it: connect, BEGIN, a first prepare (Parse/Describe/Flush), its
# execution (Bind/Execute/Sync), the same statement again (Bind/Execute/Sync), COMMIT, Terminate.
WIRE = b"".join([
    struct.pack("!ii", 8, 80877103),  # SSLRequest
    startup(),
    message(b"Q", b"BEGIN;\0"),
    message(b"P", b"s1\0SELECT * FROM items WHERE id = $1\0\0\0") + message(b"D", b"Ss1\0") + message(b"H", b""),
    message(b"B", b"\0s1\0\0\0\0\0") + message(b"E", b"\0\0\0\0\0") + message(b"S", b""),
    message(b"B", b"\0s1\0\0\0\0\0") + message(b"E", b"\0\0\0\0\0") + message(b"S", b""),
    message(b"Q", b"COMMIT;\0"),
    message(b"X", b""),
])
EXPECTED = [
    Trip("ssl request", ""), Trip("startup", ""), Trip("Query", "BEGIN;"),
    Trip("Flush", "prepare: SELECT * FROM items WHERE id = $1"),
    Trip("Sync", "SELECT * FROM items WHERE id = $1"), Trip("Sync", "SELECT * FROM items WHERE id = $1"),
    Trip("Query", "COMMIT;"),
]


def test_frames_are_counted_whole() -> None:
    assert FrontendStream().feed(WIRE) == EXPECTED


def test_frames_cut_anywhere_count_the_same() -> None:
    stream = FrontendStream()
    trips = [trip for i in range(len(WIRE)) for trip in stream.feed(WIRE[i:i + 1])]
    assert trips == EXPECTED


def test_trips_read_as_short_names() -> None:
    assert [short(t.sql) for t in EXPECTED[2:]] == [
        "BEGIN", "prepare SELECT items", "SELECT items", "SELECT items", "COMMIT"]


@pytest.fixture
async def proxied() -> AsyncIterator[tuple[CountingProxy, asyncpg.Connection]]:
    if not PG_URL:
        pytest.skip("FACILITATOR_TEST_POSTGRES_URL is not set")
    proxy = CountingProxy.for_url(PG_URL)
    await proxy.start()
    url = make_url(PG_URL).set(drivername="postgresql", host="127.0.0.1", port=proxy.port)
    connection = await asyncpg.connect(url.render_as_string(hide_password=False), ssl="disable")
    try:
        yield proxy, connection
    finally:
        await connection.close()
        await proxy.close()


async def test_a_real_driver_session_through_the_proxy(proxied: tuple[CountingProxy, asyncpg.Connection]) -> None:
    proxy, connection = proxied
    assert proxy.connections == 1 and proxy.trips[0].kind == "startup"

    before = len(proxy.trips)
    async with connection.transaction():
        assert await connection.fetchval("SELECT $1::int + 1", 41) == 42
    # BEGIN, prepare (first use on this connection), execute, COMMIT: four waits.
    assert [t.kind for t in proxy.trips[before:]] == ["Query", "Flush", "Sync", "Query"]

    before = len(proxy.trips)
    async with connection.transaction():
        assert await connection.fetchval("SELECT $1::int + 1", 1) == 2
    # asyncpg keeps the prepared statement: BEGIN, execute (named by the earlier Parse), COMMIT.
    assert [t.sql for t in proxy.trips[before:]] == ["BEGIN;", "SELECT $1::int + 1", "COMMIT;"]
