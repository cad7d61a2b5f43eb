"""What a live board shows before any result is published, read as aggregates.

A board rebuilds about once a second while people vote. Reading the whole snapshot for it (every
person, every vote as sums per item and level, the audit trail) took 64 ms for a session of
10,000 people and 30,000 votes, on the loop every vote shares (bench figure 7); these reads take
a few hundred rows whatever the number of votes. Once results are published the board needs the
summary, which needs the snapshot (app/boards.py chooses).
"""

from __future__ import annotations

from facilitator.app.context import Context
from facilitator.app.reading import phase_deadline
from facilitator.domain.levels import UNSPECIFIED_LEVEL
from facilitator.domain.phases import Phase
from facilitator.domain.session import settings_of
from facilitator.domain.visibility import tallies_secret
from facilitator.reports.board import LiveFacts
from facilitator.store.models import SessionRow
from facilitator.store.store import Store


async def live_facts(ctx: Context, store: Store, session: SessionRow) -> LiveFacts:
    phase = Phase(session.phase)
    secret = tallies_secret(session.blind, phase)
    items = await store.tally_items(session.id, with_authors=True)  # the board leaves names out when anonymous
    number_of = {item_id: number for item_id, number, *_ in items}
    item_votes = {} if secret or phase is Phase.COLLECTING else {
        number_of[item_id]: int(votes) for item_id, votes in await store.votes_by_item(session.id)
        if item_id in number_of  # hidden and merged-away items hold no votes, and show none
    }
    latched, spent, held = await store.voting_progress(session.id, session.vote_budget)
    template = ctx.template_of(session)
    return LiveFacts(
        session_id=session.id,
        title=session.title or template.title,
        template=template,
        phase=phase,
        settings=settings_of(session),
        deadline=phase_deadline(session),
        round=session.round,
        items=tuple((number, kind, text, author or "") for _, number, kind, text, author in items),
        item_votes=item_votes,
        people_by_level={level or UNSPECIFIED_LEVEL: count for level, count in await store.people_by_level(session.id)},
        # visibility.has_votes_left: while tallies are secret, the latch; else the votes held now.
        done=latched if secret else spent,
        votes_cast=held,
        pledges=tuple((p.number, p.owner_name, p.text, p.status) for p in await store.pledges_of(session.id)),
    )
