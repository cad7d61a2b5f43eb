"""Giving back the votes on an item that leaves the lists (hidden, or withdrawn by its author),
and who is to be told."""

from __future__ import annotations

from facilitator.store.models import ItemRow, SessionRow
from facilitator.store.store import Store


async def refund_all(store: Store, item: ItemRow) -> dict[int, int]:
    """Take every vote off ITEM and give it back; returns the refund per participant id."""
    refunds = dict[int, int]()
    for vote in await store.votes_on(item.id):
        refunds[vote.participant_id] = refunds.get(vote.participant_id, 0) + vote.weight
        await store.delete_vote(vote.id)
    for participant_id, amount in refunds.items():
        await store.refund(participant_id, amount)
    return refunds


async def refunded_people(store: Store, session: SessionRow, refunds: dict[int, int]) -> list[tuple[str, int, int]]:
    """(user id, votes back, votes left) of each refunded person, read after the refunds."""
    if not refunds:
        return []
    people = {p.id: p for p in await store.participants_of(session.id)}
    return [(people[pid].user_id, amount, session.vote_budget - people[pid].votes_used)
            for pid, amount in refunds.items()]
