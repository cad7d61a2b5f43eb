"""The session's visible items as reply data, with authors hidden in anonymous sessions."""

from __future__ import annotations

from facilitator.domain.visibility import about_author
from facilitator.replies import ItemView
from facilitator.store.models import SessionRow
from facilitator.store.store import Store


async def visible_item_views(store: Store, session: SessionRow) -> tuple[ItemView, ...]:
    people = {p.id: p for p in await store.participants_of(session.id)}
    return tuple(
        ItemView(
            number=item.number,
            kind=item.kind,
            text=item.text,
            author=about_author(session.anonymous, people[item.author_id].name),
            author_level=about_author(session.anonymous, people[item.author_id].level),
        )
        for item in await store.items_of(session.id)
        if not item.hidden
    )
