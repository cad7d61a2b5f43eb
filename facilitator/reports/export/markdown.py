"""Markdown, for posting and for docs (CommonMark plus GitHub tables)."""

from __future__ import annotations

import re
from urllib.parse import quote
from datetime import datetime

from facilitator.reports.summary import ItemStats, SessionSummary
from facilitator.reports.summary.deliberation_sections import (
    REASONS,
    SURPRISE_EXPLAINED,
    level_changes,
    level_shift,
    movement_headline,
    signed,
    surprise_reason,
)
from facilitator.reports.summary.wording import (
    clock,
    day_and_clock,
    divergence_heading,
    divergence_reason,
    duration,
    headcount,
    leaning,
    level_title,
    percent,
    plural,
    points,
    rank_label,
)

# Only what can start markup mid-line: `-`, `+` and digits matter at a line's start, and no
# user text starts a line here.
_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
# Anything md() changes besides spaces: most text has none, and a search is cheaper than the
# changes (a 5,000-item export escapes 19,000 texts).
_CHANGED = re.compile(r"[\\`*_\[\]|~#&<>]")


def md(text: str) -> str:
    """User text made inert: no markup, no raw HTML, one line (a newline would end a table row)."""
    flat = " ".join(text.split())
    if _CHANGED.search(flat) is None:
        return flat
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", flat)


def autolink(url: str) -> str:
    """A URL that stays one CommonMark autolink: no spaces or angle brackets inside."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def render_markdown(summary: SessionSummary, now: datetime) -> bytes:
    out = [f"# {md(summary.title)}", ""]
    out += [
        f"*{md(summary.template_title)}* · session {summary.session_id} on {summary.platform} · "
        f"{summary.phase} · generated {day_and_clock(now)}",
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
    out += _consensus(summary) + _divergence(summary) + _movement(summary) + _surprise(summary)
    out += _discussion(summary) + _give_and_take(summary)
    if summary.items:
        out += ["## All items", ""] + _item_table(summary, summary.items, mixed=len(summary.top) > 1)
    if summary.readings:
        out += ["## Readings", ""]
        out += [f"- {md(r.title)}" + (f" <{autolink(r.url)}>" if r.url else "") for r in summary.readings] + [""]
    if summary.questions:
        out += ["## Discussion questions", ""]
        out += [f"{n}. {md(q)}" for n, q in enumerate(summary.questions, start=1)] + [""]
    out += ["## Timeline", "", "| Phase | Started (UTC) | Ended | Duration |", "|---|---|---|---|"]
    for span in summary.timeline:
        ended = clock(span.ended) if span.ended else ""
        took = duration(span.duration) if span.duration else ""
        out.append(f"| {span.phase} | {clock(span.started)} | {ended} | {took} |")
    return ("\n".join(out) + "\n").encode("utf-8")


def _levels_present(summary: SessionSummary) -> list[str]:
    return [level for level, count in summary.people_by_level if count]


def _item_table(summary: SessionSummary, items: tuple[ItemStats, ...], mixed: bool = False) -> list[str]:
    """`mixed`: the items come from several categories, so each says which one it is in."""
    levels = _levels_present(summary)
    author = [] if summary.anonymous else ["From"]
    head = ["Rank", "#", "Item", *author, "Votes", *(level_title(level) for level in levels)]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for item in items:
        by = [] if summary.anonymous else [f"{md(item.author or '')} ({item.author_level})"]
        # by_level follows summary.levels: the levels present are those with people.
        cells = [f"{support.votes} ({percent(support.share)})" for support in item.by_level if support.people]
        kind = f"{md(item.label)}: " if mixed else ""
        row = [rank_label(item, summary.items, dot=False), str(item.number), kind + md(item.text), *by, str(item.votes), *cells]
        rows.append("| " + " | ".join(row) + " |")
    return rows + [""]


def _consensus(summary: SessionSummary) -> list[str]:
    found = summary.consensus
    out = ["## Agreed across levels", ""]
    if not found.applicable:
        return out + ["Fewer than two levels took part, so there is nothing to agree across.", ""]
    who = ", one ".join(found.levels[:-1]) + f" and one {found.levels[-1]}"
    out += [f"Items that at least one {who} voted for.", ""]
    if not found.items:
        return out + ["No item had votes from every level.", ""]
    return out + _item_table(summary, found.items, mixed=True)


def _divergence(summary: SessionSummary) -> list[str]:
    divergence = summary.divergence
    if not divergence.applicable:
        return []
    first, last = divergence.first_level, divergence.last_level
    out = [f"## {divergence_heading(divergence)}", ""]
    reason = divergence_reason(divergence)
    if reason is not None:
        return out + [md(reason), ""]
    out += [f"| # | Item | {first} | {last} | Difference |", "|---|---|---|---|---|"]
    for entry in divergence.entries:
        out.append(
            f"| {entry.item.number} | {md(entry.item.text)} | {percent(entry.first_share)} | "
            f"{percent(entry.last_share)} | {leaning(divergence, entry)} |"
        )
    return out + [""]


def _text_of(summary: SessionSummary, number: int) -> str:
    item = summary.item(number)
    return md(item.text) if item else ""


def _movement(summary: SessionSummary) -> list[str]:
    movement = summary.movement
    if movement is None:
        return []
    out = [f"## Round {movement.to_round} compared with round {movement.from_round}", "",
           movement_headline(movement), "", level_shift(movement), ""]
    out += [f"| # | Item | Round {movement.from_round} | Round {movement.to_round} | Change | By level |",
            "|---|---|---|---|---|---|"]
    for move in movement.items:
        out.append(f"| {move.number} | {_text_of(summary, move.number)} | {move.before} | {move.after} | "
                   f"{signed(move.change)} | {level_changes(move)} |")
    return out + [""]


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
    out += ["| # | Item | Backed by | Predicted by | Surprise |", "|---|---|---|---|---|"]
    for number in scores.popular:
        out.append(f"| {number} | {_text_of(summary, number)} | {percent(scores.real_share(number))} | "
                   f"{percent(scores.predicted_share(number))} | {points(scores.score(number) or 0.0)} |")
    return out + [""]


def _discussion(summary: SessionSummary) -> list[str]:
    if not summary.discussion:
        return []
    out = ["## Discussed, in agenda order", ""]
    for position, discussed in enumerate(summary.discussion, start=1):
        out.append(f"{position}. #{discussed.number} {_text_of(summary, discussed.number)} "
                   f"({REASONS.get(discussed.reason, discussed.reason)})")
        out += [f"   - {md(note.text)}" + (f" ({md(note.author)})" if note.author else "") for note in discussed.notes]
    return out + [""]


def _give_and_take(summary: SessionSummary) -> list[str]:
    if not any(row.people for row in summary.give_and_take):
        return ["## Give and take", "", "Nobody joined the session.", ""]
    out = ["## Give and take", "", "| Level | People | Contributed items | Only voted | Silent |", "|---|---|---|---|---|"]
    for row in summary.give_and_take:
        if not row.people:
            continue
        cells = [(row.contributed, row.contributors), (row.only_voted, row.voters_only), (row.silent, row.silent_people)]
        shown = [str(count) + (f" ({', '.join(md(n) for n in names)})" if names else "") for count, names in cells]
        out.append(f"| {level_title(row.level)} | {row.people} | " + " | ".join(shown) + " |")
    return out + [""]
