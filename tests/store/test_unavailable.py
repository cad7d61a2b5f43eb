"""Which database errors count as "temporarily unavailable" (tell the person to try again)
rather than as bugs: PostgreSQL's own codes for a full or restarting server included."""

from __future__ import annotations

import sqlite3

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError

from facilitator.store.unavailable import database_unavailable


class DriverError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"driver error {sqlstate}")
        self.sqlstate = sqlstate


@pytest.mark.parametrize("sqlstate", ["53300", "57P01", "57P02", "57P03", "08006", "08001"])
def test_a_full_restarting_or_unreachable_server_is_unavailable(sqlstate: str) -> None:
    assert database_unavailable(DBAPIError("connect", None, DriverError(sqlstate)))


@pytest.mark.parametrize("sqlstate", ["23505", "42P01", "40001"])
def test_a_wrong_statement_is_not(sqlstate: str) -> None:
    assert not database_unavailable(DBAPIError("insert", None, DriverError(sqlstate)))
    assert not database_unavailable(IntegrityError("insert", None, DriverError(sqlstate)))


# The vote path on the driver (store/driver_votes.py) sees the drivers' own errors, unwrapped.

@pytest.mark.parametrize("sqlstate", ["53300", "57P01", "08006"])
def test_the_same_codes_raised_by_the_driver_itself_are_unavailable(sqlstate: str) -> None:
    assert database_unavailable(DriverError(sqlstate))


@pytest.mark.parametrize("sqlstate", ["23505", "42P01", "FV001"])
def test_the_driver_s_statement_errors_are_not(sqlstate: str) -> None:
    assert not database_unavailable(DriverError(sqlstate))


def test_a_lost_asyncpg_connection_and_a_locked_sqlite_file_are_unavailable() -> None:
    assert database_unavailable(asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"))
    assert database_unavailable(sqlite3.OperationalError("database is locked"))
    assert not database_unavailable(sqlite3.IntegrityError("UNIQUE constraint failed"))
