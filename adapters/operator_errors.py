"""Failures the `facilitator` command can meet that are not bugs, in an operator's words.

Each becomes a ConfigError: what is wrong, and what to do. Anything not recognised here is a
bug, reported as one line too, with the traceback under --debug. Messages name settings and
hosts but never a password or token: a URL is shown with its password hidden.
"""

from __future__ import annotations

import errno
import socket
import sqlite3

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from facilitator.config import ConfigError
from facilitator.domain.templates import TemplateError

DATABASE_SETTING = "FACILITATOR_DATABASE_URL"
_FIX_URL = f"Check {DATABASE_SETTING}."
# PostgreSQL's SQLSTATEs (asyncpg's exceptions carry them): the database, the role, the password.
_NO_DATABASE, _NO_ROLE, _BAD_PASSWORD = "3D000", "28000", "28P01"
_TOO_MANY, _STARTING = "53300", "57P03"


def shown_url(raw: str) -> str:
    """The database URL as it may be printed: password hidden; nothing of it if it won't parse
    (it could be a pasted secret)."""
    try:
        return make_url(raw).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unreadable URL)"


def explain(exc: BaseException, database_url: str) -> ConfigError | None:
    """The operator's version of `exc`, or None when it is not a set-up problem we know."""
    if isinstance(exc, ConfigError):
        return exc
    if isinstance(exc, TemplateError):
        return ConfigError(f"Broken template: {exc}", "Fix the file, then start again (docs/TEMPLATES.md).")
    for cause in _causes(exc):
        found = _database_problem(cause, database_url) or _file_problem(cause)
        if found is not None:
            return found
    return None


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception, what it wraps (SQLAlchemy's .orig) and what it was raised from."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo and len(seen) < 10:
        current = todo.pop(0)
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        todo += [getattr(current, "orig", None), current.__cause__, current.__context__]
    return seen


def _database_problem(exc: BaseException, url: str) -> ConfigError | None:
    where = shown_url(url)
    if isinstance(exc, ArgumentError) and "URL" in str(exc):
        return ConfigError(
            f"{DATABASE_SETTING} is not a database URL.",
            "Use e.g. sqlite:////abs/path/facilitator.db or postgresql://user@host/dbname.",
        )
    state = getattr(exc, "sqlstate", None)
    if isinstance(state, str):
        database = _url_part(url, "database")
        problems = {
            _NO_DATABASE: (f"The PostgreSQL server has no database `{database}` ({where}).",
                           f"Create it (createdb {database}) or fix {DATABASE_SETTING}."),
            _NO_ROLE: (f"PostgreSQL has no user `{_url_part(url, 'username')}` ({where}).", _FIX_URL),
            _BAD_PASSWORD: (f"PostgreSQL refused the password for {where}.", _FIX_URL),
            _TOO_MANY: (f"PostgreSQL at {where} has no free connection slot.",
                        "Stop some bot processes, or raise max_connections."),
            _STARTING: (f"PostgreSQL at {where} is still starting up.", "Try again in a moment."),
        }
        if state in problems:
            return ConfigError(*problems[state])
    if isinstance(exc, socket.gaierror):
        return ConfigError(f"Can't find the database host `{_url_part(url, 'host')}` ({where}).", _FIX_URL)
    if isinstance(exc, ConnectionRefusedError):
        return ConfigError(
            f"Can't connect to the database at {where}: connection refused.",
            f"Is PostgreSQL running there? {_FIX_URL}",
        )
    if isinstance(exc, TimeoutError) and url.startswith("postgres"):
        return ConfigError(f"The database at {where} did not answer in time.", f"Is the host reachable? {_FIX_URL}")
    if isinstance(exc, sqlite3.OperationalError) and "unable to open" in str(exc):
        return ConfigError(f"Can't open the SQLite database {where}.",
                           f"Check that its folder exists and that you may write there. {_FIX_URL}")
    if isinstance(exc, DBAPIError) and isinstance(exc.orig, sqlite3.DatabaseError) and "not a database" in str(exc):
        return ConfigError(f"{where} is not a SQLite database.", _FIX_URL)
    return None


def _file_problem(exc: BaseException) -> ConfigError | None:
    if not isinstance(exc, OSError) or exc.filename is None:
        return None
    reasons = {
        errno.ENOENT: "its folder doesn't exist",
        errno.EACCES: "permission denied",
        errno.EROFS: "the file system is read-only",
        errno.EISDIR: "it is a folder",
        errno.ENOSPC: "the disk is full",
        errno.ENOTDIR: "part of the path is a file, not a folder",
    }
    reason = reasons.get(exc.errno or 0, exc.strerror or "unknown error")
    return ConfigError(f"Can't write {exc.filename}: {reason}.", "Choose another path.")


def _url_part(url: str, part: str) -> str:
    try:
        return str(getattr(make_url(url), part) or "")
    except ArgumentError:
        return ""
