"""Markdown, for posting and for docs (CommonMark plus GitHub tables).

Clean under markdownlint with facilitator/reports/export/markdownlint.jsonc (the rules it turns
off, and why, are in that file); tests/reports/export/test_validators.py runs it.
"""

from __future__ import annotations

from datetime import datetime

from facilitator.reports.export.markdown_deliberation import deliberation_markdown
from facilitator.reports.export.markdown_pledges import markdown_pledges
from facilitator.reports.export.markdown_text import autolink, md, table
from facilitator.reports.summary import ItemStats, SessionSummary
from facilitator.reports.summary.wording import (
    clock,
    day_and_clock,
    divergence_heading,
    divergence_reason,
    duration,
    headcount,
    kind_plural,
    leaning,
    level_title,
    percent,
    plural,
    rank_label,
    reciprocity_line,
)

__all__ = ["autolink", "md", "render_markdown"]


def render_markdown(summary: SessionSummary, now: datetime) -> bytes:
    out = [f"# {md(summary.title)}", ""]
    # The template's title only when the session has a title of its own: never the same line twice.
    template = f"*{md(summary.template_title)}* · " if summary.template_title != summary.title else ""
    out += [
        f"{template}session {summary.session_id} on {summary.platform} · {summary.phase}"
        f"{' · anonymous' if summary.anonymous else ''} · generated {day_and_clock(now)}",
        "",
        "## At a glance",
        "",
        f"- {headcount(summary)}",
        f"- {plural(len(summary.items), 'item')} and {plural(summary.votes_cast, 'vote')} "
        f"(budget {summary.vote_budget} per person).",
        "- Support is the share of a level's people who voted for an item.",
        "",
    ]
    for top in summary.top:
        out += [f"## Top {md(top.label)}s", ""]
        out += _item_table(summary, top.items) if top.items else [f"No {md(top.label)} was sent.", ""]
    out += _consensus(summary) + _divergence(summary) + deliberation_markdown(summary)
    out += _give_and_take(summary) + markdown_pledges(summary) + _annotations(summary)
    if summary.items:
        out += ["## All items", ""] + _item_table(summary, summary.items, mixed=len(summary.top) > 1)
    if summary.readings:
        out += ["## Readings", ""]
        out += [f"- {md(r.title)}" + (f" <{autolink(r.url)}>" if r.url else "") for r in summary.readings] + [""]
    if summary.questions:
        out += ["## Discussion questions", ""]
        out += [f"{n}. {md(q)}" for n, q in enumerate(summary.questions, start=1)] + [""]
    out += ["## Timeline", ""]
    out += table(
        ["Phase", "Started (UTC)", "Ended", "Duration"],
        [
            [span.phase, clock(span.started), clock(span.ended) if span.ended else "",
             duration(span.duration) if span.duration is not None else ""]
            for span in summary.timeline
        ],
    )
    while out[-1] == "":
        out.pop()
    return ("\n".join(out) + "\n").encode("utf-8")


def _levels_present(summary: SessionSummary) -> list[str]:
    return [level for level, count in summary.people_by_level if count]


def _item_table(
    summary: SessionSummary, items: tuple[ItemStats, ...], mixed: bool = False, ordered: bool = False
) -> list[str]:
    """`mixed`: the items come from several categories, so a column says which. `ordered`: the
    first column is the row's place in this table (consensus), not the item's rank in its category."""
    levels = _levels_present(summary)
    author = [] if summary.anonymous else ["From"]
    kind = ["Kind"] if mixed else []
    head = ["#" if ordered else "Rank", "Item no.", *kind, "Item", *author, "Votes", *(level_title(lv) for lv in levels)]
    rows = []
    for place, item in enumerate(items, start=1):
        by = [] if summary.anonymous else [f"{md(item.author or '')} ({item.author_level})"]
        # by_level follows summary.levels: the levels present are those with people.
        cells = [f"{support.votes} ({percent(support.share)})" for support in item.by_level if support.people]
        first = str(place) if ordered else rank_label(item, summary.items, dot=False)
        label = [md(item.label)] if mixed else []
        rows.append([first, str(item.number), *label, md(item.text), *by, str(item.votes), *cells])
    return table(head, rows)


def _consensus(summary: SessionSummary) -> list[str]:
    found = summary.consensus
    out = ["## Agreed across levels", ""]
    if not found.applicable:
        return out + ["Fewer than two levels took part, so there is nothing to agree across.", ""]
    who = ", one ".join(found.levels[:-1]) + f" and one {found.levels[-1]}"
    out += [f"Items that at least one {who} voted for, broadest support first.", ""]
    if not found.items:
        return out + ["No item had votes from every level.", ""]
    return out + _item_table(summary, found.items, mixed=len(summary.top) > 1, ordered=True)


def _divergence(summary: SessionSummary) -> list[str]:
    divergence = summary.divergence
    if not divergence.applicable:
        return []
    first, last = divergence.first_level, divergence.last_level
    out = [f"## {divergence_heading(divergence)}", ""]
    reason = divergence_reason(divergence)
    if reason is not None:
        return out + [md(reason), ""]
    return out + table(
        ["Item no.", "Item", first, last, "Difference"],
        [
            [str(e.item.number), md(e.item.text), percent(e.first_share), percent(e.last_share), leaning(divergence, e)]
            for e in divergence.entries
        ],
    )


def _give_and_take(summary: SessionSummary) -> list[str]:
    found = summary.reciprocity
    out = ["## Give and take", ""]
    if not any(row.people for row in found.levels):
        return out + ["Nobody joined the session.", ""]
    out += [f"- {md(reciprocity_line(row, found))}" for row in found.levels if row.people] + [""]
    gave = [kind for kind, _ in found.totals_gave]
    drew = [kind for kind, _ in found.totals_drew]
    head = [*(f"Gave: {kind_plural(k)}" for k in gave), *(f"Drew on: {kind_plural(k)}" for k in drew)]
    out += table(
        ["Level", "People", *head],
        [
            [level_title(row.level), str(row.people), *(str(n) for _, n in row.gave), *(str(n) for _, n in row.drew)]
            for row in found.levels
            if row.people
        ],
    )
    if found.people:
        out += ["### Each person", ""]
        out += table(
            ["Name", "Level", *head],
            [
                [md(p.name), level_title(p.level), *(str(n) for _, n in p.gave), *(str(n) for _, n in p.drew)]
                for p in found.people
            ],
        )
    return out


def _annotations(summary: SessionSummary) -> list[str]:
    notes = summary.annotations
    out: list[str] = []
    if notes.whys:
        out += ["## Why, in the authors' words", ""]
        out += [f"- #{w.item.number} {md(w.item.label)}: {md(w.item.text)} — *why:* {md(w.why)}" for w in notes.whys] + [""]
    if notes.pairs:
        out += ["## DON'Ts and the DOs that fix them", ""]
        out += [
            f"- {md(p.dont.label)} #{p.dont.number} {md(p.dont.text)} → fixed by {md(p.do.label)} #{p.do.number} {md(p.do.text)}"
            for p in notes.pairs
        ] + [""]
    if notes.merges:
        out += ["## Merged items", ""]
        out += [f"- #{m.item.number} {md(m.item.label)}: {md(m.item.text)} → merged into #{m.into}" for m in notes.merges]
        out += [""]
    if notes.hidden:
        out += ["## Hidden by a facilitator", ""]
        out += [
            f"- #{h.item.number} {md(h.item.label)}: {md(h.item.text)}" + (f" ({md(h.author)}, {h.author_level})" if h.author else "")
            for h in notes.hidden
        ] + [""]
    return out
