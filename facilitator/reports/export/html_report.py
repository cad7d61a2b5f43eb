"""The HTML report: one self-contained file that opens anywhere, prints well, and fetches nothing.

The page is templates/report.html.j2 (with the partials the live board shares): a contributor
changes the page there, without touching Python. Jinja2 autoescapes everything, so every piece
of user text is escaped. A Content-Security-Policy forbids every fetch, so a browser enforces
what the tests check. No script; styles inline; charts are inline SVG with a table of the same
numbers after each.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from facilitator.domain.templates import is_web_url
from facilitator.reports.export.html_charts import divergence_chart, level_colours, votes_chart
from facilitator.reports.export.html_deliberation import deliberation_context
from facilitator.reports.export.html_style import STYLE
from facilitator.reports.summary import SessionSummary
from facilitator.reports.summary.wording import (
    clock,
    day_and_clock,
    divergence_heading,
    divergence_reason,
    duration,
    headcount,
    kind_count,
    kind_plural,
    leaning,
    level_title,
    percent,
    plural,
    points,
    rank_label,
    reciprocity_line,
)

CHART_ITEMS = 15  # per category: a longer chart stops being readable; the tables list every item
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


@cache
def environment() -> Environment:
    """The report's templates, with the wording helpers every template may use."""
    env = Environment(
        loader=PackageLoader("facilitator.reports.export", "templates"),
        autoescape=True,  # every template, whatever its extension (.html.j2, .svg.j2)
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        percent=percent, level_title=level_title, plural=plural, clock=clock, duration=duration, kind_plural=kind_plural
    )
    env.globals.update(
        rank_label=lambda item, items: rank_label(item, items, dot=False),
        leaning=leaning,
        reciprocity_line=reciprocity_line,
        points=points,
        is_web_url=is_web_url,
        counts=lambda pairs: ", ".join(kind_count(kind, n) for kind, n in pairs if n) or "–",
    )
    return env


def render_html(summary: SessionSummary, now: datetime) -> bytes:
    return environment().get_template("report.html.j2").render(report_context(summary, now)).encode("utf-8")


def report_context(summary: SessionSummary, now: datetime) -> dict[str, Any]:
    colours = level_colours(summary.levels)
    categories = []
    for index, top in enumerate(summary.top):
        shown = tuple(item for item in summary.items if item.kind == top.kind)
        charted = shown[:CHART_ITEMS]
        more = f" (the {len(charted)} most voted of {len(shown)})" if len(shown) > len(charted) else ""
        chart_id = f"votes-{index}"
        title = f"Votes per {top.label} item, stacked by level{more}"
        categories.append(
            {"id": chart_id, "label": top.label, "shown": shown, "chart": votes_chart(chart_id, title, charted, colours)}
        )
    divergence = summary.divergence
    return {
        "summary": summary,
        "csp": CSP,
        "style": Markup(STYLE),  # our own stylesheet, not user text: as written
        "operator": summary.audience.value == "operator",
        "started": day_and_clock(summary.created_at),
        "generated": day_and_clock(now),
        "headcount": headcount(summary),
        "stats": [
            (summary.participant_count, "people"),
            (len(summary.items), "items"),
            (summary.votes_cast, "votes"),
            (len([1 for _, n in summary.people_by_level if n]), "levels present"),
        ],
        "levels_present": [level for level, count in summary.people_by_level if count],
        "people": dict(summary.people_by_level),
        "colours": colours,
        "categories": categories,
        "mixed": len(summary.top) > 1,
        "whys": {why.item.number: why.why for why in summary.annotations.whys},
        "divergence_heading": divergence_heading(divergence),
        "divergence_reason": divergence_reason(divergence) if divergence.applicable else None,
        "divergence_chart": divergence_chart("divergence-chart", divergence, colours, CHART_ITEMS),
        **deliberation_context(summary, colours),
    }
