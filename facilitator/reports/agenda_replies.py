"""The agenda and the item up for discussion, as replies posted into the session thread."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from facilitator.domain.deadlines import human
from facilitator.domain.deliberation import AgendaOrder
from facilitator.domain.templates import Template
from facilitator.replies import Reply, ReplyKind
from facilitator.reports.agenda import Agenda, AgendaEntry
from facilitator.reports.summary import ItemStats
from facilitator.reports.summary.wording import clip, level_title, percent, plural

ORDER_WORDS = {
    AgendaOrder.VOTES: "most votes first",
    AgendaOrder.DIVERGENCE: "largest gap between levels first",
    AgendaOrder.UNSHARED: "one level's knowledge first",
}
AGENDA_LINES = 10
ITEM_TEXT = 120


def why_here(entry: AgendaEntry) -> str:
    """Why an item is on the agenda where it is, in a few words."""
    item = entry.item
    if entry.reason == "unshared":
        backing = item.support(entry.level)
        return (f"mostly {level_title(entry.level)} support: {backing.voters} of {backing.people} "
                f"({percent(backing.share)})")
    if entry.reason == "divergence":
        ahead, behind = item.support(entry.level), item.support(entry.other)
        return (f"{level_title(entry.level)} {percent(ahead.share)} vs {level_title(entry.other)} "
                f"{percent(behind.share)}")
    return plural(item.votes, "vote")


def support_by_level(item: ItemStats) -> str:
    shown = [f"{level_title(s.level)} {s.voters} of {s.people} ({percent(s.share)})" for s in item.by_level if s.people]
    return ", ".join(shown) or "nobody took part yet"


def agenda_reply(session_id: int, agenda: Agenda, discussed: Collection[int]) -> Reply:
    lines = [f"Agenda for the discussion, {ORDER_WORDS[agenda.order]}:"]
    if agenda.note:
        lines.append(agenda.note)
    for position, entry in enumerate(agenda.entries[:AGENDA_LINES], start=1):
        done = " (discussed)" if entry.item.number in discussed else ""
        lines.append(f"{position}. #{entry.item.number} {entry.item.label}: {clip(entry.item.text, ITEM_TEXT)} "
                     f"— {why_here(entry)}{done}")
    if len(agenda.entries) > AGENDA_LINES:
        lines.append(f"…and {plural(len(agenda.entries) - AGENDA_LINES, 'more item')}.")
    if not agenda.entries:
        lines.append("There are no items to discuss.")
    else:
        lines.append("`/pln next item [5m]` puts the next one up for discussion, with a question.")
    return Reply(ReplyKind.NOTICE, "\n".join(lines), session_id=session_id)


def item_up_reply(
    session_id: int, template: Template, agenda: Agenda, entry: AgendaEntry, position: int,
    author: tuple[str, str] | None, deadline: datetime | None, seconds: int | None,
) -> Reply:
    """`author` is (name, level), None in an anonymous session."""
    item = entry.item
    question = template.agenda_question(entry.reason, level_title(entry.level), level_title(entry.other))
    lines = [
        f"Now discussing #{item.number} (item {position} of {len(agenda.entries)}, {ORDER_WORDS[agenda.order]}): "
        f"{item.label}: {item.text}",
    ]
    if author is not None:
        lines.append(f"From {author[0]} ({level_title(author[1])}).")
    lines += [
        f"Support by level: {support_by_level(item)}; {plural(item.votes, 'vote')} in all.",
        f"On the agenda for: {why_here(entry)}.",
        f"Question: {question}",
    ]
    if deadline is not None and seconds is not None:
        lines.append(f"Timebox: {human(seconds)} (until {deadline:%H:%M} UTC).")
    lines.append("Facilitators: `/pln note TEXT` (or a NOTE: reply in this thread) keeps a note on it; "
                 "`/pln next item` moves on.")
    return Reply(ReplyKind.NOTICE, "\n".join(lines), session_id=session_id)
