"""A TCP proxy between the app and PostgreSQL that counts round trips on the wire.

A round trip is a point where the client stops and waits for the server. In PostgreSQL's
protocol (v3) the client marks each such point with a message: Query ('Q', the simple protocol:
BEGIN, COMMIT, ROLLBACK as asyncpg sends them), Sync ('S', the end of an extended-protocol
exchange: Bind/Execute of a statement) or Flush ('H', asyncpg's prepare-and-describe of a
statement it has not yet prepared on that connection). Connection set-up waits too: the SSL
request, the startup message and password messages. Counting those frames, per connection, is
exact whatever the TCP segmentation, and it counts what the driver really sent, BEGIN and COMMIT
included, where SQLAlchemy's events see only what passes through a cursor.

Hand-written rather than a library: the frontend framing is five lines of the protocol spec
(a type byte and a length), and no maintained Python package parses a live client stream.
The app must connect without TLS (`ssl=disable`), or there would be nothing to read.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import struct
from dataclasses import dataclass, field

from sqlalchemy.engine import make_url

SSL_REQUEST, GSSENC_REQUEST, CANCEL_REQUEST = 80877103, 80877104, 80877102
WAITING = {ord("Q"): "Query", ord("S"): "Sync", ord("H"): "Flush", ord("p"): "password"}


@dataclass(frozen=True)
class Trip:
    kind: str  # Query, Sync, Flush, password, ssl request, startup
    sql: str  # what the trip ran: the query, the bound statements, "prepare: ..." for a flush


@dataclass
class FrontendStream:
    """One connection's client-to-server bytes, cut into messages; returns the round trips."""

    buffer: bytearray = field(default_factory=bytearray)
    started: bool = False  # past the startup message: every message has a type byte
    prepared: dict[str, str] = field(default_factory=dict)  # statement name -> SQL
    parsed: list[str] = field(default_factory=list)  # Parse messages since the last trip
    bound: list[str] = field(default_factory=list)  # statements bound since the last trip

    def feed(self, data: bytes) -> list[Trip]:
        self.buffer += data
        trips: list[Trip] = []
        while True:
            header = 4 if not self.started else 5
            if len(self.buffer) < header:
                return trips
            if self.started:
                kind = self.buffer[0]
                (length,) = struct.unpack_from("!i", self.buffer, 1)
                end = 1 + length
            else:
                kind = 0
                (length,) = struct.unpack_from("!i", self.buffer, 0)
                end = length
            if len(self.buffer) < end:
                return trips
            body = bytes(self.buffer[header:end])
            del self.buffer[:end]
            trip = self._message(kind, body) if self.started else self._untyped(body)
            if trip is not None:
                trips.append(trip)

    def _untyped(self, body: bytes) -> Trip | None:
        (code,) = struct.unpack_from("!i", body, 0)
        if code in (SSL_REQUEST, GSSENC_REQUEST):
            return Trip("ssl request", "")  # answered with one byte; startup follows, untyped
        if code == CANCEL_REQUEST:
            return None  # the server closes the connection without answering
        self.started = True
        return Trip("startup", "")

    def _message(self, kind: int, body: bytes) -> Trip | None:
        if kind == ord("P"):
            name, sql = _cstrings(body, 2)
            self.prepared[name] = sql
            self.parsed.append(sql)
        elif kind == ord("B"):
            _portal, name = _cstrings(body, 2)
            self.bound.append(self.prepared.get(name, "?"))
        elif kind in WAITING:
            if kind == ord("Q"):
                sql = _cstrings(body, 1)[0]
            elif self.bound:
                sql = "; ".join(self.bound)
            else:
                sql = "; ".join(f"prepare: {s}" for s in self.parsed)
            self.parsed, self.bound = [], []
            return Trip(WAITING[kind], sql)
        return None


def _cstrings(body: bytes, count: int) -> list[str]:
    return [part.decode() for part in body.split(b"\0", count)[:count]]


class CountingProxy:
    """Listens on 127.0.0.1; every connection goes on to the target, and every round trip the
    clients make is appended to `trips` in the order they were sent."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.trips: list[Trip] = []
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.Task[None]] = set()
        self._transports: set[asyncio.WriteTransport] = set()

    @classmethod
    def for_url(cls, url: str) -> CountingProxy:
        parsed = make_url(url)
        return cls(parsed.host or "127.0.0.1", parsed.port or 5432)

    def url_through(self, url: str) -> str:
        """The same database reached through this proxy, without TLS (so the frames can be read)."""
        parsed = make_url(url).set(host="127.0.0.1", port=self.port)
        return parsed.update_query_dict({"ssl": "disable"}).render_as_string(hide_password=False)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for transport in list(self._transports):
            transport.abort()
        for task in list(self._pipes):
            task.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self.connections += 1
        self._transports.update((writer.transport, up_writer.transport))
        stream = FrontendStream()
        for source, sink, parse in ((reader, up_writer, stream), (up_reader, writer, None)):
            task = asyncio.create_task(self._pipe(source, sink, parse))
            self._pipes.add(task)
            task.add_done_callback(self._pipes.discard)

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, parse: FrontendStream | None) -> None:
        try:
            while data := await source.read(65536):
                if parse is not None:
                    self.trips.extend(parse.feed(data))  # before forwarding: the answer can't come first
                sink.write(data)
                await sink.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self._transports.discard(sink.transport)
            with contextlib.suppress(Exception):
                sink.transport.abort()


_TABLE = re.compile(r"\b(?:FROM|INTO|UPDATE)\s+\"?(\w+)", re.IGNORECASE)


def short(sql: str) -> str:
    """`INSERT participants`, `SELECT sessions`, `BEGIN`: enough to tell a trip from another."""
    if sql.startswith("prepare: "):
        return "prepare " + short(sql.removeprefix("prepare: "))
    if ";" in sql.strip().rstrip(";"):
        return " + ".join(short(part) for part in sql.split("; "))
    words = sql.split()
    if not words:
        return repr(sql)
    verb = words[0].upper()
    table = _TABLE.search(sql)
    if table and verb in ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH"):
        return f"{verb} {table.group(1)}"
    return " ".join(words[:3]).rstrip(";") or ";"  # BEGIN IMMEDIATE, COMMIT, ROLLBACK, ;
