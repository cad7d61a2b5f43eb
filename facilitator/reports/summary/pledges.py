"""Pledges in the summary: each one (its owner left out in an anonymous session), how many each
level made and kept (newcomers giving back is the point of the seed), and how the earlier
sessions' pledges in the channel have fared since this session started."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from facilitator.domain.pledges import PledgeStatus
from facilitator.domain.visibility import about_author
from facilitator.reports.snapshot import EarlierPledges, SessionSnapshot


@dataclass(frozen=True)
class PledgeView:
    number: int
    owner: str | None  # None in an anonymous session
    text: str
    item: int | None
    status: str
    due_at: datetime | None
    done_at: datetime | None


@dataclass(frozen=True)
class LevelPledges:
    level: str
    made: int
    kept: int  # marked done


@dataclass(frozen=True)
class PledgesSummary:
    entries: tuple[PledgeView, ...]
    by_level: tuple[LevelPledges, ...]  # every level of the summary, in its order
    earlier: EarlierPledges

    @property
    def kept(self) -> int:
        return sum(1 for entry in self.entries if entry.status == PledgeStatus.DONE.value)


def pledges_summary(snapshot: SessionSnapshot, levels: tuple[str, ...]) -> PledgesSummary:
    entries = tuple(
        PledgeView(p.number, about_author(snapshot.anonymous, p.owner_name), p.text, _shown_item(snapshot, p.item),
                   p.status, p.due_at, p.done_at)
        for p in snapshot.pledges
    )
    made = Counter(p.level for p in snapshot.pledges)
    kept = Counter(p.level for p in snapshot.pledges if p.status == PledgeStatus.DONE.value)
    shown = levels + tuple(level for level in made if level not in levels)
    return PledgesSummary(entries, tuple(LevelPledges(level, made[level], kept[level]) for level in shown),
                          snapshot.earlier_pledges)


def _shown_item(snapshot: SessionSnapshot, number: int | None) -> int | None:
    """The item a pledge puts into practice as readers can find it: itself, or the item it was
    merged into; None once a facilitator hid it (readers can't see it)."""
    by_number = {item.number: item for item in snapshot.items}
    item = by_number.get(number) if number is not None else None
    while item is not None and item.merged_into is not None:
        item = by_number.get(item.merged_into)
    return item.number if item is not None and not item.hidden else None


def pledges_given(snapshot: SessionSnapshot) -> Counter[int]:
    """Reciprocity: a pledge counts as giving, to its owner if they joined (not dropped ones)."""
    return Counter(p.participant_id for p in snapshot.pledges
                   if p.participant_id is not None and p.status != PledgeStatus.DROPPED.value)


def pledge_lines(summary: PledgesSummary) -> tuple[str, ...]:
    """The summary section's lines, for chat and Markdown."""
    lines = [
        f"#{p.number}{f' {p.owner}' if p.owner else ''}: {p.text}"
        + (f" (item #{p.item})" if p.item is not None else "") + f" [{p.status}]"
        for p in summary.entries
    ]
    levels = [f"{row.level} {row.made} made, {row.kept} kept" for row in summary.by_level if row.made]
    if levels:
        lines.append("By level: " + "; ".join(levels) + ".")
    earlier = summary.earlier
    if earlier.open_at_start:
        lines.append(f"Earlier pledges in this channel: {earlier.open_at_start} open when this session started, "
                     f"{earlier.done_since} done since.")
    return tuple(lines)
