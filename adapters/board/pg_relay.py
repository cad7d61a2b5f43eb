"""Board changes between bot processes on one PostgreSQL database: LISTEN/NOTIFY.

A viewer's screen is connected to one process; the vote may land on another. Each process
NOTIFYs the changes it commits on one channel and LISTENs to it, so every process rebuilds the
boards its own viewers watch. Notifications are coalesced (a burst of votes on one session is
one entry) and sent off the command's path by a background task, on one dedicated asyncpg
connection. If that connection drops, it is re-opened and every watched board is rebuilt, since
changes may have been missed meanwhile.

SQLite is single-process by design here (one writer, a file on one machine), so it needs no relay.
"""

from __future__ import annotations

import asyncio
import logging
import secrets

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import URL

from adapters.board.hub import BoardHub

log = logging.getLogger(__name__)
CHANNEL = "facilitator_boards"
MAX_ENTRIES = 400  # per notification: PostgreSQL's payload limit is 8,000 bytes
RETRY_S = (0.5, 1.0, 2.0, 5.0)
_KINDS = {"changed": "c", "revoked": "r"}


def asyncpg_dsn(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class PgRelay:
    def __init__(self, dsn: str, hub: BoardHub) -> None:
        self.dsn = dsn
        self.hub = hub
        self.origin = secrets.token_hex(6)  # our own notifications come back: skip them
        self._pending: dict[tuple[str, int], None] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()

    def publish(self, kind: str, session_id: int) -> None:
        self._pending[(_KINDS[kind], session_id)] = None
        self._wake.set()

    async def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="board-relay")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        attempt, ever_connected = 0, False
        while True:
            try:
                connection = await asyncpg.connect(self.dsn)
            except (OSError, asyncpg.PostgresError) as exc:
                if attempt == 0:
                    log.warning("board relay: can't reach PostgreSQL (%s); boards show this process's changes only",
                                type(exc).__name__)
                await asyncio.sleep(RETRY_S[min(attempt, len(RETRY_S) - 1)])
                attempt += 1
                continue
            try:
                await connection.add_listener(CHANNEL, self._heard)
                self.connected.set()
                if ever_connected:
                    self.hub.everything_changed()
                ever_connected, attempt = True, 0
                await self._send_forever(connection)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("board relay: lost PostgreSQL (%s); reconnecting", type(exc).__name__)
            finally:
                self.connected.clear()
                await _close_quietly(connection)

    async def _send_forever(self, connection: asyncpg.Connection) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._pending:
                batch = list(self._pending)[:MAX_ENTRIES]
                payload = self.origin + " " + ",".join(f"{kind}:{session_id}" for kind, session_id in batch)
                await connection.execute("SELECT pg_notify($1, $2)", CHANNEL, payload)
                for entry in batch:
                    self._pending.pop(entry, None)

    def _heard(self, connection: object, pid: int, channel: str, payload: str) -> None:
        origin, _, body = payload.partition(" ")
        if origin == self.origin:
            return
        for entry in body.split(","):
            kind, _, number = entry.partition(":")
            if not number.isdecimal() or len(number) > 18:
                continue
            if kind == "c":
                self.hub.changed_elsewhere(int(number))
            elif kind == "r":
                self.hub.revoked_elsewhere(int(number))


async def _close_quietly(connection: asyncpg.Connection) -> None:
    try:
        await asyncio.wait_for(connection.close(), 2.0)
    except Exception:
        connection.terminate()
