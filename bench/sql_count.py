"""Counts the statements SQLite runs for a command, BEGIN and COMMIT included.

sqlite3's trace callback reports every statement SQLite itself steps, whoever issued it: the
`BEGIN IMMEDIATE` our engine sends through a cursor, the `COMMIT` and `ROLLBACK` that
`connection.commit()`/`rollback()` send without one (SQLAlchemy's cursor events never see
those), and PRAGMAs of a new connection. The callback is installed at every checkout, so it
also covers connections the pool opened before the counter existed. One exception: the vote
path on the driver checks its connection out once, at the first vote, and keeps it
(facilitator/store/driver_connections.py), so a counter must exist before the first vote.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "END")


@dataclass
class Counts:
    statements: list[str] = field(default_factory=list)  # as SQLite ran them, whitespace folded

    @property
    def count(self) -> int:
        return len(self.statements)

    @property
    def transactions(self) -> int:
        return sum(1 for s in self.statements if s.upper().startswith("BEGIN"))

    @property
    def without_transaction_control(self) -> int:
        return sum(1 for s in self.statements if not s.upper().startswith(TRANSACTION_CONTROL))


class StatementCounter:
    def __init__(self, engine: AsyncEngine) -> None:
        self.current: Counts | None = None
        event.listen(engine.sync_engine, "checkout", self._on_checkout)

    def _on_checkout(self, _dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        connection = record.driver_connection
        if not isinstance(connection, sqlite3.Connection):
            raise TypeError(f"statements are counted on sqlite3 connections, not {type(connection).__name__}")
        connection.set_trace_callback(self._on_statement)

    def _on_statement(self, statement: str) -> None:
        if self.current is not None and not statement.startswith("--"):  # "--" marks a trigger's statements
            self.current.statements.append(" ".join(statement.split()))

    @contextmanager
    def counting(self) -> Iterator[Counts]:
        counts = Counts()
        self.current = counts
        try:
            yield counts
        finally:
            self.current = None
