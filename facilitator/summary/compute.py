"""Computes a SessionSummary from a snapshot: rankings, normalised support, consensus,
divergence between the first and last levels, give and take, and the phase timeline.

Support is normalised by level: an item's support in a level is the share of that level's
participants who voted for it, so 2 veterans out of 2 (100%) is not shown as weaker than 3
newcomers out of 10 (30%). Hidden items are left out of every ranking, and of the exports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime

from facilitator.snapshot import ItemRecord, PhaseChange, SessionSnapshot
from facilitator.summary.model import (
    CategoryTop,
    Consensus,
    Divergence,
    DivergenceEntry,
    GiveAndTake,
    ItemStats,
    LevelSupport,
    PhaseSpan,
    SessionSummary,
)
from facilitator.tally import level_order
from facilitator.vote_counts import NO_VOTES, LevelVotes

TOP_PER_CATEGORY = 5


def summarize(snapshot: SessionSnapshot, top_per_category: int = TOP_PER_CATEGORY) -> SessionSummary:
    levels = level_order(snapshot)
    people = Counter(p.level for p in snapshot.participants)
    people_by_level = tuple((level, people[level]) for level in levels)
    items = item_stats(snapshot, levels, people)
    template = snapshot.template
    return SessionSummary(
        session_id=snapshot.id,
        title=snapshot.title or template.title,
        template_id=template.id,
        template_title=template.title,
        platform=snapshot.platform,
        phase=snapshot.phase,
        anonymous=snapshot.anonymous,
        vote_budget=snapshot.settings.vote_budget,
        created_at=snapshot.created_at,
        levels=levels,
        people_by_level=people_by_level,
        items=items,
        votes_cast=snapshot.vote_counts.total,
        top=tuple(
            CategoryTop(c.id, c.label, top_items(items, c.id, top_per_category), sum(i.kind == c.id for i in items))
            for c in template.categories
        ),
        consensus=consensus(items, template.level_names, people),
        divergence=divergence(items, template.level_names, people, template.min_level_size),
        give_and_take=give_and_take(snapshot, levels),
        readings=template.readings,
        questions=template.questions,
        timeline=phase_spans(snapshot.timeline, snapshot.created_at),
    )


def item_stats(snapshot: SessionSnapshot, levels: tuple[str, ...], people: Counter[str]) -> tuple[ItemStats, ...]:
    by_item = snapshot.vote_counts.by_item
    no_votes: Mapping[str, LevelVotes] = {}
    ranked: list[ItemStats] = []
    for category in snapshot.template.categories:
        shown = [item for item in snapshot.visible_items() if item.kind == category.id]
        # Most votes first; ties keep the order of arrival, as in the tally.
        shown.sort(key=lambda item: (-sum(v.votes for v in by_item.get(item.number, no_votes).values()), item.number))
        previous: tuple[int, int] | None = None
        for position, item in enumerate(shown, start=1):
            item_votes = by_item.get(item.number, no_votes)
            total = sum(v.votes for v in item_votes.values())
            rank = previous[1] if previous is not None and previous[0] == total else position
            previous = (total, rank)
            support = tuple(
                [
                    LevelSupport(level, people[level], *item_votes.get(level, NO_VOTES))
                    for level in levels
                ]
            )
            ranked.append(_item(snapshot, item, category.label, total, rank, support))
    return tuple(ranked)


def _item(
    snapshot: SessionSnapshot, item: ItemRecord, label: str, votes: int, rank: int, support: tuple[LevelSupport, ...]
) -> ItemStats:
    author = snapshot.participant(item.author_id)
    return ItemStats(
        number=item.number,
        kind=item.kind,
        label=label,
        text=item.text,
        author=None if snapshot.anonymous else author.name,
        author_level=author.level,
        votes=votes,
        rank=rank,
        by_level=support,
    )


def top_items(items: tuple[ItemStats, ...], kind: str, limit: int) -> tuple[ItemStats, ...]:
    """The first `limit` of a category. A tie across the cut is visible from the shared rank."""
    return tuple(item for item in items if item.kind == kind)[:limit]


def consensus(items: tuple[ItemStats, ...], template_levels: tuple[str, ...], people: Counter[str]) -> Consensus:
    present = tuple(level for level in template_levels if people[level] > 0)
    if len(present) < 2:
        return Consensus(present, ())

    def lowest_share(item: ItemStats) -> float:
        return min(item.support(level).share or 0.0 for level in present)

    agreed = [item for item in items if all(item.support(level).voters > 0 for level in present)]
    agreed.sort(key=lambda item: (-lowest_share(item), -item.votes, item.number))
    return Consensus(present, tuple(agreed))


def divergence(
    items: tuple[ItemStats, ...], template_levels: tuple[str, ...], people: Counter[str], min_level_size: int
) -> Divergence:
    first, last = template_levels[0], template_levels[-1]
    compared = (first,) if first == last else (first, last)
    too_few = tuple(level for level in compared if people[level] < min_level_size)
    entries: list[DivergenceEntry] = []
    if first != last and not too_few:
        for item in items:
            entry = DivergenceEntry(item, item.support(first).share or 0.0, item.support(last).share or 0.0)
            if entry.difference != 0:
                entries.append(entry)
        entries.sort(key=lambda e: (-abs(e.difference), -e.item.votes, e.item.number))
    return Divergence(
        first_level=first,
        last_level=last,
        people=tuple((level, people[level]) for level in compared),
        min_level_size=min_level_size,
        too_few=too_few,
        entries=tuple(entries),
    )


def give_and_take(snapshot: SessionSnapshot, levels: tuple[str, ...]) -> tuple[GiveAndTake, ...]:
    authors = {item.author_id for item in snapshot.visible_items()}
    voters = snapshot.vote_counts.by_participant
    named = not snapshot.anonymous
    rows = []
    for level in levels:
        members = [p for p in snapshot.participants if p.level == level]
        contributed = [p.name for p in members if p.id in authors]
        only_voted = [p.name for p in members if p.id not in authors and p.id in voters]
        silent = [p.name for p in members if p.id not in authors and p.id not in voters]
        rows.append(
            GiveAndTake(
                level=level,
                people=len(members),
                contributed=len(contributed),
                only_voted=len(only_voted),
                silent=len(silent),
                contributors=tuple(contributed) if named else (),
                voters_only=tuple(only_voted) if named else (),
                silent_people=tuple(silent) if named else (),
            )
        )
    return tuple(rows)


def phase_spans(timeline: tuple[PhaseChange, ...], created_at: datetime) -> tuple[PhaseSpan, ...]:
    """Each phase from its start to the next phase's start. A session starts collecting when
    it is created, so that first phase is supplied when the store did not record it."""
    changes = sorted(timeline, key=lambda change: change.at)
    if not any(change.phase == "collecting" for change in changes):
        changes.insert(0, PhaseChange("collecting", created_at))
    spans = []
    for index, change in enumerate(changes):
        following = changes[index + 1].at if index + 1 < len(changes) else None
        spans.append(PhaseSpan(change.phase, change.at, None if change.phase == "closed" else following))
    return tuple(spans)
