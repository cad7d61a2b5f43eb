"""Items ranked within each category, with votes split by experience level."""

from __future__ import annotations

from collections import Counter, defaultdict

from facilitator.domain import UNSPECIFIED_LEVEL
from facilitator.replies import Tally, TallyRow, TallySection
from facilitator.snapshot import SessionSnapshot


def level_order(snapshot: SessionSnapshot) -> tuple[str, ...]:
    """The template's levels, plus `unspecified` when someone has not picked one."""
    levels = snapshot.template.level_names
    if any(p.level == UNSPECIFIED_LEVEL for p in snapshot.participants):
        return (*levels, UNSPECIFIED_LEVEL)
    return levels


def tally(snapshot: SessionSnapshot) -> Tally:
    levels = level_order(snapshot)
    level_of = {p.id: p.level for p in snapshot.participants}
    by_item: dict[int, Counter[str]] = defaultdict(Counter)
    for vote in snapshot.votes:
        by_item[vote.item_number][level_of[vote.participant_id]] += vote.weight
    rows: dict[str, list[TallyRow]] = defaultdict(list)
    for item in snapshot.visible_items():
        counts = by_item[item.number]
        author = None if snapshot.anonymous else snapshot.participant(item.author_id).name
        rows[item.kind].append(
            TallyRow(
                number=item.number,
                kind=item.kind,
                text=item.text,
                votes=sum(counts.values()),
                by_level=tuple((level, counts[level]) for level in levels),
                author=author,
            )
        )
    for kind_rows in rows.values():
        # Most votes first; ties keep the order of arrival, so the ranking is stable.
        kind_rows.sort(key=lambda row: (-row.votes, row.number))
    people = Counter(p.level for p in snapshot.participants)
    return Tally(
        levels=levels,
        sections=tuple(
            TallySection(c.id, c.label, tuple(rows[c.id])) for c in snapshot.template.categories
        ),
        participants_by_level=tuple((level, people[level]) for level in levels),
    )
