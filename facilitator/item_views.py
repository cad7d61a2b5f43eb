"""The session's visible items as reply data, with authors hidden in anonymous sessions."""

from __future__ import annotations

from facilitator.replies import ItemView
from facilitator.store.models import SessionRow
from facilitator.store.repository import Repository


async def visible_item_views(repo: Repository, session: SessionRow) -> tuple[ItemView, ...]:
    people = {p.id: p for p in await repo.participants_of(session.id)}
    return tuple(
        ItemView(
            number=item.number,
            kind=item.kind,
            text=item.text,
            author=None if session.anonymous else people[item.author_id].name,
            author_level=None if session.anonymous else people[item.author_id].level,
        )
        for item in await repo.items_of(session.id)
        if not item.hidden
    )
