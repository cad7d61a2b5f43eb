"""Cutting off slow or silent HTTP clients, which aiohttp never does by itself.

aiohttp has no timeout for reading a request's head or body (PLATFORMS.md): a client that
connects and sends nothing, or one header byte a minute, holds its connection for ever, and a
few hundred of them exhaust the process's sockets. `GuardedSite` listens like aiohttp's
TCPSite but wraps each connection's protocol in `_Deadlines`, which watches the bytes go by
(it never changes them) and aborts the connection when a request's head takes longer than
HEAD_TIMEOUT_S from its first byte (or from the connection, for the first request), or its
body longer than BODY_TIMEOUT_S. Idle keep-alive connections are aiohttp's own keepalive
timeout's business. Written by hand because no maintained aiohttp add-on does this.
"""

from __future__ import annotations

import asyncio
import re

from aiohttp import web

HEAD_TIMEOUT_S = 10.0
BODY_TIMEOUT_S = 20.0
KEEPALIVE_TIMEOUT_S = 75.0
_HEAD_END = b"\r\n\r\n"
_MAX_HEAD = 64 * 1024  # aiohttp refuses longer heads itself; past this we stop looking
_LENGTH = re.compile(rb"(?im)^content-length[ \t]*:[ \t]*(\d+)[ \t]*\r?$")
_CHUNKED = re.compile(rb"(?im)^transfer-encoding[ \t]*:.*chunked")


class _Deadlines(asyncio.Protocol):
    def __init__(self, inner: asyncio.Protocol, head_s: float, body_s: float) -> None:
        self.inner = inner
        self.head_s, self.body_s = head_s, body_s
        self.transport: asyncio.Transport | None = None
        self.head = b""
        self.body_left = 0
        self.watching = True
        self.timer: asyncio.TimerHandle | None = None

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self.timer = asyncio.get_running_loop().call_later(seconds, self._expire)

    def _disarm(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _expire(self) -> None:
        if self.transport is not None:
            self.transport.abort()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self._arm(self.head_s)
        self.inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if self.watching:
            self._watch(data)
        self.inner.data_received(data)

    def _watch(self, data: bytes) -> None:
        while data:
            if self.body_left:
                taken = min(self.body_left, len(data))
                self.body_left -= taken
                data = data[taken:]
                if not self.body_left:
                    self._disarm()
                continue
            if not self.head:
                self._arm(self.head_s)  # a new request starts: its head has HEAD_TIMEOUT_S
            self.head += data
            end = self.head.find(_HEAD_END)
            if end < 0:
                if len(self.head) > _MAX_HEAD:
                    self.watching = False  # aiohttp answers 431 and closes
                return
            head, data = self.head[: end + 4], self.head[end + 4:]
            self.head = b""
            self._disarm()
            if _CHUNKED.search(head):
                # Chunked bodies would need a parser of their own: such a connection gets
                # BODY_TIMEOUT_S in all, then closes (Slack and browsers send Content-Length).
                self.watching = False
                self._arm(self.body_s)
                return
            length = _LENGTH.search(head)
            self.body_left = int(length.group(1)) if length else 0
            if self.body_left:
                self._arm(self.body_s)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        self.inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()


class GuardedSite(web.BaseSite):
    """aiohttp's TCPSite, with head and body deadlines on every connection."""

    def __init__(self, runner: web.BaseRunner, host: str, port: int,
                 head_timeout_s: float = HEAD_TIMEOUT_S, body_timeout_s: float = BODY_TIMEOUT_S) -> None:
        super().__init__(runner)
        self._host, self._port = host, port
        self._head_s, self._body_s = head_timeout_s, body_timeout_s
        self.port = port

    @property
    def name(self) -> str:
        return f"http://{self._host}:{self.port}"

    async def start(self) -> None:
        await super().start()
        server = self._runner.server
        assert server is not None
        head_s, body_s = self._head_s, self._body_s
        self._server = await asyncio.get_running_loop().create_server(
            lambda: _Deadlines(server(), head_s, body_s), self._host, self._port
        )
        if self._server.sockets:
            self.port = int(self._server.sockets[0].getsockname()[1])
