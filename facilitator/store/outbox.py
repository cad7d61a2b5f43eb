"""The outbox's statements: messages the bot owes a platform, kept until delivered or useless.

A row is claimed by one process at a time: the claim is a conditional UPDATE (the lease must be
free), so two processes that picked the same rows never both send one. A process killed while
sending leaves its lease to run out; the row is then claimed again (sent at least once; the
lease is long enough for a send to finish, so "twice" needs a process to die mid-send).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update

from facilitator.store.base import StoreBase, as_utc
from facilitator.store.models import OutboxRow


@dataclass(frozen=True)
class Letter:
    """One message for a platform call (`method`), as the adapter rendered it (`body`)."""

    platform: str
    tenant: str
    method: str
    channel: str
    body: dict[str, Any]
    expires_at: datetime
    recipient: str | None = None
    thread: str | None = None
    fallback_url: str | None = None  # a response_url to answer on when the channel refuses


@dataclass(frozen=True)
class Queued:
    id: int
    letter: Letter
    created_at: datetime
    attempts: int


def _queued(row: OutboxRow) -> Queued:
    letter = Letter(row.platform, row.tenant, row.method, row.channel, json.loads(row.body),
                    as_utc(row.expires_at), row.recipient, row.thread, row.fallback_url)
    return Queued(row.id, letter, as_utc(row.created_at), row.attempts)


def _free(now: datetime) -> Any:
    return or_(OutboxRow.lease_until.is_(None), OutboxRow.lease_until <= now)


class OutboxStore(StoreBase):
    async def put_letters(self, letters: Sequence[Letter], due_at: datetime) -> None:
        self.db.add_all(
            OutboxRow(platform=x.platform, tenant=x.tenant, method=x.method, channel=x.channel, recipient=x.recipient,
                      thread=x.thread, body=json.dumps(x.body), fallback_url=x.fallback_url, created_at=self.now,
                      due_at=due_at, expires_at=x.expires_at, attempts=0)
            for x in letters
        )
        await self.db.flush()

    async def due_lanes(self, platform: str) -> list[tuple[str, str]]:
        """(tenant, method) of every lane with a row that may be sent now."""
        query = (
            select(OutboxRow.tenant, OutboxRow.method).distinct()
            .where(OutboxRow.platform == platform, OutboxRow.due_at <= self.now, _free(self.now))
        )
        return [(str(t), str(m)) for t, m in (await self.db.execute(query)).all()]

    async def claim_letters(self, platform: str, tenant: str, method: str, limit: int,
                            lease: timedelta, per_recipient: int = 0) -> list[Queued]:
        """The `limit` oldest due rows of one lane, plus up to `per_recipient` more rows waiting
        for each of their recipients (so that what waits for one person can go as one message),
        leased to this caller."""
        lane = (OutboxRow.platform == platform, OutboxRow.tenant == tenant, OutboxRow.method == method,
                OutboxRow.due_at <= self.now, OutboxRow.expires_at > self.now, _free(self.now))
        oldest = (await self.db.execute(
            select(OutboxRow.id, OutboxRow.recipient).where(*lane).order_by(OutboxRow.id).limit(limit))).all()
        ids = [row_id for row_id, _ in oldest]
        if not ids:
            return []
        recipients = {recipient for _, recipient in oldest if recipient is not None}
        if per_recipient and recipients:
            more = select(OutboxRow.id).where(*lane, OutboxRow.recipient.in_(recipients), OutboxRow.id.not_in(ids))
            ids += (await self.db.scalars(more.order_by(OutboxRow.id).limit(per_recipient * len(recipients)))).all()
        # The lease is re-checked by the UPDATE itself: on PostgreSQL a row another process leased
        # in between no longer matches, so it comes back to one of them only.
        claimed = await self.db.scalars(
            update(OutboxRow).where(OutboxRow.id.in_(ids), _free(self.now))
            .values(lease_until=self.now + lease).returning(OutboxRow)
        )
        return sorted((_queued(row) for row in claimed.all()), key=lambda q: q.id)

    async def forget_letters(self, ids: Sequence[int]) -> None:
        """Delivered, or dropped for a reason the caller logged."""
        if ids:
            await self.db.execute(delete(OutboxRow).where(OutboxRow.id.in_(ids)))

    async def postpone_letters(self, ids: Sequence[int], due_at: datetime) -> None:
        if ids:
            await self.db.execute(
                update(OutboxRow).where(OutboxRow.id.in_(ids))
                .values(due_at=due_at, lease_until=None, attempts=OutboxRow.attempts + 1)
            )

    async def expired_letters(self, platform: str) -> int:
        query = select(func.count()).select_from(OutboxRow).where(
            OutboxRow.platform == platform, OutboxRow.expires_at <= self.now, _free(self.now))
        return int((await self.db.execute(query)).scalar() or 0)

    async def expire_letters(self, platform: str) -> list[Queued]:
        """Removes and returns the rows no longer worth sending."""
        query = select(OutboxRow).where(OutboxRow.platform == platform, OutboxRow.expires_at <= self.now,
                                        _free(self.now))
        rows = list((await self.db.scalars(query)).all())
        if rows:
            await self.db.execute(delete(OutboxRow).where(OutboxRow.id.in_([r.id for r in rows])))
        return [_queued(row) for row in rows]

    async def next_letter_at(self, platform: str) -> datetime | None:
        """When the earliest row waiting (due, or leased by a process that may have died) can go."""
        due = func.coalesce(OutboxRow.lease_until, OutboxRow.due_at)
        moment = (await self.db.execute(select(func.min(due)).where(OutboxRow.platform == platform))).scalar()
        return None if moment is None else as_utc(moment)

    async def letters_waiting(self, platform: str) -> int:
        query = select(func.count()).select_from(OutboxRow).where(OutboxRow.platform == platform)
        return int((await self.db.execute(query)).scalar() or 0)
