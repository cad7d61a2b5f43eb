"""The summary's data: what a session produced, as plain frozen records (see compute.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from facilitator.domain.templates import Reading
from facilitator.reports.rounds import Movement
from facilitator.reports.snapshot import EarlierPledges
from facilitator.reports.summary.annotations import Annotations, Audience
from facilitator.reports.summary.pledges import PledgesSummary
from facilitator.reports.summary.reciprocity import Reciprocity
from facilitator.reports.surprise import Surprise


@dataclass(frozen=True)
class LevelSupport:
    level: str
    people: int  # participants at this level
    votes: int  # dots from this level (a person may give more than one when the session allows)
    voters: int  # distinct people of this level who voted for the item

    @property
    def share(self) -> float | None:
        """Voters as a share of the level's people; None when nobody of this level took part."""
        return self.voters / self.people if self.people else None


@dataclass(frozen=True)
class ItemStats:
    number: int
    kind: str
    label: str  # the category as people see it: "DO", "DON'T"
    text: str
    author: str | None  # None in anonymous sessions
    author_level: str
    votes: int
    rank: int  # within its category; tied items share a rank (1, 2, 2, 4)
    by_level: tuple[LevelSupport, ...]  # one per level of the summary, in its order

    def support(self, level: str) -> LevelSupport:
        return next(s for s in self.by_level if s.level == level)


@dataclass(frozen=True)
class CategoryTop:
    kind: str
    label: str
    items: tuple[ItemStats, ...]  # the most-voted first, at most TOP_PER_CATEGORY
    total: int  # visible items in the category


@dataclass(frozen=True)
class Consensus:
    """Items that at least one person of every compared level voted for. The compared levels
    are the template's levels that had people; `unspecified` is not an experience level, and
    with fewer than two levels present there is nothing to agree across."""

    levels: tuple[str, ...]
    items: tuple[ItemStats, ...]  # broadest support first

    @property
    def applicable(self) -> bool:
        return len(self.levels) >= 2


@dataclass(frozen=True)
class DivergenceEntry:
    item: ItemStats
    first_share: float
    last_share: float

    @property
    def difference(self) -> float:
        """Positive when the last level (veterans) supports the item more."""
        return self.last_share - self.first_share


@dataclass(frozen=True)
class Divergence:
    """Normalised support compared between the first and the last level in template order.
    A level with fewer than `min_level_size` people is marked too few to rank, and then
    nothing is ranked: one person's vote would read as a whole level's view."""

    first_level: str
    last_level: str
    people: tuple[tuple[str, int], ...]  # the two levels' head counts
    min_level_size: int
    too_few: tuple[str, ...]
    entries: tuple[DivergenceEntry, ...]  # largest difference first; items with no difference are left out

    @property
    def applicable(self) -> bool:
        return self.first_level != self.last_level

    @property
    def ranked(self) -> bool:
        return self.applicable and not self.too_few

    def favoured_by(self, entry: DivergenceEntry) -> str:
        return self.last_level if entry.difference > 0 else self.first_level


@dataclass(frozen=True)
class GiveAndTake:
    level: str
    people: int
    contributed: int  # sent at least one item that is shown, or was merged into another
    only_voted: int  # sent none, but hold at least one vote
    silent: int
    # Names are empty in anonymous sessions.
    contributors: tuple[str, ...] = ()
    voters_only: tuple[str, ...] = ()
    silent_people: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhaseSpan:
    phase: str
    started: datetime
    ended: datetime | None  # None for the phase the session is in, and for `closed`

    @property
    def duration(self) -> timedelta | None:
        return None if self.ended is None else self.ended - self.started


@dataclass(frozen=True)
class RoundTally:
    """One vote round as the exports show it: shown items' votes by level, and its surprise
    scores when predictions were on."""

    round: int
    votes: Mapping[int, Mapping[str, int]]  # shown item number -> level -> votes (levels with none left out)
    voters: int
    surprise: Surprise | None  # None when predictions were off

    def total(self, number: int) -> int:
        return sum(self.votes.get(number, {}).values())


@dataclass(frozen=True)
class NoteView:
    author: str | None  # None in anonymous sessions
    text: str
    at: datetime


@dataclass(frozen=True)
class Discussed:
    """An item put up for discussion (`/pln next item`), in agenda order, with its notes."""

    number: int
    reason: str  # votes, divergence or unshared
    started_at: datetime
    seconds: int | None
    notes: tuple[NoteView, ...]


@dataclass(frozen=True)
class SessionSummary:
    session_id: int
    title: str
    template_id: str
    template_title: str
    platform: str
    phase: str
    anonymous: bool
    vote_budget: int
    created_at: datetime
    levels: tuple[str, ...]  # template levels, plus `unspecified` when someone has not picked one
    people_by_level: tuple[tuple[str, int], ...]
    items: tuple[ItemStats, ...]  # every shown item, by category then rank
    votes_cast: int
    top: tuple[CategoryTop, ...]
    consensus: Consensus
    divergence: Divergence
    give_and_take: tuple[GiveAndTake, ...]
    reciprocity: Reciprocity
    annotations: Annotations
    audience: Audience
    readings: tuple[Reading, ...]
    questions: tuple[str, ...]
    timeline: tuple[PhaseSpan, ...]
    # Deliberation: the current round and every round so far (the last is the current one), the
    # movement from the round before when there was one, and the discussion in agenda order.
    round: int = 1
    rounds: tuple[RoundTally, ...] = ()
    movement: Movement | None = None
    predict: bool = False
    agenda: str | None = None
    discussion: tuple[Discussed, ...] = ()
    pledges: PledgesSummary = PledgesSummary((), (), EarlierPledges(0, 0))

    @property
    def surprise(self) -> Surprise | None:
        """The surprise scores the summary shows: the latest round anyone made predictions in
        (a second round people only voted in leaves the first round's list standing), else the
        current round's. None when predictions were off."""
        scored = [tally.surprise for tally in self.rounds if tally.surprise is not None]
        predicted = [scores for scores in scored if scores.predictors]
        chosen = predicted or scored
        return chosen[-1] if chosen else None

    def item(self, number: int) -> ItemStats | None:
        return self._by_number.get(number)

    @cached_property
    def _by_number(self) -> dict[int, ItemStats]:
        return {item.number: item for item in self.items}

    @property
    def participant_count(self) -> int:
        return sum(count for _, count in self.people_by_level)
