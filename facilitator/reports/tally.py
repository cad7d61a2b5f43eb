"""Items ranked within each category, with votes split by experience level."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from facilitator.domain.levels import UNSPECIFIED_LEVEL
from facilitator.replies import Tally, TallyRow, TallySection
from facilitator.reports.snapshot import SessionSnapshot
from facilitator.domain.templates import Template


class TallyItem(NamedTuple):
    """A visible item as a tally shows it; author is None in anonymous sessions."""

    number: int
    kind: str
    text: str
    author: str | None


def level_order(snapshot: SessionSnapshot) -> tuple[str, ...]:
    """The template's levels, plus `unspecified` when someone has not picked one."""
    return levels_for(snapshot.template, any(p.level == UNSPECIFIED_LEVEL for p in snapshot.participants))


def levels_for(template: Template, anyone_unspecified: bool) -> tuple[str, ...]:
    levels = template.level_names
    return (*levels, UNSPECIFIED_LEVEL) if anyone_unspecified else levels


def tally(snapshot: SessionSnapshot) -> Tally:
    items = (
        TallyItem(
            item.number,
            item.kind,
            item.text,
            None if snapshot.anonymous else snapshot.participant(item.author_id).name,
        )
        for item in snapshot.visible_items()
    )
    people = Counter(p.level for p in snapshot.participants)
    return build_tally(snapshot.template, items, snapshot.vote_counts.votes, people)


def build_tally(
    template: Template,
    items: Iterable[tuple[int, str, str, str | None]],
    votes_by_item: Mapping[int, Mapping[str, int]],
    people_by_level: Mapping[str, int],
) -> Tally:
    """The tally from counts: votes per item and level, people per level (from a snapshot or from SQL)."""
    levels = levels_for(template, people_by_level.get(UNSPECIFIED_LEVEL, 0) > 0)
    no_votes = tuple((level, 0) for level in levels)
    rows: dict[str, list[TallyRow]] = defaultdict(list)
    for number, kind, text, author in items:  # TallyItem, or a row of the same shape
        counts = votes_by_item.get(number)
        if counts:
            by_level = tuple([(level, counts.get(level, 0)) for level in levels])
            rows[kind].append(TallyRow(number, kind, text, sum(counts.values()), by_level, author))
        else:
            rows[kind].append(TallyRow(number, kind, text, 0, no_votes, author))
    for kind_rows in rows.values():
        # Most votes first; ties keep the order of arrival, so the ranking is stable.
        kind_rows.sort(key=lambda row: (-row.votes, row.number))
    return Tally(
        levels=levels,
        sections=tuple(TallySection(c.id, c.label, tuple(rows[c.id])) for c in template.categories),
    )
