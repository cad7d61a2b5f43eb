"""The board as HTML: the whole page, and the live part that every change replaces.

Jinja2 with autoescaping on: item text, names and titles are people's words, escaped like any
other text. The charts are the HTML report's own: its geometry (reports/export/html_charts) drawn
by its SVG partial (reports/export/templates/partials/chart.svg.j2), loaded beside our templates.
The page runs no inline script and no inline style, so the CSP can forbid both (server.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import orjson
from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

from facilitator.domain.phases import Phase
from facilitator.reports.board import BoardView
from facilitator.reports.summary import SessionSummary
from facilitator.reports.export.html_charts import Chart, level_colours, votes_chart
from facilitator.reports.export.html_deliberation import movement_chart
from facilitator.reports.summary.deliberation_sections import movement_headline
from facilitator.reports.summary.wording import clip, level_title, points

# A projector chart stays readable with about ten bars; the report and /pln results list the rest.
CHART_ITEMS = 10
# The live region's parts, in page order: templates/parts/NAME.html, element id part-NAME.
PARTS = ("top", "main", "side")
PHASE_LABELS = {
    Phase.COLLECTING: "Collecting ideas",
    Phase.VOTING: "Voting",
    Phase.DISCUSSING: "Discussing",
    Phase.CLOSED: "Closed",
}

_env = Environment(
    loader=ChoiceLoader([PackageLoader("adapters.board", "templates"),
                         PackageLoader("facilitator.reports.export", "templates")]),
    autoescape=True,  # every template, ours and the report's partials alike
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _version() -> str:
    """What a page was built with: its script, stylesheet and templates. The stream tells every
    page the server's (server.py); a page of another version reloads, so a bot upgraded while a
    screen is open never feeds an old script frames it can't read."""
    digest = hashlib.sha256()
    for folder in ("static", "templates", "templates/parts"):
        for entry in sorted(resources.files("adapters.board").joinpath(folder).iterdir(), key=lambda e: e.name):
            if entry.is_file():
                digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    return digest.hexdigest()[:16]


VERSION = _version()
_env.filters["cssname"] = lambda word: re.sub(r"[^a-z0-9-]", "-", str(word).lower())


@dataclass(frozen=True)
class Figure:
    chart: Chart | None  # None when the category had no item
    caption: str


def page(view: BoardView, token: str) -> str:
    """The whole page; its live part is the same as what live_part sends."""
    return _env.get_template("board.html").render(_context(view) | {"token": token, "version": VERSION})


def live_part(view: BoardView) -> str:
    """The whole live region, as the page first shows it (every part)."""
    return _env.get_template("live.html").render(_context(view))


def live_parts(view: BoardView) -> dict[str, str]:
    """The live region as its parts (PARTS), each an element the page swaps in by its id."""
    context = _context(view)
    return {name: _env.get_template(f"parts/{name}.html").render(context) for name in PARTS}


def board_event(parts: Mapping[str, str]) -> bytes:
    """One Server-Sent Event carrying some parts (name -> markup). While votes are blind a vote
    changes only the side part: sending that alone keeps a frame to a screen at about a kilobyte,
    not the whole board (bench figure 7: 200 screens on a 300-item board). JSON keeps it on one
    `data:` line."""
    return b"event: parts\ndata: " + orjson.dumps(dict(parts)) + b"\n\n"


def _context(view: BoardView) -> dict[str, Any]:
    return {
        "view": view,
        "phase_label": PHASE_LABELS[view.phase] + (f", round {view.round}" if view.round > 1 else ""),
        "question": _question(view.prompt),
        "deadline_ms": int(view.deadline.timestamp() * 1000) if view.deadline else None,
        "people_total": sum(count for _, count in view.people_by_level),
        "legend": _legend(view),
        "charts": _charts(view),
    }


def _question(prompt: str) -> str:
    """A template's prompt is a few paragraphs for the intro; the last one asks the question,
    which is what the room needs to see."""
    paragraphs = [part.strip() for part in prompt.split("\n\n") if part.strip()]
    return paragraphs[-1] if paragraphs else ""


def _legend(view: BoardView) -> list[tuple[str, str]]:
    if view.results is None:
        return []
    colours = level_colours(view.results.levels)
    return [(level_title(level), colours[level]) for level, count in view.results.people_by_level if count]


def _charts(view: BoardView) -> list[Figure]:
    summary = view.results
    if summary is None:
        return []
    colours = level_colours(summary.levels)
    charts = []
    for index, top in enumerate(summary.top):
        ranked = tuple(item for item in summary.items if item.kind == top.kind)
        shown = ranked[:CHART_ITEMS]
        more = f" (the {len(shown)} most voted of {len(ranked)})" if len(ranked) > len(shown) else ""
        title = f"{top.label}s: votes per item, stacked by level{more}"
        if not shown:
            charts.append(Figure(None, f"No {top.label} was sent."))
            continue
        charts.append(Figure(votes_chart(f"board-votes-{index}", title, shown, colours), title))
    return charts + _deliberation_figures(summary, colours)


def _deliberation_figures(summary: SessionSummary, colours: dict[str, str]) -> list[Figure]:
    """After a second round, how each level's votes moved; with predictions, the surprisingly
    popular items (docs/FACILITATION.md)."""
    figures = []
    if summary.movement is not None:
        chart = movement_chart("board-movement", summary, summary.movement, colours)
        figures.append(Figure(chart if chart.rows else None, movement_headline(summary.movement)))
    scores = summary.surprise
    if scores is not None and scores.enough and scores.popular:
        listed = "; ".join(f"#{n} {clip(item.text, 40)} ({points(scores.score(n) or 0.0)})"
                           for n in scores.popular[:3] if (item := summary.item(n)) is not None)
        figures.append(Figure(None, f"Surprisingly popular, more backed than predicted: {listed}"))
    return figures
