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
from itertools import islice

from facilitator.reports.snapshot import ItemRecord, ParticipantRecord, PhaseChange, SessionSnapshot
from facilitator.reports.summary.annotations import Audience, annotate, is_moderated_out
from facilitator.reports.summary.deliberation import discussion, round_movement, round_tallies
from facilitator.reports.summary.model import (
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
from facilitator.reports.summary.pledges import pledges_summary
from facilitator.reports.summary.reciprocity import reciprocity
from facilitator.reports.tally import level_order

TOP_PER_CATEGORY = 5


def summarize(
    snapshot: SessionSnapshot, top_per_category: int = TOP_PER_CATEGORY, audience: Audience = Audience.ROOM
) -> SessionSummary:
    """`audience`: the operator's summary adds hidden items and each person's give and take."""
    levels = level_order(snapshot)
    people = Counter(p.level for p in snapshot.participants)
    people_by_level = tuple((level, people[level]) for level in levels)
    items = item_stats(snapshot, levels, people)
    template = snapshot.template
    per_kind = Counter(item.kind for item in items)
    shown = sorted(item.number for item in items)
    rounds = round_tallies(snapshot, shown, levels)
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
            CategoryTop(c.id, c.label, top_items(items, c.id, top_per_category), per_kind[c.id])
            for c in template.categories
        ),
        consensus=consensus(items, levels, template.level_names, people),
        divergence=divergence(items, levels, template.level_names, people, template.min_level_size),
        give_and_take=give_and_take(snapshot, levels),
        reciprocity=reciprocity(snapshot, levels, per_person=audience is Audience.OPERATOR),
        annotations=annotate(snapshot, audience),
        audience=audience,
        readings=template.readings,
        questions=template.questions,
        timeline=phase_spans(snapshot.timeline, snapshot.created_at),
        round=snapshot.round,
        rounds=rounds,
        movement=round_movement(rounds, shown, levels),
        predict=snapshot.settings.predict,
        agenda=snapshot.agenda,
        discussion=discussion(snapshot),
        pledges=pledges_summary(snapshot, levels),
    )


class _Supports(dict[tuple[str, int, int], LevelSupport]):
    """One LevelSupport per level, votes and voters, shared by the items that have them: a big
    session has 5,000 items x 4 levels, and only a few hundred different counts."""

    def __init__(self, people: Counter[str]) -> None:
        super().__init__()
        self.people = people

    def __missing__(self, key: tuple[str, int, int]) -> LevelSupport:
        level, votes, voters = key
        made = self[key] = LevelSupport(level, self.people[level], votes, voters)
        return made


def item_stats(snapshot: SessionSnapshot, levels: tuple[str, ...], people: Counter[str]) -> tuple[ItemStats, ...]:
    """Shown items by category, then rank; each item's `by_level` follows `levels`."""
    counts = snapshot.vote_counts
    supports = _Supports(people)
    no_votes: Mapping[str, int] = {}
    unvoted = tuple([supports[level, 0, 0] for level in levels])
    shown: dict[str, list[tuple[int, int, ItemRecord, Mapping[str, int]]]] = {
        category.id: [] for category in snapshot.template.categories
    }
    for item in snapshot.visible_items():
        votes = counts.votes.get(item.number, no_votes)
        rows = shown.get(item.kind)
        if rows is not None:  # an item of a category the template no longer has: not ranked
            rows.append((-sum(votes.values()), item.number, item, votes))
    anonymous = snapshot.anonymous
    ranked: list[ItemStats] = []
    for category in snapshot.template.categories:
        # Most votes first; ties keep the order of arrival, as in the tally. Tied items share a rank.
        rank, previous = 0, None
        for position, (negative, number, item, votes) in enumerate(sorted(shown[category.id]), start=1):
            if negative != previous:
                rank, previous = position, negative
            if votes:
                voters = counts.voters[number]
                support = tuple([supports[level, votes.get(level, 0), voters.get(level, 0)] for level in levels])
            else:
                support = unvoted
            author = snapshot.participant(item.author_id)
            name = None if anonymous else author.name
            ranked.append(
                ItemStats(number, item.kind, category.label, item.text, name, author.level, -negative, rank, support)
            )
    return tuple(ranked)


def top_items(items: tuple[ItemStats, ...], kind: str, limit: int) -> tuple[ItemStats, ...]:
    """The first `limit` of a category. A tie across the cut is visible from the shared rank."""
    return tuple(islice((item for item in items if item.kind == kind), limit))


def consensus(
    items: tuple[ItemStats, ...], levels: tuple[str, ...], template_levels: tuple[str, ...], people: Counter[str]
) -> Consensus:
    """`levels` is the order of every item's `by_level`; only template levels with people are compared."""
    present = tuple(level for level in template_levels if people[level] > 0)
    if len(present) < 2:
        return Consensus(present, ())
    at = [levels.index(level) for level in present]
    agreed = []
    for item in items:
        compared = [item.by_level[index] for index in at]
        if all([support.voters > 0 for support in compared]):
            lowest_share = min([support.share or 0.0 for support in compared])
            agreed.append((-lowest_share, -item.votes, item.number, item))
    agreed.sort()  # broadest support first; numbers are unique, so items are never compared
    return Consensus(present, tuple([item for *_, item in agreed]))


def divergence(
    items: tuple[ItemStats, ...],
    levels: tuple[str, ...],
    template_levels: tuple[str, ...],
    people: Counter[str],
    min_level_size: int,
) -> Divergence:
    first, last = template_levels[0], template_levels[-1]
    compared = (first,) if first == last else (first, last)
    too_few = tuple(level for level in compared if people[level] < min_level_size)
    entries: list[tuple[float, int, int, DivergenceEntry]] = []
    if first != last and not too_few:
        at_first, at_last = levels.index(first), levels.index(last)
        for item in items:
            entry = DivergenceEntry(item, item.by_level[at_first].share or 0.0, item.by_level[at_last].share or 0.0)
            difference = entry.difference
            if difference != 0:
                entries.append((-abs(difference), -item.votes, item.number, entry))
        entries.sort()  # largest difference first; numbers are unique, so entries are never compared
    return Divergence(
        first_level=first,
        last_level=last,
        people=tuple((level, people[level]) for level in compared),
        min_level_size=min_level_size,
        too_few=too_few,
        entries=tuple([entry for *_, entry in entries]),
    )


def give_and_take(snapshot: SessionSnapshot, levels: tuple[str, ...]) -> tuple[GiveAndTake, ...]:
    # A merged item was given (it lives on in the item it joined); a hidden one was taken out.
    authors = {item.author_id for item in snapshot.items if not is_moderated_out(item)}
    voters = snapshot.vote_counts.by_participant
    named = not snapshot.anonymous
    members: dict[str, list[ParticipantRecord]] = {level: [] for level in levels}
    for person in snapshot.participants:  # one pass, not one per level: 2,000 people in a big session
        if person.level in members:
            members[person.level].append(person)
    rows = []
    for level, people in members.items():
        contributed = [p.name for p in people if p.id in authors]
        only_voted = [p.name for p in people if p.id not in authors and p.id in voters]
        silent = [p.name for p in people if p.id not in authors and p.id not in voters]
        rows.append(
            GiveAndTake(
                level=level,
                people=len(people),
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
