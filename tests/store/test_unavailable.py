"""Which database errors count as "temporarily unavailable" (tell the person to try again)
rather than as bugs: PostgreSQL's own codes for a full or restarting server included."""

from __future__ import annotations

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
