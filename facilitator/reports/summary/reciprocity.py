"""Reciprocity: what each level (and, for the operator, each person) gave to the session against
what it drew on. The seed's point: "when we take, we must also give" (docs/FACILITATION.md).

Gave:
- items: items they sent that are shown, or were merged into another (the idea lives on there);
  items a facilitator hid are not counted;
- whys: the one-line reasons they added to those items;
- pairs: DON'T -> DO pairs between shown items that one of their items is in (the store keeps a
  pair as two item numbers, not who made it, so a pair is credited to its items' authors, once each);
- pledges: what they pledged to give back (`/pln pledge`), unless dropped.
Drew on:
- votes: votes they hold on other people's items (not on their own);
- paired_with: other people's items their own items are paired with.

Each is a function of the snapshot giving a count per participant id, listed in GIVING or DRAWING:
a new kind of giving is one more entry there, and every format shows it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from facilitator.reports.snapshot import SessionSnapshot
from facilitator.reports.summary.annotations import is_moderated_out
from facilitator.reports.summary.pledges import pledges_given

PerPerson = Counter[int]
Source = Callable[[SessionSnapshot], PerPerson]


def _given_items(snapshot: SessionSnapshot) -> list[tuple[int, str | None]]:
    return [(item.author_id, item.why) for item in snapshot.items if not is_moderated_out(item)]


def items_given(snapshot: SessionSnapshot) -> PerPerson:
    return Counter(author for author, _ in _given_items(snapshot))


def whys_given(snapshot: SessionSnapshot) -> PerPerson:
    return Counter(author for author, why in _given_items(snapshot) if why)


def _shown_pairs(snapshot: SessionSnapshot) -> list[tuple[int, int]]:
    """Each pair between shown items, as its two items' author ids."""
    author = {item.number: item.author_id for item in snapshot.visible_items()}
    return [
        (author[pair.dont_number], author[pair.do_number])
        for pair in snapshot.pairs
        if pair.dont_number in author and pair.do_number in author
    ]


def pairs_given(snapshot: SessionSnapshot) -> PerPerson:
    return Counter(person for authors in _shown_pairs(snapshot) for person in set(authors))


def votes_on_others(snapshot: SessionSnapshot) -> PerPerson:
    counts = snapshot.vote_counts
    return Counter(
        {person: total - counts.own_by_participant.get(person, 0) for person, total in counts.by_participant.items()}
    )


def others_items_paired_with(snapshot: SessionSnapshot) -> PerPerson:
    drawn: PerPerson = Counter()
    for dont_author, do_author in _shown_pairs(snapshot):
        if dont_author != do_author:
            drawn[dont_author] += 1
            drawn[do_author] += 1
    return drawn


GIVING: tuple[tuple[str, Source], ...] = (
    ("items", items_given), ("whys", whys_given), ("pairs", pairs_given), ("pledges", pledges_given),
)
DRAWING: tuple[tuple[str, Source], ...] = (("votes", votes_on_others), ("paired_with", others_items_paired_with))

Counts = tuple[tuple[str, int], ...]  # (kind, count), in the order of GIVING or DRAWING


@dataclass(frozen=True)
class LevelBalance:
    level: str
    people: int
    gave: Counts
    drew: Counts
    people_share: float | None  # of everyone who joined
    items_share: float | None  # of every item given; None when nobody gave one
    votes_share: float | None  # of every vote on someone else's item; None when there were none

    def given(self, kind: str) -> int:
        return dict(self.gave)[kind]

    def drawn(self, kind: str) -> int:
        return dict(self.drew)[kind]


@dataclass(frozen=True)
class PersonBalance:
    name: str
    level: str
    gave: Counts
    drew: Counts


@dataclass(frozen=True)
class Reciprocity:
    levels: tuple[LevelBalance, ...]  # every level of the summary, in its order
    people: tuple[PersonBalance, ...]  # only in the operator's summary of a session that shows names
    totals_gave: Counts
    totals_drew: Counts


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def reciprocity(snapshot: SessionSnapshot, levels: tuple[str, ...], per_person: bool) -> Reciprocity:
    gave = [(kind, source(snapshot)) for kind, source in GIVING]
    drew = [(kind, source(snapshot)) for kind, source in DRAWING]
    members: dict[str, list[int]] = {level: [] for level in levels}
    for person in snapshot.participants:
        members.setdefault(person.level, []).append(person.id)
    everyone = len(snapshot.participants)
    totals_gave = tuple((kind, sum(counts.values())) for kind, counts in gave)
    totals_drew = tuple((kind, sum(counts.values())) for kind, counts in drew)
    all_items, all_votes = dict(totals_gave)["items"], dict(totals_drew)["votes"]
    rows = []
    for level in levels:
        ids = members[level]
        level_gave = tuple((kind, sum(counts[i] for i in ids)) for kind, counts in gave)
        level_drew = tuple((kind, sum(counts[i] for i in ids)) for kind, counts in drew)
        rows.append(
            LevelBalance(
                level,
                len(ids),
                level_gave,
                level_drew,
                _share(len(ids), everyone),
                _share(dict(level_gave)["items"], all_items),
                _share(dict(level_drew)["votes"], all_votes),
            )
        )
    people: tuple[PersonBalance, ...] = ()
    if per_person and not snapshot.anonymous:
        people = tuple(
            PersonBalance(
                p.name,
                p.level,
                tuple((kind, counts[p.id]) for kind, counts in gave),
                tuple((kind, counts[p.id]) for kind, counts in drew),
            )
            for p in snapshot.participants
        )
    return Reciprocity(tuple(rows), people, totals_gave, totals_drew)
