"""Check a pooled PostgreSQL connection before use only when it has sat idle for a while.

SQLAlchemy's `pool_pre_ping` checks every connection at every checkout, and on asyncpg its ping
is three round trips (it wraps `;` in a transaction of its own, for pgbouncer): three of the
nine a vote made. During a burst a connection goes back to work milliseconds after it was
returned, and a server that just went away shows itself on that connection's next statement,
which the service answers with "temporarily unavailable" (and SQLAlchemy then drops the whole
pool). What a check is for is the connection that sat unused across a restart or an idle
timeout: with this, one idle for more than IDLE_BEFORE_PING_S is pinged at checkout and, if dead,
replaced before any statement runs, using the pool's documented DisconnectionError protocol.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine

IDLE_BEFORE_PING_S = 1.0
_RETURNED = "facilitator_returned_at"
# Set while the vote path checks a connection out: it checks the connection itself, for free
# (store/pg_votes.py), and a ping would be three of its round trips.
_CHECKED_BY_CALLER: ContextVar[bool] = ContextVar("facilitator_checked_by_caller", default=False)


@contextmanager
def checked_by_caller() -> Iterator[None]:
    """Checkouts in this block skip the idle ping: the caller replaces a closed connection."""
    token = _CHECKED_BY_CALLER.set(True)
    try:
        yield
    finally:
        _CHECKED_BY_CALLER.reset(token)


def ping_when_idle(engine: AsyncEngine, idle_s: float = IDLE_BEFORE_PING_S) -> None:
    sync_engine = engine.sync_engine
    dialect = sync_engine.dialect

    @event.listens_for(sync_engine, "checkin")
    def _returned(dbapi_connection: Any, record: Any) -> None:
        if dbapi_connection is not None:  # None when the connection was invalidated
            record.info[_RETURNED] = time.monotonic()

    @event.listens_for(sync_engine, "checkout")
    def _taken(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        returned = record.info.get(_RETURNED)
        if returned is None or _CHECKED_BY_CALLER.get() or time.monotonic() - returned <= idle_s:
            return  # new, or back from work a moment ago
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The pool discards this connection and checks out another (a new one if need be).
            raise DisconnectionError("an idle connection no longer answers") from error
