"""The outbox as adapters use it: each call one short unit of work (store/outbox.py holds the
statements and the claiming rule). Times come from the context's clock."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from facilitator.app.context import Context
from facilitator.store.outbox import Letter, Queued

__all__ = ["Letter", "OutboxQueue", "Queued"]


class OutboxQueue:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def now(self) -> datetime:
        return self.ctx.clock()

    async def put(self, letters: Sequence[Letter], delay: timedelta = timedelta(0)) -> None:
        if not letters:
            return
        now = self.ctx.clock()
        async with self.ctx.db.write(now) as store:
            await store.put_letters(letters, now + delay)

    async def due_lanes(self, platform: str) -> list[tuple[str, str]]:
        async with self.ctx.db.read(self.ctx.clock()) as store:
            return await store.due_lanes(platform)

    async def claim(self, platform: str, tenant: str, method: str, limit: int, lease: timedelta,
                    per_recipient: int = 0) -> list[Queued]:
        async with self.ctx.db.write(self.ctx.clock()) as store:
            return await store.claim_letters(platform, tenant, method, limit, lease, per_recipient)

    async def settle(self, done: Sequence[int], later: Sequence[tuple[int, datetime]]) -> None:
        """Delivered or dropped rows leave; the rest wait until their own time."""
        if not done and not later:
            return
        async with self.ctx.db.write(self.ctx.clock()) as store:
            await store.forget_letters(done)
            for moment in sorted({m for _, m in later}):
                await store.postpone_letters([i for i, m in later if m == moment], moment)

    async def expire(self, platform: str) -> list[Queued]:
        # Looked for in a read first: an idle bot polls, and a write would take SQLite's lock.
        async with self.ctx.db.read(self.ctx.clock()) as store:
            if not await store.expired_letters(platform):
                return []
        async with self.ctx.db.write(self.ctx.clock()) as store:
            return await store.expire_letters(platform)

    async def next_at(self, platform: str) -> datetime | None:
        async with self.ctx.db.read(self.ctx.clock()) as store:
            return await store.next_letter_at(platform)

    async def waiting(self, platform: str) -> int:
        async with self.ctx.db.read(self.ctx.clock()) as store:
            return await store.letters_waiting(platform)
