"""Recognising a database that is down or unreachable, as opposed to a bug."""

from __future__ import annotations

import sqlite3

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

# SQLSTATEs that mean "the server can't take us right now", not "the statement is wrong":
# connection exceptions (class 08), too many connections (53300: every slot is taken, e.g. by
# other bot processes), and the server shutting down or starting up (57P01-57P03). asyncpg
# raises these as plain DBAPIErrors, not OperationalErrors.
_UNAVAILABLE_STATES = ("08", "53300", "57P01", "57P02", "57P03")


def database_unavailable(exc: BaseException) -> bool:
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, (OperationalError, InterfaceError)):
        return True
    if isinstance(exc, DBAPIError):
        state = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
        if isinstance(state, str) and state.startswith(_UNAVAILABLE_STATES):
            return True
    # The vote path (store/driver_votes.py) calls sqlite3 and asyncpg directly: their errors
    # arrive unwrapped. sqlite3's OperationalError is what SQLAlchemy wraps as one (a lock held
    # past the timeout, an unreadable file).
    if isinstance(exc, sqlite3.OperationalError):
        return True
    state = getattr(exc, "sqlstate", None)
    if isinstance(state, str) and state.startswith(_UNAVAILABLE_STATES):
        return True
    if isinstance(exc, asyncpg.ConnectionDoesNotExistError):
        return True
    return isinstance(exc, (ConnectionError, OSError, TimeoutError))
