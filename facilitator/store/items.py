"""Items: numbering, lookups, hiding and merging, authors' reasons, DON'T -> DO pairs, and
submissions held back as near-duplicates until "send anyway"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update

from facilitator.store.base import StoreBase
from facilitator.store.models import ItemRow, PairRow, PendingItemRow, SessionRow
from facilitator.store.vote_statements import ITEMS_BY_NUMBER, VOTE_TARGETS


@dataclass(frozen=True)
class VoteTarget:
    """An item as a vote sees it."""

    id: int
    hidden: bool
    merged_into: int | None


class ItemsStore(StoreBase):
    async def add_item(self, session_id: int, kind: str, text: str, author_id: int, source: str | None = None) -> ItemRow:
        number = await self.db.scalar(
            update(SessionRow)
            .where(SessionRow.id == session_id)
            .values(item_count=SessionRow.item_count + 1)
            .returning(SessionRow.item_count)
        )
        assert number is not None
        item = ItemRow(
            session_id=session_id,
            number=number,
            kind=kind,
            text=text,
            author_id=author_id,
            hidden=False,
            created_at=self.now,
            source=source,
        )
        self.db.add(item)
        await self.db.flush()
        return item

    async def items_by_number(self, session_id: int, numbers: Sequence[int]) -> dict[int, ItemRow]:
        found = await self.db.scalars(ITEMS_BY_NUMBER, {"session_id": session_id, "numbers": sorted(set(numbers))})
        return {item.number: item for item in found.all()}

    async def vote_targets(self, session_id: int, numbers: Sequence[int]) -> dict[int, VoteTarget]:
        """What a vote needs of each item, as plain rows: the vote path loads no ORM objects."""
        rows = await self.db.execute(VOTE_TARGETS, {"session_id": session_id, "numbers": sorted(set(numbers))})
        return {row.number: VoteTarget(row.id, row.hidden, row.merged_into) for row in rows}

    async def item_by_source(self, session_id: int, source: str) -> ItemRow | None:
        query = select(ItemRow).where(ItemRow.session_id == session_id, ItemRow.source == source)
        return (await self.db.scalars(query)).first()

    async def revise_item(self, item_id: int, kind: str, text: str) -> None:
        await self.db.execute(update(ItemRow).where(ItemRow.id == item_id).values(kind=kind, text=text))

    async def attach_post(self, session_id: int, number: int, post: str) -> None:
        await self.db.execute(
            update(ItemRow).where(ItemRow.session_id == session_id, ItemRow.number == number).values(post=post)
        )

    async def remove_item(self, item: ItemRow) -> None:
        """Delete the item (its votes go with it: refund them first) and what names it by number:
        its pairs; items merged into it stand on their own again."""
        await self.db.execute(
            delete(PairRow).where(
                PairRow.session_id == item.session_id,
                (PairRow.dont_number == item.number) | (PairRow.do_number == item.number),
            )
        )
        await self.db.execute(
            update(ItemRow)
            .where(ItemRow.session_id == item.session_id, ItemRow.merged_into == item.number)
            .values(hidden=False, merged_into=None)
        )
        await self.db.execute(delete(ItemRow).where(ItemRow.id == item.id))

    async def items_of(self, session_id: int) -> Sequence[ItemRow]:
        query = select(ItemRow).where(ItemRow.session_id == session_id).order_by(ItemRow.number)
        return (await self.db.scalars(query)).all()

    async def hide_item(self, item_id: int) -> None:
        await self.db.execute(update(ItemRow).where(ItemRow.id == item_id).values(hidden=True))

    async def restore_item(self, item_id: int) -> None:
        await self.db.execute(update(ItemRow).where(ItemRow.id == item_id).values(hidden=False, merged_into=None))

    async def fold_item(self, item_id: int, into_number: int) -> None:
        """Hide the item as merged into another: its number then points people there."""
        await self.db.execute(update(ItemRow).where(ItemRow.id == item_id).values(hidden=True, merged_into=into_number))

    async def set_why(self, item_id: int, why: str) -> None:
        await self.db.execute(update(ItemRow).where(ItemRow.id == item_id).values(why=why))

    # DON'T -> DO pairs

    async def add_pair(self, session_id: int, dont_number: int, do_number: int) -> bool:
        statement = (
            self._insert(PairRow)
            .values(session_id=session_id, dont_number=dont_number, do_number=do_number)
            .on_conflict_do_nothing(index_elements=["session_id", "dont_number", "do_number"])
            .returning(PairRow.id)
        )
        return (await self.db.execute(statement)).first() is not None

    async def pairs_of(self, session_id: int) -> Sequence[PairRow]:
        query = select(PairRow).where(PairRow.session_id == session_id).order_by(PairRow.id)
        return (await self.db.scalars(query)).all()

    # Held-back submissions

    async def hold(self, session_id: int, user_id: str, kind: str, text: str, stale_before: datetime) -> int:
        await self.db.execute(
            delete(PendingItemRow).where(
                PendingItemRow.session_id == session_id, PendingItemRow.created_at < stale_before
            )
        )
        row = PendingItemRow(session_id=session_id, user_id=user_id, kind=kind, text=text, created_at=self.now)
        self.db.add(row)
        await self.db.flush()
        return row.id

    async def take_held(self, pending_id: int, session_id: int, user_id: str) -> PendingItemRow | None:
        """The held submission, removed, if it is this person's in this session (exactly once)."""
        row = await self.db.get(PendingItemRow, pending_id)
        if row is None or row.session_id != session_id or row.user_id != user_id:
            return None
        gone = await self.db.execute(delete(PendingItemRow).where(PendingItemRow.id == pending_id))
        return row if gone.rowcount == 1 else None  # type: ignore[attr-defined]
