"""What the authors and facilitators added around the items: each author's "why", DON'T -> DO
pairs, merges, and (for the operator only) the items a facilitator hid.

Computed once in `summarize`, so the chat summary, the shell and every export show the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from facilitator.reports.snapshot import ItemRecord, SessionSnapshot


class Audience(Enum):
    """Who an export is for. The room gets what the session showed; the operator (who holds the
    database anyway, docs/ANONYMITY.md) also gets hidden items and, when names are shown at all,
    each person's give and take."""

    ROOM = "room"
    OPERATOR = "operator"


@dataclass(frozen=True)
class ItemRef:
    number: int
    kind: str
    label: str  # "DO", "DON'T"
    text: str


@dataclass(frozen=True)
class Why:
    item: ItemRef
    why: str


@dataclass(frozen=True)
class Pair:
    dont: ItemRef
    do: ItemRef  # the DO that fixes the DON'T


@dataclass(frozen=True)
class Merge:
    item: ItemRef  # folded into `into`, and no longer listed on its own
    into: int


@dataclass(frozen=True)
class HiddenItem:
    item: ItemRef
    author: str | None  # None in anonymous sessions
    author_level: str


@dataclass(frozen=True)
class Annotations:
    whys: tuple[Why, ...] = ()  # of shown items, by number
    pairs: tuple[Pair, ...] = ()  # between shown items, in the order they were made
    merges: tuple[Merge, ...] = ()  # by number
    hidden: tuple[HiddenItem, ...] = ()  # only in the operator's summary; never merged ones

    def merged_into(self, number: int) -> tuple[int, ...]:
        """The numbers of the items folded into item `number`."""
        return tuple(merge.item.number for merge in self.merges if merge.into == number)

    def paired_with(self, number: int) -> tuple[int, ...]:
        """The items `number` is paired with, either way round."""
        return tuple(
            other
            for pair in self.pairs
            for mine, other in ((pair.dont.number, pair.do.number), (pair.do.number, pair.dont.number))
            if mine == number
        )


def is_merged(item: ItemRecord) -> bool:
    return item.merged_into is not None


def is_moderated_out(item: ItemRecord) -> bool:
    """Hidden by a facilitator (`/pln hide`), not folded into another item."""
    return item.hidden and item.merged_into is None


def annotate(snapshot: SessionSnapshot, audience: Audience) -> Annotations:
    template = snapshot.template

    def ref(item: ItemRecord) -> ItemRef:
        return ItemRef(item.number, item.kind, template.label_of(item.kind), item.text)

    shown = {item.number: item for item in snapshot.visible_items()}
    whys = tuple(Why(ref(item), item.why) for item in shown.values() if item.why)
    pairs = tuple(
        Pair(ref(dont), ref(do))
        for pair in snapshot.pairs
        if (dont := shown.get(pair.dont_number)) and (do := shown.get(pair.do_number))
    )
    merges = tuple(Merge(ref(item), item.merged_into) for item in snapshot.items if item.merged_into is not None)
    hidden: tuple[HiddenItem, ...] = ()
    if audience is Audience.OPERATOR:
        hidden = tuple(
            HiddenItem(
                ref(item),
                None if snapshot.anonymous else snapshot.participant(item.author_id).name,
                snapshot.participant(item.author_id).level,
            )
            for item in snapshot.items
            if is_moderated_out(item)
        )
    return Annotations(whys, pairs, merges, hidden)
