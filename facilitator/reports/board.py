"""What the live board shows: a read model built from a session's snapshot, for everyone in
the room. Every rule about what may be seen comes from domain.visibility: no tally while votes
are blind, no author in an anonymous session, no hidden item, no private reply (the board is
built from the stored session, never from replies)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from facilitator.domain.levels import UNSPECIFIED_LEVEL
from facilitator.domain.phases import Phase
from facilitator.domain.settings import Settings
from facilitator.domain.templates import Template
from facilitator.domain.visibility import about_author, has_votes_left, results_published, tallies_secret
from facilitator.domain.deliberation import DEFAULT_AGENDA, AgendaOrder
from facilitator.reports.agenda import build_agenda
from facilitator.reports.agenda_replies import why_here
from facilitator.reports.snapshot import SessionSnapshot
from facilitator.reports.summary import SessionSummary, summarize
from facilitator.reports.summary.wording import level_title
from facilitator.reports.tally import levels_for

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
    done: int  # people who have spent all their votes (visibility.has_votes_left: no hide moves it)
    votes_cast: int | None  # None while tallies are secret


@dataclass(frozen=True)
class NowDiscussing:
    """The agenda item up for discussion (`/pln next item`), as the room sees it."""

    number: int
    label: str
    text: str
    why: str  # why it is on the agenda, in a few words
    question: str


@dataclass(frozen=True)
class BoardPledge:
    number: int
    owner: str | None  # None in an anonymous session
    text: str
    status: str  # open, done or dropped


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
    round: int = 1  # the vote round: 2 after `/pln revote`
    discussing: NowDiscussing | None = None  # the agenda item up for discussion, while discussing
    pledges: tuple[BoardPledge, ...] = ()  # what people pledged to give back, in order

    @property
    def pledges_kept(self) -> int:
        return sum(1 for pledge in self.pledges if pledge.status == "done")


@dataclass(frozen=True)
class LiveFacts:
    """What a board shows of a session besides its results, as counts. build_board derives them
    from a whole snapshot; before any result is published, app/board_reads.py reads them as
    aggregates instead, so that a rebuild during a burst of votes reads a few hundred rows, not
    every vote and every person (bench figure 7: 64 ms a rebuild for 10,000 people)."""

    session_id: int
    title: str  # the session's, or its template's when it has none
    template: Template
    phase: Phase
    settings: Settings
    deadline: datetime | None  # of the phase the session is in
    round: int
    items: tuple[tuple[int, str, str, str], ...]  # visible ones by number: number, kind, text, author's name
    item_votes: Mapping[int, int]  # item number -> the votes it holds (only items with votes)
    people_by_level: Mapping[str, int]  # every level someone has, unspecified included
    done: int  # people with no votes left to spend, by visibility.has_votes_left
    votes_cast: int
    pledges: tuple[tuple[int, str, str, str], ...]  # number, owner's name, text, status


def build_board(snapshot: SessionSnapshot) -> BoardView:
    phase = Phase(snapshot.phase)
    settings = snapshot.settings
    secret = tallies_secret(settings.blind, phase)
    counts = snapshot.vote_counts
    people = snapshot.participants
    facts = LiveFacts(
        session_id=snapshot.id,
        title=snapshot.title or snapshot.template.title,
        template=snapshot.template,
        phase=phase,
        settings=settings,
        deadline=snapshot.deadline,
        round=snapshot.round,
        items=tuple((item.number, item.kind, item.text, snapshot.participant(item.author_id).name)
                    for item in snapshot.visible_items()),
        item_votes={number: sum(levels.values()) for number, levels in counts.votes.items()},
        people_by_level=Counter(person.level for person in people),
        done=sum(1 for person in people if not has_votes_left(
            counts.by_participant.get(person.id, 0), person.used_all_votes, settings.vote_budget, secret)),
        votes_cast=counts.total,
        pledges=tuple((p.number, p.owner_name, p.text, p.status) for p in snapshot.pledges),
    )
    published = phase in (Phase.DISCUSSING, Phase.CLOSED) and results_published(settings.blind, phase)
    results = summarize(snapshot) if published else None
    discussing = _now_discussing(snapshot, results) if phase is Phase.DISCUSSING else None
    return live_board(facts, results, discussing)


def live_board(facts: LiveFacts, results: SessionSummary | None = None,
               discussing: NowDiscussing | None = None) -> BoardView:
    """The board from its facts; `results` once they are published, `discussing` while discussing."""
    phase, settings = facts.phase, facts.settings
    secret = tallies_secret(settings.blind, phase)
    labels = {category.id: category.label for category in facts.template.categories}
    items = tuple(
        BoardItem(
            number,
            kind,
            labels.get(kind, kind.upper()),
            text,
            about_author(settings.anonymous, author),
            None if secret or phase is Phase.COLLECTING else facts.item_votes.get(number, 0),
        )
        for number, kind, text, author in facts.items[-MAX_ITEMS:]
    )
    levels = levels_for(facts.template, facts.people_by_level.get(UNSPECIFIED_LEVEL, 0) > 0)
    people_by_level = tuple((level, facts.people_by_level.get(level, 0)) for level in levels)
    progress = None
    if phase is Phase.VOTING:
        people = sum(facts.people_by_level.values())
        progress = VotingProgress(people, facts.done, None if secret else facts.votes_cast)
    return BoardView(
        session_id=facts.session_id,
        title=facts.title,
        template_title=facts.template.title,
        prompt=facts.template.prompt,
        phase=phase,
        deadline=facts.deadline,
        anonymous=settings.anonymous,
        blind=settings.blind,
        vote_budget=settings.vote_budget,
        items=items,
        item_count=len(facts.items),
        people_by_level=people_by_level,
        progress=progress,
        results=results,
        round=facts.round,
        discussing=discussing,
        pledges=tuple(BoardPledge(number, about_author(settings.anonymous, owner), text, status)
                      for number, owner, text, status in facts.pledges),
    )


def _now_discussing(snapshot: SessionSnapshot, summary: SessionSummary | None) -> NowDiscussing | None:
    """The last item `/pln next item` put up, with the question it was asked with."""
    if summary is None or not snapshot.discussions:
        return None
    number = snapshot.discussions[-1].number
    agenda = build_agenda(summary, AgendaOrder(snapshot.agenda or DEFAULT_AGENDA.value))
    entry = next((e for e in agenda.entries if e.item.number == number), None)
    if entry is None:  # hidden since it was put up
        return None
    question = snapshot.template.agenda_question(entry.reason, level_title(entry.level), level_title(entry.other))
    return NowDiscussing(number, entry.item.label, entry.item.text, why_here(entry), question)
