"""What the live board shows: a read model built from a session's snapshot, for everyone in
the room. Every rule about what may be seen comes from domain.visibility: no tally while votes
are blind, no author in an anonymous session, no hidden item, no private reply (the board is
built from the stored session, never from replies)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from facilitator.domain.levels import UNSPECIFIED_LEVEL
from facilitator.domain.phases import Phase
from facilitator.domain.visibility import (
    VOTE_MOVING_ACTIONS,
    about_author,
    blind_progress,
    results_published,
    tallies_secret,
)
from facilitator.reports.snapshot import SessionSnapshot
from facilitator.reports.summary import SessionSummary, summarize
from facilitator.reports.tally import level_order

# A projector shows a few hundred items at most; a session with thousands shows its latest.
MAX_ITEMS = 300


@dataclass(frozen=True)
class BoardItem:
    number: int
    kind: str
    label: str  # the category as people see it: "DO", "DON'T"
    text: str
    author: str | None  # None in an anonymous session
    votes: int | None  # None while tallies are secret, and before voting


@dataclass(frozen=True)
class VotingProgress:
    people: int  # everyone who joined
    done: int | None  # people who spent all their votes; None when withheld (visibility.blind_progress)
    votes_cast: int | None  # None while tallies are secret


@dataclass(frozen=True)
class BoardView:
    session_id: int
    title: str
    template_title: str
    prompt: str
    phase: Phase
    deadline: datetime | None
    anonymous: bool
    blind: bool
    vote_budget: int
    items: tuple[BoardItem, ...]  # visible items in order of arrival (the latest MAX_ITEMS)
    item_count: int  # every visible item, also those past MAX_ITEMS
    people_by_level: tuple[tuple[str, int], ...]  # the template's levels (and unspecified when used)
    progress: VotingProgress | None  # while voting
    results: SessionSummary | None  # once the results are published (after voting)


def build_board(snapshot: SessionSnapshot) -> BoardView:
    phase = Phase(snapshot.phase)
    settings = snapshot.settings
    secret = tallies_secret(settings.blind, phase)
    counts = snapshot.vote_counts
    labels = {category.id: category.label for category in snapshot.template.categories}
    visible = snapshot.visible_items()
    items = tuple(
        BoardItem(
            item.number,
            item.kind,
            labels.get(item.kind, item.kind.upper()),
            item.text,
            about_author(snapshot.anonymous, snapshot.participant(item.author_id).name),
            None if secret or phase is Phase.COLLECTING else sum(counts.votes.get(item.number, {}).values()),
        )
        for item in visible[-MAX_ITEMS:]
    )
    levels = level_order(snapshot)
    people = [person.level for person in snapshot.participants]
    people_by_level = tuple(
        (level, people.count(level)) for level in levels if level != UNSPECIFIED_LEVEL or level in people
    )
    progress = None
    if phase is Phase.VOTING:
        budget = settings.vote_budget
        done = sum(1 for person in snapshot.participants if counts.by_participant.get(person.id, 0) >= budget)
        progress = VotingProgress(
            len(snapshot.participants),
            blind_progress(settings.blind, phase, done, _votes_moved_while_voting(snapshot)),
            None if secret else counts.total,
        )
    published = phase in (Phase.DISCUSSING, Phase.CLOSED) and results_published(settings.blind, phase)
    return BoardView(
        session_id=snapshot.id,
        title=snapshot.title or snapshot.template.title,
        template_title=snapshot.template.title,
        prompt=snapshot.template.prompt,
        phase=phase,
        deadline=snapshot.deadline,
        anonymous=snapshot.anonymous,
        blind=settings.blind,
        vote_budget=settings.vote_budget,
        items=items,
        item_count=len(visible),
        people_by_level=people_by_level,
        progress=progress,
        results=summarize(snapshot) if published else None,
    )


def _votes_moved_while_voting(snapshot: SessionSnapshot) -> bool:
    opened = next((change.at for change in reversed(snapshot.timeline) if change.phase == Phase.VOTING.value), None)
    return opened is not None and any(
        record.action in VOTE_MOVING_ACTIONS and record.at >= opened for record in snapshot.audit
    )
