"""The report's charts as geometry: rows, bars and label lines, in SVG user units. The markup is
in templates/partials/*.svg.j2, so the live board can draw the same charts from the same models.

Laid out for a phone first: each row is the item's label on one or two lines across the whole
width, with its bar below, so the text is 15 units high in a 400-unit-wide picture (13 px on a
390 px screen) and never squeezed beside the bars. Labels longer than two lines end in "…"; the
table after each chart, and each row's tooltip, have the whole text.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from facilitator.reports.summary import Divergence, ItemStats
from facilitator.reports.summary.wording import leaning, level_title, percent, plural, points

# Okabe–Ito: distinguishable with the common forms of colour blindness.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#F0E442")
UNSPECIFIED_COLOUR = "#8C8C8C"
WIDTH = 400
FONT = 15  # label text, in SVG units; CSS in html_style keeps the same numbers
LINE = 19  # one label line
LABEL_CHARS = 46  # characters of a label line at FONT in WIDTH (system sans, digits and lower case)
BAR = 16
GAP = 12  # between one row's bar and the next row's label
TOP = 28  # room for the scale or the direction labels
VALUE_ROOM = 40  # for the total after a bar, or "+100 pts"


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    title: str


@dataclass(frozen=True)
class ChartRow:
    title: str  # the whole item, for the tooltip
    number: int
    lines: tuple[str, ...]  # the label, wrapped; the first line starts after "#N "
    label_y: float
    bar_y: float
    segments: tuple[Segment, ...]
    value: str
    value_x: float
    value_anchor: str  # "start" or "end"


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    desc: str
    width: int
    height: float
    rows: tuple[ChartRow, ...]
    ticks: tuple[Tick, ...] = ()
    axis_x: float | None = None  # the divergence chart's centre line
    left_note: str = ""  # the divergence chart's direction labels
    right_note: str = ""
    font: int = FONT
    line: int = LINE


def level_colours(levels: tuple[str, ...]) -> dict[str, str]:
    colours, index = {}, 0
    for level in levels:
        if level == "unspecified":
            colours[level] = UNSPECIFIED_COLOUR
        else:
            colours[level] = PALETTE[index % len(PALETTE)]
            index += 1
    return colours


def label_lines(number: int, text: str, chars: int = LABEL_CHARS, lines: int = 2) -> tuple[str, ...]:
    """The label wrapped on words, at most `lines` lines; the number's room is kept on the first."""
    prefix = " " * (len(str(number)) + 2)
    wrapped = textwrap.wrap(prefix + " ".join(text.split()), chars, break_long_words=True) or [prefix]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: chars - 1].rstrip() + "…"
    wrapped[0] = wrapped[0][len(prefix) :]
    return tuple(wrapped)


def _nice_max(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if value <= step * 5:
            return max(step, -(-value // step) * step)
    return value


def _stack(items: tuple[ItemStats, ...]) -> list[tuple[ItemStats, tuple[str, ...], float, float]]:
    """Each item with its label lines and the y of its label and bar."""
    rows, y = [], float(TOP)
    for item in items:
        lines = label_lines(item.number, item.text)
        label_y = y + FONT
        bar_y = y + LINE * len(lines) + 2
        rows.append((item, lines, label_y, bar_y))
        y = bar_y + BAR + GAP
    return rows


def _height(rows: list[tuple[ItemStats, tuple[str, ...], float, float]]) -> float:
    return (rows[-1][3] + BAR + 8) if rows else TOP + 8


def votes_chart(chart_id: str, title: str, items: tuple[ItemStats, ...], colours: dict[str, str]) -> Chart:
    """Horizontal bars, one per item, each split into its levels' votes."""
    scale_max = _nice_max(max((item.votes for item in items), default=0) or 1)
    plot = WIDTH - VALUE_ROOM
    step = max(1, scale_max // 5)
    ticks = tuple(Tick(plot * tick / scale_max, str(tick)) for tick in range(0, scale_max + 1, step))
    stacked = _stack(items)
    rows = []
    for item, lines, label_y, bar_y in stacked:
        x, segments = 0.0, []
        for support in item.by_level:
            if support.votes:
                width = plot * support.votes / scale_max
                segments.append(
                    Segment(x, width, colours[support.level],
                            f"{level_title(support.level)}: {plural(support.votes, 'vote')} ({percent(support.share)} of {support.people})")
                )
                x += width
        rows.append(ChartRow(f"#{item.number} {item.text}", item.number, lines, label_y, bar_y, tuple(segments),
                             str(item.votes), x + 5, "start"))
    desc = "; ".join(
        f"#{item.number}: {plural(item.votes, 'vote')}"
        + "".join(f", {level_title(s.level)} {s.votes}" for s in item.by_level if s.votes)
        for item in items
    )
    return Chart(chart_id, title, desc, WIDTH, _height(stacked), tuple(rows), ticks=ticks)


def divergence_chart(chart_id: str, divergence: Divergence, colours: dict[str, str], limit: int) -> Chart:
    """Bars from a centre line: left when the first level supports an item more, right for the last."""
    entries = divergence.entries[:limit]
    first, last = divergence.first_level, divergence.last_level
    half = (WIDTH - 2 * VALUE_ROOM) / 2
    centre = VALUE_ROOM + half
    stacked = _stack(tuple(entry.item for entry in entries))
    rows = []
    for entry, (item, lines, label_y, bar_y) in zip(entries, stacked):
        width = half * abs(entry.difference)
        right = entry.difference > 0
        favoured = divergence.favoured_by(entry)
        segment = Segment(centre if right else centre - width, width, colours[favoured], leaning(divergence, entry))
        rows.append(ChartRow(f"#{item.number} {item.text}", item.number, lines, label_y, bar_y, (segment,),
                             points(abs(entry.difference)), centre + width + 5 if right else centre - width - 5,
                             "start" if right else "end"))
    title = f"Support from {first} compared with {last}, largest differences first"
    if len(divergence.entries) > len(entries):
        title += f" (the {len(entries)} largest of {len(divergence.entries)})"
    desc = "; ".join(
        f"#{e.item.number}: {first} {percent(e.first_share)}, {last} {percent(e.last_share)}, {leaning(divergence, e)}"
        for e in entries
    )
    return Chart(chart_id, title, desc, WIDTH, _height(stacked), tuple(rows), axis_x=centre,
                 left_note=f"← more {first}", right_note=f"more {last} →")
