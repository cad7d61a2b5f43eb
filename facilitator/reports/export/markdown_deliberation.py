"""The Markdown report's deliberation sections: movement between rounds, the surprisingly
popular list, and the discussion with its notes. Same conventions as markdown.py: user text
through `md`, tables through `table` (markdownlint-clean)."""

from __future__ import annotations

from facilitator.reports.export.markdown_text import md, table
from facilitator.reports.summary import SessionSummary
from facilitator.reports.summary.deliberation_sections import (
    REASONS,
    SURPRISE_EXPLAINED,
    level_changes,
    level_shift,
    movement_headline,
    signed,
    surprise_reason,
)
from facilitator.reports.summary.wording import percent, points


def deliberation_markdown(summary: SessionSummary) -> list[str]:
    return _movement(summary) + _surprise(summary) + _discussion(summary)


def _text_of(summary: SessionSummary, number: int) -> str:
    item = summary.item(number)
    return md(item.text) if item else ""


def _movement(summary: SessionSummary) -> list[str]:
    movement = summary.movement
    if movement is None:
        return []
    out = [f"## Round {movement.to_round} compared with round {movement.from_round}", "",
           movement_headline(movement), "", level_shift(movement), ""]
    return out + table(
        ["Item no.", "Item", f"Round {movement.from_round}", f"Round {movement.to_round}", "Change", "By level"],
        [
            [str(m.number), _text_of(summary, m.number), str(m.before), str(m.after), signed(m.change), level_changes(m)]
            for m in movement.items
        ],
    )


def _surprise(summary: SessionSummary) -> list[str]:
    scores = summary.surprise
    if scores is None:
        return []
    heading = "## Surprisingly popular" + (f" (round {scores.round})" if len(summary.rounds) > 1 else "")
    out = [heading, "", SURPRISE_EXPLAINED, ""]
    reason = surprise_reason(scores)
    if reason is not None:
        return out + [md(reason), ""]
    if not scores.popular:
        return out + ["No item was backed by more voters than predicted.", ""]
    return out + table(
        ["Item no.", "Item", "Backed by", "Predicted by", "Surprise"],
        [
            [str(n), _text_of(summary, n), percent(scores.real_share(n)), percent(scores.predicted_share(n)),
             points(scores.score(n) or 0.0)]
            for n in scores.popular
        ],
    )


def _discussion(summary: SessionSummary) -> list[str]:
    if not summary.discussion:
        return []
    out = ["## Discussed, in agenda order", ""]
    for position, discussed in enumerate(summary.discussion, start=1):
        out.append(f"{position}. #{discussed.number} {_text_of(summary, discussed.number)} "
                   f"({REASONS.get(discussed.reason, discussed.reason)})")
        out += [f"   - {md(note.text)}" + (f" ({md(note.author)})" if note.author else "") for note in discussed.notes]
    return out + [""]
