"""A session's data, read once from the store, for pure functions (tally, summary, exports)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime
from typing import Any

from facilitator.domain.settings import Settings
from facilitator.domain.templates import Template
from facilitator.reports.vote_counts import VoteCounts, VoteRecord


@dataclass(frozen=True)
class ParticipantRecord:
    id: int
    user_id: str
    name: str
    level: str  # a template level, or "unspecified"
    is_facilitator: bool
    used_all_votes: bool = False  # spent all their votes at some point of this vote (domain.visibility)


@dataclass(frozen=True)
class ItemRecord:
    number: int
    kind: str  # a template category id: "do" or "dont" in the pln template
    text: str
    author_id: int  # ParticipantRecord.id
    created_at: datetime
    hidden: bool = False
    why: str | None = None  # the author's one-line reason (`/pln why N TEXT`)
    merged_into: int | None = None  # set (and hidden) when folded into another item


@dataclass(frozen=True)
class PhaseChange:
    phase: str
    at: datetime


@dataclass(frozen=True)
class AuditRecord:
    """A moderation or settings action. `actor` is a platform user id."""

    at: datetime
    actor: str
    actor_name: str
    action: str  # hide, restore, merge, settings, timer
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PairRecord:
    dont_number: int
    do_number: int  # the DO that fixes the DON'T


@dataclass(frozen=True)
class RoundRecord:
    """The votes of a closed round (`/pln revote` opened the next one), as sums."""

    round: int
    counts: VoteCounts


@dataclass(frozen=True)
class PredictionRecord:
    """The items one voter expected most others to back, in one round (`/pln predict`)."""

    round: int
    participant_id: int
    numbers: tuple[int, ...]


@dataclass(frozen=True)
class DiscussionRecord:
    """An item `/pln next item` put up for discussion; records are in agenda order."""

    number: int
    reason: str  # why it was on the agenda: votes, divergence or unshared
    started_at: datetime
    seconds: int | None = None  # its timebox


@dataclass(frozen=True)
class NoteRecord:
    number: int
    author_name: str  # a facilitator; never shown in an anonymous session
    text: str
    at: datetime


@dataclass(frozen=True)
class PledgeRecord:
    """What one person committed to give back (`/pln pledge`)."""

    number: int
    owner: str  # platform user id
    owner_name: str  # never shown in an anonymous session
    participant_id: int | None  # ParticipantRecord.id, when the owner joined this session
    level: str  # the owner's level here, or "unspecified"
    text: str
    item: int | None
    status: str  # open, done or dropped
    created_at: datetime
    due_at: datetime | None = None  # the next follow-up
    done_at: datetime | None = None


@dataclass(frozen=True)
class EarlierPledges:
    """Pledges of earlier sessions in the same channel that were still open when this one
    started, and how many of them have been done since."""

    open_at_start: int
    done_since: int


@dataclass(frozen=True)
class SessionSnapshot:
    id: int
    title: str
    template: Template
    platform: str
    channel: str
    phase: str
    settings: Settings
    created_at: datetime
    participants: tuple[ParticipantRecord, ...]
    items: tuple[ItemRecord, ...]
    timeline: tuple[PhaseChange, ...]
    audit: tuple[AuditRecord, ...] = ()
    pairs: tuple[PairRecord, ...] = ()
    deadline: datetime | None = None  # when the current phase ends on its own, if timed
    # Either the sums from the store, or every vote (snapshots built by hand); read `vote_counts`.
    counts: VoteCounts | None = None
    votes: tuple[VoteRecord, ...] = ()
    # Deliberation: the round being (or last) voted on, whose votes are `counts`/`votes`; the
    # rounds before it; predictions of every round; the agenda order and what was discussed.
    round: int = 1
    closed_rounds: tuple[RoundRecord, ...] = ()
    predictions: tuple[PredictionRecord, ...] = ()
    agenda: str | None = None
    discussions: tuple[DiscussionRecord, ...] = ()
    notes: tuple[NoteRecord, ...] = ()
    # Set when this round's predictions were left out because voting is still open
    # (app.reading.sealed): its surprise scores are then unknown, not "too few predictions".
    sealed_round: int | None = None
    pledges: tuple[PledgeRecord, ...] = ()
    earlier_pledges: EarlierPledges = EarlierPledges(0, 0)

    @property
    def anonymous(self) -> bool:
        return self.settings.anonymous

    @cached_property
    def _participants_by_id(self) -> dict[int, ParticipantRecord]:
        return {person.id: person for person in self.participants}

    def participant(self, participant_id: int) -> ParticipantRecord:
        # An index, built once: a tally looks up every item's author (5,000 items x 2,000 people
        # took a second as a scan).
        return self._participants_by_id[participant_id]

    @cached_property
    def vote_counts(self) -> VoteCounts:
        """The sums given, or else the sums of `votes`."""
        if self.counts is not None:
            return self.counts
        return VoteCounts.of_votes(
            self.votes,
            {person.id: person.level for person in self.participants},
            {item.number: item.author_id for item in self.items},
        )

    def round_counts(self, round_: int) -> VoteCounts:
        """The votes of one round: the current round's, or a closed one's (empty if it never was)."""
        if round_ == self.round:
            return self.vote_counts
        found = next((record.counts for record in self.closed_rounds if record.round == round_), None)
        return found or VoteCounts({}, {}, {}, {})

    def visible_items(self) -> tuple[ItemRecord, ...]:
        return self._visible

    @cached_property
    def _visible(self) -> tuple[ItemRecord, ...]:
        # Once: the summary, the tally and the JSON export each ask (5,000 items in a big session).
        return tuple(item for item in self.items if not item.hidden)
