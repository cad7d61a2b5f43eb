"""The discussion agenda: the session's shown items in the order `/pln agenda` chose.

- votes: most votes first (ties: the earlier item).
- divergence: the summary's divergence ranking (largest gap between the first and the last
  level's support first), then the other items by votes.
- unshared: items backed mostly by one level first (hidden profiles, Stasser & Titus 1985),
  then the other items by votes. Support is each level's share of its own people, so a big
  level is not "mostly" for being big; see domain.deliberation for the thresholds.

When an order has nothing to go on (too few people in a level, one level present), the agenda
falls back to votes and says why in `note`.
"""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.domain.deliberation import UNSHARED_CONCENTRATION, UNSHARED_MIN_VOTERS, AgendaOrder
from facilitator.domain.levels import UNSPECIFIED_LEVEL
from facilitator.reports.summary import ItemStats, SessionSummary
from facilitator.reports.summary.wording import divergence_reason


@dataclass(frozen=True)
class AgendaEntry:
    item: ItemStats
    reason: str  # why it is here: votes, divergence or unshared
    level: str = ""  # divergence: the level favouring it; unshared: the level backing it
    other: str = ""  # divergence: the level it is compared with
    concentration: float | None = None  # unshared: the backing level's part of all levels' support


@dataclass(frozen=True)
class Agenda:
    order: AgendaOrder
    entries: tuple[AgendaEntry, ...]
    note: str | None = None  # why the order fell back to votes

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(entry.item.number for entry in self.entries)


def by_votes(items: tuple[ItemStats, ...]) -> list[ItemStats]:
    return sorted(items, key=lambda item: (-item.votes, item.number))


def build_agenda(summary: SessionSummary, order: AgendaOrder) -> Agenda:
    if order is AgendaOrder.DIVERGENCE:
        return _divergence_first(summary)
    if order is AgendaOrder.UNSHARED:
        return _unshared_first(summary)
    return Agenda(order, tuple(AgendaEntry(item, "votes") for item in by_votes(summary.items)))


def _then_by_votes(summary: SessionSummary, order: AgendaOrder, first: list[AgendaEntry], note: str | None = None) -> Agenda:
    placed = {entry.item.number for entry in first}
    rest = [AgendaEntry(item, "votes") for item in by_votes(summary.items) if item.number not in placed]
    return Agenda(order, tuple(first + rest), note)


def _divergence_first(summary: SessionSummary) -> Agenda:
    divergence = summary.divergence
    reason = divergence_reason(divergence)
    if reason is not None:
        return _then_by_votes(summary, AgendaOrder.DIVERGENCE, [], f"{reason} Ordered by votes instead.")
    first = []
    for entry in divergence.entries:
        favoured = divergence.favoured_by(entry)
        other = divergence.first_level if favoured == divergence.last_level else divergence.last_level
        first.append(AgendaEntry(entry.item, "divergence", favoured, other))
    return _then_by_votes(summary, AgendaOrder.DIVERGENCE, first)


def experience_levels(summary: SessionSummary) -> list[str]:
    """The levels with people, `unspecified` left out: it is not an experience level."""
    return [level for level, people in summary.people_by_level if people and level != UNSPECIFIED_LEVEL]


def unshared_entry(summary: SessionSummary, item: ItemStats) -> AgendaEntry | None:
    """The item as an unshared one, or None when its support is shared (or too thin to tell)."""
    present = [item.support(level) for level in experience_levels(summary)]
    total = sum(support.share or 0.0 for support in present)
    if len(present) < 2 or total == 0:
        return None
    top = max(present, key=lambda support: (support.share or 0.0, support.voters))
    concentration = (top.share or 0.0) / total
    if top.voters < UNSHARED_MIN_VOTERS or concentration < UNSHARED_CONCENTRATION:
        return None
    return AgendaEntry(item, "unshared", top.level, concentration=concentration)


def _unshared_first(summary: SessionSummary) -> Agenda:
    if len(experience_levels(summary)) < 2:
        note = "Fewer than two levels took part, so no item's support can come mostly from one. Ordered by votes."
        return _then_by_votes(summary, AgendaOrder.UNSHARED, [], note)
    found = [entry for item in summary.items if (entry := unshared_entry(summary, item)) is not None]
    found.sort(key=lambda e: (-(e.concentration or 0.0), -e.item.support(e.level).voters, -e.item.votes, e.item.number))
    return _then_by_votes(summary, AgendaOrder.UNSHARED, found)
