"""Votes as the tally, the summary and the exports use them: sums, never single votes.

Every use of a session's votes is an aggregate (per item and level, per person, in total), so the
store adds them up in SQL: reading a big session's 30,000 votes as records only to add them up
took longer than everything else in an export. Snapshots built by hand keep their votes, and
derive the same sums from them (`VoteCounts.of_votes`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from facilitator.domain.levels import UNSPECIFIED_LEVEL


@dataclass(frozen=True)
class VoteRecord:
    """One vote row, for snapshots built by hand (tests); the store gives sums instead."""

    item_number: int
    participant_id: int
    weight: int  # 1, or more when the session allows several votes per item


# item number -> voter's level -> a count. Items without votes (and levels without) are absent;
# hidden items are included: only the consumers know what they show.
PerItemAndLevel = Mapping[int, Mapping[str, int]]


@dataclass(frozen=True)
class VoteCounts:
    votes: PerItemAndLevel  # the sum of the weights
    voters: PerItemAndLevel  # distinct people
    # participant id -> weight of all their votes; only people who hold at least one vote.
    by_participant: Mapping[int, int]
    # participant id -> weight of their votes on items they wrote themselves (reciprocity counts
    # votes on other people's items); only people with such votes.
    own_by_participant: Mapping[int, int]

    @property
    def total(self) -> int:
        return sum(self.by_participant.values())

    @classmethod
    def of_votes(
        cls, votes: Iterable[VoteRecord], level_of: Mapping[int, str], author_of: Mapping[int, int]
    ) -> VoteCounts:
        """The sums of single votes; `level_of` maps a participant id to their level, `author_of` an
        item number to its author's participant id."""
        weights: dict[int, dict[str, int]] = {}
        people: dict[int, dict[str, set[int]]] = {}
        by_participant: dict[int, int] = {}
        own: dict[int, int] = {}
        for vote in votes:
            if author_of.get(vote.item_number) == vote.participant_id:
                own[vote.participant_id] = own.get(vote.participant_id, 0) + vote.weight
            level = level_of[vote.participant_id]
            item_weights = weights.setdefault(vote.item_number, {})
            item_weights[level] = item_weights.get(level, 0) + vote.weight
            people.setdefault(vote.item_number, {}).setdefault(level, set()).add(vote.participant_id)
            by_participant[vote.participant_id] = by_participant.get(vote.participant_id, 0) + vote.weight
        voters = {number: {level: len(ids) for level, ids in levels.items()} for number, levels in people.items()}
        return cls(weights, voters, by_participant, own)

    @classmethod
    def of_sums(
        cls,
        item_sums: Iterable[tuple[int, str | None, int, int]],
        participant_sums: Iterable[tuple[int, int | None, int | None]],
        number_of: Mapping[int, int],
    ) -> VoteCounts:
        """From the store's GROUP BY rows: (item id, level, votes, voters) and (participant id, votes,
        votes on their own items); `number_of` maps every item id of the session to its number."""
        rows = tuple(item_sums)
        people = tuple(participant_sums)
        return cls(
            by_item(rows, number_of, VOTES_COLUMN),
            by_item(rows, number_of, VOTERS_COLUMN),
            {participant: int(weight) for participant, weight, _ in people if weight},
            {participant: int(own) for participant, _, own in people if own},
        )


# Which count of the store's (item id, level, votes, voters) rows by_item adds up.
VOTES_COLUMN = 0
VOTERS_COLUMN = 1


def by_item(
    rows: Iterable[tuple[int, str | None, int, int]], number_of: Mapping[int, int], column: int
) -> dict[int, dict[str, int]]:
    """One column of the store's rows by item id, added up by item number and level; items missing
    from `number_of` (hidden ones, for a tally) are left out."""
    totals: dict[int, dict[str, int]] = {}
    for item_id, level, *counts in rows:
        number = number_of.get(item_id)
        if number is not None:
            per_level = totals.setdefault(number, {})
            # No level reads as unspecified, as in the snapshot: two groups may land on one level.
            name = level or UNSPECIFIED_LEVEL
            per_level[name] = per_level.get(name, 0) + int(counts[column])
    return totals
