"""Inline SVG charts for the HTML report: votes per item stacked by level, and divergence.

Each chart is an accessible image (role="img", <title> and <desc>), and every figure in the
report is followed by a table with the same numbers, for screen readers and for print.
"""

from __future__ import annotations

from html import escape

from facilitator.reports.summary import Divergence, ItemStats
from facilitator.reports.summary.wording import clip, leaning, level_title, percent, plural, points

# Okabe–Ito: distinguishable with the common forms of colour blindness.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#F0E442")
UNSPECIFIED_COLOUR = "#8C8C8C"
WIDTH = 760
LABEL_WIDTH = 320
ROW = 30
BAR = 18
TOP = 34


def level_colours(levels: tuple[str, ...]) -> dict[str, str]:
    colours, index = {}, 0
    for level in levels:
        if level == "unspecified":
            colours[level] = UNSPECIFIED_COLOUR
        else:
            colours[level] = PALETTE[index % len(PALETTE)]
            index += 1
    return colours


def _open_svg(chart_id: str, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _row_label(y: int, item: ItemStats) -> str:
    return (
        f'<text class="label" x="{LABEL_WIDTH - 10}" y="{y + BAR / 2 + 4:.0f}" text-anchor="end">'
        f'<tspan class="num">#{item.number}</tspan> {escape(clip(item.text, 36))}</text>'
    )


def _nice_max(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if value <= step * 5:
            return max(step, -(-value // step) * step)
    return value


def votes_chart(chart_id: str, title: str, items: tuple[ItemStats, ...], colours: dict[str, str]) -> str:
    """Horizontal bars, one per item, each split into its levels' votes."""
    height = TOP + ROW * len(items) + 10
    scale_max = _nice_max(max((item.votes for item in items), default=0) or 1)
    plot = WIDTH - LABEL_WIDTH - 50
    desc = "; ".join(
        f"#{item.number}: {plural(item.votes, 'vote')}"
        + "".join(f", {level_title(s.level)} {s.votes}" for s in item.by_level if s.votes)
        for item in items
    )
    out = _open_svg(chart_id, height, title, desc)
    step = max(1, scale_max // 5)
    for tick in range(0, scale_max + 1, step):
        x = LABEL_WIDTH + plot * tick / scale_max
        out.append(f'<line class="grid" x1="{x:.1f}" y1="{TOP - 8}" x2="{x:.1f}" y2="{height - 10}"/>')
        out.append(f'<text class="tick" x="{x:.1f}" y="{TOP - 14}" text-anchor="middle">{tick}</text>')
    for index, item in enumerate(items):
        y = TOP + ROW * index
        out.append(f"<g><title>{escape(f'#{item.number} {item.text}')}</title>{_row_label(y, item)}")
        x = float(LABEL_WIDTH)
        for support in item.by_level:
            if not support.votes:
                continue
            width = plot * support.votes / scale_max
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR}" fill="{colours[support.level]}">'
                f"<title>{escape(level_title(support.level))}: {plural(support.votes, 'vote')} "
                f"({percent(support.share)} of {support.people})</title></rect>"
            )
            x += width
        out.append(f'<text class="total" x="{x + 6:.1f}" y="{y + BAR / 2 + 4:.0f}">{item.votes}</text></g>')
    out.append("</svg>")
    return "\n".join(out)


def divergence_chart(chart_id: str, divergence: Divergence, colours: dict[str, str], limit: int) -> str:
    """Bars from a centre line: left when the first level supports an item more, right for the last."""
    entries = divergence.entries[:limit]
    first, last = divergence.first_level, divergence.last_level
    height = TOP + ROW * len(entries) + 10
    value_room = 80  # for the "+100 pts" label at the end of the longest bar on either side
    half = (WIDTH - LABEL_WIDTH - 2 * value_room) / 2
    centre = LABEL_WIDTH + value_room + half
    desc = "; ".join(
        f"#{e.item.number}: {first} {percent(e.first_share)}, {last} {percent(e.last_share)}, "
        f"{leaning(divergence, e)}"
        for e in entries
    )
    title = f"Support from {first} compared with {last}, largest differences first"
    if len(divergence.entries) > len(entries):
        title += f" (the {len(entries)} largest of {len(divergence.entries)})"
    out = _open_svg(chart_id, height, title, desc)
    out.append(f'<text class="tick" x="{centre - 8:.1f}" y="{TOP - 14}" text-anchor="end">← more {escape(first)} support</text>')
    out.append(f'<text class="tick" x="{centre + 8:.1f}" y="{TOP - 14}">more {escape(last)} support →</text>')
    for index, entry in enumerate(entries):
        y = TOP + ROW * index
        width = half * abs(entry.difference)
        favoured = divergence.favoured_by(entry)
        x = centre if entry.difference > 0 else centre - width
        label_x = centre + width + 6 if entry.difference > 0 else centre - width - 6
        anchor = "start" if entry.difference > 0 else "end"
        out.append(f"<g><title>{escape(f'#{entry.item.number} {entry.item.text}')}</title>{_row_label(y, entry.item)}")
        out.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR}" fill="{colours[favoured]}"/>')
        out.append(
            f'<text class="total" x="{label_x:.1f}" y="{y + BAR / 2 + 4:.0f}" text-anchor="{anchor}">'
            f"{points(abs(entry.difference))}</text></g>"
        )
    out.append(f'<line class="axis" x1="{centre:.1f}" y1="{TOP - 8}" x2="{centre:.1f}" y2="{height - 6}"/>')
    out.append("</svg>")
    return "\n".join(out)
