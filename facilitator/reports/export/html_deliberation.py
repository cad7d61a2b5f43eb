"""The HTML report's deliberation sections: round-to-round movement by level (a chart and its
table), the surprisingly popular list, and the discussion with its notes.

Same rules as html_report: every piece of user text goes through `escape`, each chart is an
accessible inline SVG followed by a table of the same numbers.
"""

from __future__ import annotations

from html import escape

from facilitator.reports.export.html_charts import BAR, LABEL_WIDTH, ROW, TOP, WIDTH
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
from facilitator.reports.summary.wording import clip, day_and_clock, level_title, percent, points

CHART_ITEMS = 15


def deliberation_html(summary: SessionSummary, colours: dict[str, str]) -> str:
    return _movement(summary, colours) + _surprise(summary) + _discussion(summary)


def _text(summary: SessionSummary, number: int) -> str:
    item = summary.item(number)
    return item.text if item else ""


def movement_chart(chart_id: str, summary: SessionSummary, movement: Movement, colours: dict[str, str]) -> str:
    """One row per item that moved: each level's gain stacked right of the centre line, its loss
    left of it, in the level's colour; the net change at the end."""
    moved = [move for move in movement.items if move.change or any(m.change for m in move.by_level)][:CHART_ITEMS]
    height = TOP + ROW * len(moved) + 10
    room = 60
    widest = max((max(sum(max(0, m.change) for m in move.by_level), sum(max(0, -m.change) for m in move.by_level))
                  for move in moved), default=1) or 1
    half = (WIDTH - LABEL_WIDTH - 2 * room) / 2
    centre = LABEL_WIDTH + room + half
    unit = half / widest
    title = f"Votes moved between round {movement.from_round} and round {movement.to_round}, by level"
    desc = "; ".join(f"#{move.number}: {signed(move.change)} ({level_changes(move)})" for move in moved)
    out = [
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc or "No votes moved.")}</desc>',
        f'<text class="tick" x="{centre - 8:.1f}" y="{TOP - 14}" text-anchor="end">← lost votes</text>',
        f'<text class="tick" x="{centre + 8:.1f}" y="{TOP - 14}">gained votes →</text>',
    ]
    for index, move in enumerate(moved):
        out.append(_movement_row(summary, move, TOP + ROW * index, centre, unit, colours))
    out.append(f'<line class="axis" x1="{centre:.1f}" y1="{TOP - 8}" x2="{centre:.1f}" y2="{height - 6}"/>')
    out.append("</svg>")
    return "\n".join(out)


def _movement_row(summary: SessionSummary, move: ItemMove, y: int, centre: float, unit: float,
                  colours: dict[str, str]) -> str:
    text = _text(summary, move.number)
    parts = [f"<g><title>{escape(f'#{move.number} {text}')}</title>",
             f'<text class="label" x="{LABEL_WIDTH - 10}" y="{y + BAR / 2 + 4:.0f}" text-anchor="end">'
             f'<tspan class="num">#{move.number}</tspan> {escape(clip(text, 36))}</text>']
    right, left = centre, centre
    for level_move in move.by_level:
        width = unit * abs(level_move.change)
        if not width:
            continue
        x = right if level_move.change > 0 else left - width
        if level_move.change > 0:
            right += width
        else:
            left -= width
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR}" fill="{colours[level_move.level]}">'
                     f"<title>{escape(level_title(level_move.level))}: {signed(level_move.change)}</title></rect>")
    parts.append(f'<text class="total" x="{right + 6:.1f}" y="{y + BAR / 2 + 4:.0f}">{signed(move.change)}</text></g>')
    return "".join(parts)


def _movement(summary: SessionSummary, colours: dict[str, str]) -> str:
    movement = summary.movement
    if movement is None:
        return ""
    heading = f"Round {movement.to_round} compared with round {movement.from_round}"
    out = (f'<section aria-labelledby="movement"><h2 id="movement">{escape(heading)}</h2>'
           f"<p>{escape(movement_headline(movement))} {escape(level_shift(movement))}</p>")
    chart = movement_chart("movement-chart", summary, movement, colours)
    present = [level for level, people in summary.people_by_level if people]  # the columns, as in the other tables
    keys = "".join(f'<li><span class="swatch" style="background:{colours[level]}"></span>{escape(level_title(level))}</li>'
                   for level in present)
    legend = f'<ul class="legend" aria-label="Colours of the experience levels">{keys}</ul>'
    head = "".join(f"<th scope=col class=n>{escape(level_title(level))}</th>" for level in present)
    rows = "".join(
        f"<tr><td class=n>{move.number}</td><td class=text>{escape(_text(summary, move.number))}</td>"
        f"<td class=n>{move.before}</td><td class=n>{move.after}</td><td class=n><b>{signed(move.change)}</b></td>"
        + "".join(f"<td class=n>{signed(m.change)}</td>" for m in move.by_level if m.level in present) + "</tr>"
        for move in movement.items
    )
    table = (f"<table><caption>Votes per item in each round, and the change by level</caption><thead><tr>"
             f"<th scope=col>#</th><th scope=col>Item</th><th scope=col class=n>Round {movement.from_round}</th>"
             f"<th scope=col class=n>Round {movement.to_round}</th><th scope=col class=n>Change</th>{head}</tr></thead>"
             f"<tbody>{rows}</tbody></table>")
    caption = f"Gains to the right of the line, losses to the left, coloured by level.{legend}"
    return out + f"<figure>{chart}<figcaption>{caption}</figcaption></figure>{table}</section>"


def _surprise(summary: SessionSummary) -> str:
    scores = summary.surprise
    if scores is None:
        return ""
    out = ('<section aria-labelledby="surprise"><h2 id="surprise">Surprisingly popular</h2>'
           f"<p>{escape(SURPRISE_EXPLAINED)}</p>")
    reason = surprise_reason(scores)
    if reason is not None:
        return out + f'<p class="note">{escape(reason)}</p></section>'
    if not scores.popular:
        return out + "<p>No item was backed by more voters than predicted.</p></section>"
    rows = "".join(
        f"<tr><td class=n>{number}</td><td class=text>{escape(_text(summary, number))}</td>"
        f"<td class=n>{percent(scores.real_share(number))}</td><td class=n>{percent(scores.predicted_share(number))}</td>"
        f"<td class=nowrap>{points(scores.score(number) or 0.0)}</td></tr>"
        for number in scores.popular
    )
    return out + (
        f"<table><caption>Round {scores.round}: {scores.voters} voters, {scores.predictors} predictions</caption>"
        "<thead><tr><th scope=col>#</th><th scope=col>Item</th><th scope=col class=n>Backed by</th>"
        f"<th scope=col class=n>Predicted by</th><th scope=col>Surprise</th></tr></thead><tbody>{rows}</tbody></table>"
        "</section>"
    )


def _discussion(summary: SessionSummary) -> str:
    if not summary.discussion:
        return ""
    entries = []
    for discussed in summary.discussion:
        notes = "".join(
            f"<li>{escape(note.text)}" + (f' <span class="muted">({escape(note.author)})</span>' if note.author else "")
            + "</li>"
            for note in discussed.notes
        )
        entries.append(
            f"<li><b>#{discussed.number}</b> {escape(_text(summary, discussed.number))} "
            f'<span class="muted">({escape(REASONS.get(discussed.reason, discussed.reason))}, '
            f"from {day_and_clock(discussed.started_at)})</span>" + (f"<ul>{notes}</ul>" if notes else "") + "</li>"
        )
    return ('<section aria-labelledby="discussion"><h2 id="discussion">Discussed, in agenda order</h2>'
            f"<ol>{''.join(entries)}</ol></section>")
