"""Counts what a command sends to the database, with SQLAlchemy's engine events."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


@dataclass
class Counts:
    statements: list[str] = field(default_factory=list)  # everything but BEGIN
    transactions: int = 0  # each one adds a BEGIN and a COMMIT (or ROLLBACK) to the statements

    @property
    def count(self) -> int:
        return len(self.statements)


class StatementCounter:
    def __init__(self, engine: AsyncEngine) -> None:
        self.current: Counts | None = None
        sync_engine = engine.sync_engine
        event.listen(sync_engine, "before_cursor_execute", self._on_statement)
        event.listen(sync_engine, "begin", self._on_begin)

    def _on_statement(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # SQLite's BEGIN IMMEDIATE goes through a cursor; asyncpg's BEGIN doesn't. Count neither here.
        if self.current is not None and not statement.lstrip().upper().startswith("BEGIN"):
            self.current.statements.append(" ".join(statement.split()))

    def _on_begin(self, _conn: Any) -> None:
        if self.current is not None:
            self.current.transactions += 1

    @contextmanager
    def counting(self) -> Iterator[Counts]:
        counts = Counts()
        self.current = counts
        try:
            yield counts
        finally:
            self.current = None
