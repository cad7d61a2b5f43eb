"""What happened, for the record: the moderation and settings audit trail, and the platform
deliveries already handled (so a redelivered event is handled once by any process)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from datetime import datetime

from sqlalchemy import delete, select

from facilitator.store.base import StoreBase
from facilitator.store.models import AuditRow, ProcessedEventRow

AuditDetail = str | int | bool | None | dict[str, str | int | bool | None]


class AuditStore(StoreBase):
    async def record(
        self, session_id: int, actor: str, actor_name: str, action: str, details: dict[str, AuditDetail]
    ) -> None:
        self.db.add(
            AuditRow(
                session_id=session_id,
                at=self.now,
                actor=actor,
                actor_name=actor_name,
                action=action,
                details=json.dumps(details, ensure_ascii=False, sort_keys=True),
            )
        )
        await self.db.flush()

    async def audit_of(self, session_id: int) -> Sequence[AuditRow]:
        query = select(AuditRow).where(AuditRow.session_id == session_id).order_by(AuditRow.id)
        return (await self.db.scalars(query)).all()

    async def claim_event(self, key: str) -> bool:
        statement = (
            self._insert(ProcessedEventRow)
            .values(key=key, seen_at=self.now)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(ProcessedEventRow.key)
        )
        return (await self.db.execute(statement)).first() is not None

    async def forget_events(self, before: datetime) -> None:
        await self.db.execute(delete(ProcessedEventRow).where(ProcessedEventRow.seen_at < before))
