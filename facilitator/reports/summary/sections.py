"""The end-of-session summary as headed plain-text sections, for posting in the session thread.

Adapters lay the sections out natively (Slack section blocks, Discord embed fields) and split
them at their size limits. Lines are kept short so that even a 100-item session stays well
within those limits: item text is clipped to one line here, and the full text is in the export.
Text is not escaped: each adapter escapes for its platform.
"""

from __future__ import annotations

from facilitator.replies import Section
from facilitator.reports.summary import CategoryTop, SessionSummary
from facilitator.reports.summary.deliberation_sections import deliberation_sections
from facilitator.reports.summary.pledges import pledge_lines
from facilitator.reports.summary.wording import (
    clip,
    day_and_clock,
    divergence_heading,
    divergence_line,
    divergence_reason,
    headcount,
    plural,
    rank_label,
    reciprocity_line,
    span_line,
    votes_by_level,
)

ITEM_TEXT_IN_CHAT = 150


def summary_sections(summary: SessionSummary) -> tuple[Section, ...]:
    sections = [_glance(summary)]
    sections += [_top(summary, top) for top in summary.top]
    sections.append(_consensus(summary))
    if summary.divergence.applicable:
        sections.append(_divergence(summary))
    sections += deliberation_sections(summary)
    sections.append(
        Section(
            "Give and take",
            tuple(reciprocity_line(row, summary.reciprocity) for row in summary.reciprocity.levels if row.people),
        )
    )
    sections.append(Section("Pledges", pledge_lines(summary.pledges)))
    sections += annotation_sections(summary)
    if summary.readings:
        sections.append(
            Section("Readings", tuple(f"{r.title} – {r.url}" if r.url else r.title for r in summary.readings))
        )
    if summary.questions:
        sections.append(
            Section("Discussion questions", tuple(f"{n}. {q}" for n, q in enumerate(summary.questions, start=1)))
        )
    sections.append(Section("Timeline", tuple(span_line(span) for span in summary.timeline)))
    return tuple(section for section in sections if section.lines)


def summary_text(summary: SessionSummary) -> str:
    """The same summary as one plain-text message: the Reply's text, and what the shell prints.
    Laid out like the other replies' text (messages.render_sections)."""
    parts = [f"Summary of {summary.title}"]
    parts += [f"\n{section.heading}:\n" + "\n".join(section.lines) for section in summary_sections(summary)]
    parts.append("\nThe full report: /pln export md|csv|json|html")
    return "\n".join(parts)


def _glance(summary: SessionSummary) -> Section:
    kinds = ", ".join(f"{top.total} {top.label}" for top in summary.top)
    return Section(
        "At a glance",
        (
            headcount(summary),
            f"{plural(len(summary.items), 'item')} ({kinds}) and {plural(summary.votes_cast, 'vote')}.",
            f"Started {day_and_clock(summary.created_at)}; the session is {summary.phase}.",
        ),
    )


def _item_line(summary: SessionSummary, top: CategoryTop, index: int) -> str:
    item = top.items[index]
    by = f" ({item.author}, {item.author_level})" if item.author else ""
    return (
        f"{rank_label(item, summary.items)} #{item.number} {clip(item.text, ITEM_TEXT_IN_CHAT)}{by} — "
        f"{plural(item.votes, 'vote')}: {votes_by_level(item)}"
    )


def _top(summary: SessionSummary, top: CategoryTop) -> Section:
    heading = f"Top {top.label}s"
    if not top.items:
        return Section(heading, (f"No {top.label} was sent.",))
    lines = [_item_line(summary, top, index) for index in range(len(top.items))]
    if top.total > len(top.items):
        lines.append(f"…and {plural(top.total - len(top.items), 'more item')} in the export.")
    return Section(heading, tuple(lines))


def _consensus(summary: SessionSummary) -> Section:
    found = summary.consensus
    heading = "Agreed across levels"
    if not found.applicable:
        return Section(heading, ("Fewer than two levels took part, so there is nothing to agree across.",))
    if not found.items:
        return Section(heading, (f"No item had votes from every level ({', '.join(found.levels)}).",))
    lines = [
        f"#{item.number} {clip(item.text, ITEM_TEXT_IN_CHAT)} — {votes_by_level(item)}"
        for item in found.items[:5]
    ]
    if len(found.items) > 5:
        lines.append(f"…and {plural(len(found.items) - 5, 'more item')} in the export.")
    return Section(heading, tuple(lines))


def _divergence(summary: SessionSummary) -> Section:
    divergence = summary.divergence
    heading = divergence_heading(divergence)
    reason = divergence_reason(divergence)
    if reason is not None:
        return Section(heading, (reason,))
    return Section(
        heading,
        tuple(
            f"#{e.item.number} {clip(e.item.text, ITEM_TEXT_IN_CHAT)} — {divergence_line(divergence, e)}"
            for e in divergence.entries[:5]
        ),
    )


# The authors' own additions ("why"s, DON'T -> DO pairs) and the facilitators' merges. No author
# is named, so the same sections serve anonymous sessions. Hidden items are the operator's only,
# and the chat summary is the room's.

def annotation_sections(summary: SessionSummary) -> tuple[Section, ...]:
    notes = summary.annotations
    sections = []
    if notes.whys:
        sections.append(
            Section(
                "Why, in the authors' words",
                tuple(
                    f"#{w.item.number} {w.item.label} {clip(w.item.text, ITEM_TEXT_IN_CHAT)}: why: {clip(w.why, ITEM_TEXT_IN_CHAT)}"
                    for w in notes.whys
                ),
            )
        )
    if notes.pairs:
        sections.append(
            Section(
                "DON'Ts and the DOs that fix them",
                tuple(
                    f"{p.dont.label} #{p.dont.number} {clip(p.dont.text, ITEM_TEXT_IN_CHAT)} -> fixed by "
                    f"{p.do.label} #{p.do.number} {clip(p.do.text, ITEM_TEXT_IN_CHAT)}"
                    for p in notes.pairs
                ),
            )
        )
    if notes.merges:
        sections.append(
            Section(
                "Merged items",
                tuple(
                    f"#{m.item.number} {m.item.label} {clip(m.item.text, ITEM_TEXT_IN_CHAT)} -> merged into #{m.into}"
                    for m in notes.merges
                ),
            )
        )
    if notes.hidden:
        sections.append(
            Section(
                "Hidden by a facilitator",
                tuple(f"#{h.item.number} {h.item.label} {clip(h.item.text, ITEM_TEXT_IN_CHAT)}" for h in notes.hidden),
            )
        )
    return tuple(sections)
