"""The HTML report's deliberation: the chart of round-to-round movement by level (geometry, as
html_charts' other charts; the markup is templates/partials/chart.svg.j2), and what
templates/partials/deliberation.html.j2 needs beside it."""

from __future__ import annotations

from typing import Any

from facilitator.reports.export.html_charts import (
    BAR,
    FONT,
    GAP,
    LINE,
    TOP,
    VALUE_ROOM,
    WIDTH,
    Chart,
    ChartRow,
    Segment,
    label_lines,
)
from facilitator.reports.rounds import ItemMove, Movement
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
from facilitator.reports.summary.wording import level_title

CHART_ITEMS = 15


def movement_chart(chart_id: str, summary: SessionSummary, movement: Movement, colours: dict[str, str]) -> Chart:
    """One row per item whose votes moved: each level's gain stacked right of the centre line,
    its loss left of it, in the level's colour; the net change at the end of the longer side."""
    moved = [move for move in movement.items if any(m.change for m in move.by_level)][:CHART_ITEMS]
    half = (WIDTH - 2 * VALUE_ROOM) / 2
    centre = VALUE_ROOM + half
    widest = max((max(_gained(move), _lost(move)) for move in moved), default=1) or 1
    unit = half / widest
    rows, y = [], float(TOP)
    for move in moved:
        item = summary.item(move.number)
        text = item.text if item else ""
        lines = label_lines(move.number, text)
        label_y, bar_y = y + FONT, y + LINE * len(lines) + 2
        segments, right, left = [], centre, centre
        for level_move in (m for m in move.by_level if m.change):
            width = unit * abs(level_move.change)
            if level_move.change > 0:
                segments.append(Segment(right, width, colours[level_move.level], _segment_title(level_move.level, level_move.change)))
                right += width
            else:
                left -= width
                segments.append(Segment(left, width, colours[level_move.level], _segment_title(level_move.level, level_move.change)))
        gains = move.change >= 0
        rows.append(ChartRow(f"#{move.number} {text}", move.number, lines, label_y, bar_y, tuple(segments),
                             signed(move.change), right + 5 if gains else left - 5, "start" if gains else "end"))
        y = bar_y + BAR + GAP
    title = f"Votes moved between round {movement.from_round} and round {movement.to_round}, by level"
    desc = "; ".join(f"#{move.number}: {signed(move.change)} ({level_changes(move)})" for move in moved)
    height = (rows[-1].bar_y + BAR + 8) if rows else TOP + 8
    return Chart(chart_id, title, desc or "No votes moved.", WIDTH, height, tuple(rows), axis_x=centre,
                 left_note="← lost", right_note="gained →")


def _gained(move: ItemMove) -> int:
    return sum(m.change for m in move.by_level if m.change > 0)


def _lost(move: ItemMove) -> int:
    return -sum(m.change for m in move.by_level if m.change < 0)


def _segment_title(level: str, change: int) -> str:
    return f"{level_title(level)}: {signed(change)}"


def deliberation_context(summary: SessionSummary, colours: dict[str, str]) -> dict[str, Any]:
    """What templates/partials/deliberation.html.j2 shows: movement, surprise, discussion."""
    movement = summary.movement
    scores = summary.surprise
    return {
        "movement": movement,
        "movement_chart": None if movement is None else movement_chart("movement-chart", summary, movement, colours),
        "movement_headline": None if movement is None else movement_headline(movement),
        "level_shift": None if movement is None else level_shift(movement),
        "level_changes": level_changes,
        "signed": signed,
        "surprise": scores,
        "surprise_reason": None if scores is None else surprise_reason(scores),
        "surprise_explained": SURPRISE_EXPLAINED,
        "surprise_heading": "Surprisingly popular" + (f" (round {scores.round})" if scores and len(summary.rounds) > 1 else ""),
        "reasons": REASONS,
    }
