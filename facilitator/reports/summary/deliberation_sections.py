"""Deliberation in words: movement between rounds, the surprisingly popular list, discussion
notes. Shared by the chat summary, the results after a second round, Markdown and HTML, so
they read the same. Text is not escaped here: each renderer escapes for its medium."""

from __future__ import annotations

from facilitator.domain.deliberation import MIN_PREDICTORS, MIN_VOTERS_FOR_SURPRISE
from facilitator.replies import Section
from facilitator.reports.rounds import ItemMove, Movement
from facilitator.reports.summary.model import SessionSummary
from facilitator.reports.summary.wording import clip, level_title, percent, plural, points
from facilitator.reports.surprise import Surprise

SHOWN_IN_CHAT = 5
ITEM_TEXT = 100
SURPRISE_EXPLAINED = (
    "Items more voters backed than the predictions expected (the share of voters who backed an item minus "
    "the share of predictions that named it): they often hold what only some people know."
)
REASONS = {"votes": "most votes", "divergence": "levels disagree", "unshared": "one level's knowledge"}


def signed(change: int) -> str:
    return f"+{change}" if change > 0 else f"−{-change}" if change < 0 else "0"


def level_changes(move: ItemMove) -> str:
    """"veteran +3, newcomer −1": the levels whose votes on the item changed."""
    changed = [f"{level_title(m.level)} {signed(m.change)}" for m in move.by_level if m.change]
    return ", ".join(changed) or "no level changed"


def move_line(move: ItemMove, text: str) -> str:
    return (f"#{move.number} {clip(text, ITEM_TEXT)} — {move.before} → {move.after} "
            f"({signed(move.change)}): {level_changes(move)}")


def movement_headline(movement: Movement) -> str:
    """Which way the group moved, in one sentence."""
    rounds = f"round {movement.from_round} and round {movement.to_round}"
    toward = [f"#{m.number} ({signed(m.change)})" for m in movement.toward[:3]]
    away = [f"#{m.number} ({signed(m.change)})" for m in movement.away[:3]]
    if not toward and not away:
        return f"Nobody's votes moved between {rounds}."
    parts = []
    if toward:
        parts.append("toward " + _listed(toward))
    if away:
        parts.append("away from " + _listed(away))
    return f"Between {rounds} the group moved " + ", and ".join(parts) + "."


def level_shift(movement: Movement) -> str:
    """Who was persuaded: each level's votes that landed on another item than before."""
    moved = [(level, movement.moved_by(level)) for level in movement.levels]
    shown = ", ".join(f"{level_title(level)} {plural(count, 'vote')}" for level, count in moved if count)
    return f"Votes that changed item, by level: {shown}." if shown else "No level changed its votes."


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def surprise_reason(scores: Surprise) -> str | None:
    """Why there are no scores, or None when there are."""
    if scores.enough:
        return None
    return (f"Too few to score round {scores.round}: {plural(scores.predictors, 'prediction')} and "
            f"{plural(scores.voters, 'voter')}; scores need at least {MIN_PREDICTORS} predictions "
            f"and {MIN_VOTERS_FOR_SURPRISE} voters.")


def surprise_line(scores: Surprise, number: int, text: str) -> str:
    score = scores.score(number) or 0.0
    return (f"#{number} {clip(text, ITEM_TEXT)} — backed by {percent(scores.real_share(number))} of voters, "
            f"predicted by {percent(scores.predicted_share(number))}: {points(score)}")


def deliberation_sections(summary: SessionSummary, discussion: bool = True) -> tuple[Section, ...]:
    """Movement, surprise and (unless `discussion` is False, as in results) the discussion."""
    sections = []
    if summary.movement is not None:
        sections.append(movement_section(summary))
    scores = summary.surprise
    if scores is not None:
        sections.append(surprise_section(summary, scores))
    if discussion and summary.discussion:
        sections.append(discussion_section(summary))
    return tuple(sections)


def movement_section(summary: SessionSummary) -> Section:
    movement = summary.movement
    assert movement is not None
    lines = [movement_headline(movement), level_shift(movement)]
    for move in [m for m in movement.items if m.change][:SHOWN_IN_CHAT]:
        item = summary.item(move.number)
        lines.append(move_line(move, item.text if item else ""))
    return Section(f"Round {movement.to_round} compared with round {movement.from_round}", tuple(lines))


def surprise_section(summary: SessionSummary, scores: Surprise) -> Section:
    heading = "Surprisingly popular" + (f" (round {scores.round})" if len(summary.rounds) > 1 else "")
    reason = surprise_reason(scores)
    if reason is not None:
        return Section(heading, (reason,))
    lines = [SURPRISE_EXPLAINED]
    popular = scores.popular
    if not popular:
        lines.append("No item was backed by more voters than predicted.")
    for number in popular[:SHOWN_IN_CHAT]:
        item = summary.item(number)
        lines.append(surprise_line(scores, number, item.text if item else ""))
    return Section(heading, tuple(lines))


def discussion_section(summary: SessionSummary) -> Section:
    lines = []
    for position, discussed in enumerate(summary.discussion, start=1):
        item = summary.item(discussed.number)
        lines.append(f"{position}. #{discussed.number} {clip(item.text if item else '', ITEM_TEXT)} "
                     f"({REASONS.get(discussed.reason, discussed.reason)})")
        for note in discussed.notes:
            by = f" — {note.author}" if note.author else ""
            lines.append(f"   note: {clip(note.text, 300)}{by}")
    return Section("Discussed, in agenda order", tuple(lines))
