"""What every part of the store shares: the unit of work's session, its clock, the dialect."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def as_utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class StoreBase:
    def __init__(self, session: AsyncSession, now: datetime, writing: bool = False) -> None:
        self.db = session
        self.now = now
        # A write unit of work locks the session it looks up (store/session_lock.py).
        self.writing = writing

    def _dialect(self) -> str:
        return "postgresql" if self.db.get_bind().dialect.name == "postgresql" else "sqlite"

    def _insert(self, table: Any) -> Any:
        """INSERT with ON CONFLICT, in the form of this unit of work's database."""
        return (postgresql if self._dialect() == "postgresql" else sqlite).insert(table)
