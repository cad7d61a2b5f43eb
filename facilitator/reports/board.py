"""What the live board shows: a read model built from a session's snapshot, for everyone in
the room. Every rule about what may be seen comes from domain.visibility: no tally while votes
are blind, no author in an anonymous session, no hidden item, no private reply (the board is
built from the stored session, never from replies)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from facilitator.domain.levels import UNSPECIFIED_LEVEL
from facilitator.domain.phases import Phase
from facilitator.domain.visibility import about_author, has_votes_left, results_published, tallies_secret
from facilitator.domain.deliberation import DEFAULT_AGENDA, AgendaOrder
from facilitator.reports.agenda import build_agenda
from facilitator.reports.agenda_replies import why_here
from facilitator.reports.snapshot import SessionSnapshot
from facilitator.reports.summary import SessionSummary, summarize
from facilitator.reports.summary.wording import level_title
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
        done = sum(
            1 for person in snapshot.participants
            if not has_votes_left(counts.by_participant.get(person.id, 0), person.used_all_votes, budget, secret)
        )
        progress = VotingProgress(len(snapshot.participants), done, None if secret else counts.total)
    published = phase in (Phase.DISCUSSING, Phase.CLOSED) and results_published(settings.blind, phase)
    results = summarize(snapshot) if published else None
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
        results=results,
        round=snapshot.round,
        discussing=_now_discussing(snapshot, results) if phase is Phase.DISCUSSING else None,
        pledges=tuple(BoardPledge(p.number, about_author(snapshot.anonymous, p.owner_name), p.text, p.status)
                      for p in snapshot.pledges),
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
