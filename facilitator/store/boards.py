"""Board links: stored as hashes, looked up by hash, replaced all at once."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select

from facilitator.store.base import StoreBase
from facilitator.store.models import BoardTokenRow


class BoardsStore(StoreBase):
    async def add_board_token(self, session_id: int, token_hash: str) -> None:
        self.db.add(BoardTokenRow(session_id=session_id, token_hash=token_hash, created_at=self.now))
        await self.db.flush()

    async def revoke_board_tokens(self, session_id: int) -> None:
        await self.db.execute(delete(BoardTokenRow).where(BoardTokenRow.session_id == session_id))

    async def board_token_count(self, session_id: int) -> int:
        query = select(func.count()).select_from(BoardTokenRow).where(BoardTokenRow.session_id == session_id)
        return int((await self.db.execute(query)).scalar_one())

    async def session_for_board_token(self, token_hash: str) -> int | None:
        query = select(BoardTokenRow.session_id).where(BoardTokenRow.token_hash == token_hash)
        return (await self.db.execute(query)).scalar_one_or_none()

    async def board_token_hashes(self, session_id: int) -> Sequence[str]:
        query = select(BoardTokenRow.token_hash).where(BoardTokenRow.session_id == session_id)
        return (await self.db.scalars(query)).all()
