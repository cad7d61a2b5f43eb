"""Builds the bot's replies (as data, in plain words) from session facts."""

from __future__ import annotations

from facilitator.commands.actions import ActionName
from facilitator.commands.registry import help_lines
from facilitator.domain.deadlines import phase_ends, timed_deadline
from facilitator.domain.errors import DomainError
from facilitator.domain.phases import Phase
from facilitator.domain.session import SessionState
from facilitator.replies import Action, IntroView, ItemView, Reply, ReplyKind, Section, Tally
from facilitator.domain.templates import Template


def error(actor_id: str, message: str, session_id: int | None = None) -> Reply:
    return Reply(ReplyKind.ERROR, message, private_to=actor_id, session_id=session_id)


def notice(actor_id: str, message: str, session_id: int | None = None) -> Reply:
    return Reply(ReplyKind.NOTICE, message, private_to=actor_id, session_id=session_id)


def join_actions(session_id: int, template: Template) -> tuple[Action, ...]:
    return tuple(
        Action(ActionName.JOIN, level.name.capitalize(), session_id, level.name)
        for level in template.levels
    )


def add_actions(session_id: int, template: Template) -> tuple[Action, ...]:
    return tuple(
        Action(ActionName.ADD_ITEM, f"Add a {c.label}", session_id, c.id)
        for c in template.categories
    )


def vote_action(session_id: int, number: int) -> Action:
    return Action(ActionName.VOTE, f"Vote #{number}", session_id, str(number))


def intro(session: SessionState, template: Template, facilitator: str) -> Reply:
    view = IntroView(
        title=session.title,
        prompt=template.prompt,
        readings=template.readings,
        levels=template.public_levels(),
        how_to=template.how_to,
        phase=session.phase,
        facilitator=facilitator,
        deadline=timed_deadline(session),
    )
    readings = "\n".join(f"- {r.title}" + (f" ({r.url})" if r.url else "") for r in template.readings)
    levels = "\n".join(f"- {lv.name}: {lv.description}" for lv in template.levels)
    text = (
        f"{session.title}\n(facilitated by {facilitator}, session {session.id})\n\n{template.prompt}\n\n"
        + (f"Starting readings:\n{readings}\n\n" if readings else "")
        + f"Levels:\n{levels}\n\nHow to take part:\n{template.how_to}"
        + (f"\n\n{phase_ends(session)}" if view.deadline else "")
    )
    return Reply(
        ReplyKind.INTRO,
        text,
        session_id=session.id,
        top_level=True,
        intro=view,
        actions=join_actions(session.id, template) + add_actions(session.id, template),
    )


def item_posted(session: SessionState, template: Template, item: ItemView) -> Reply:
    who = "" if item.author is None else f" from {item.author}"
    text = f"#{item.number} {template.label_of(item.kind)}{who}: {item.text}"
    return Reply(
        ReplyKind.ITEM, text, session_id=session.id, items=(item,), actions=(vote_action(session.id, item.number),)
    )


def pick_level(actor_id: str, session_id: int, template: Template, opening: str) -> Reply:
    names = ", ".join(template.level_names)
    text = f"{opening} Which level fits you? Pick one ({names}) with a button or `/pln join LEVEL`."
    return Reply(
        ReplyKind.PICK_LEVEL,
        text,
        private_to=actor_id,
        session_id=session_id,
        actions=join_actions(session_id, template),
    )


def onboarding(template: Template, level: str) -> str:
    spec = template.level(level)
    if spec is None or not spec.onboarding:
        return ""
    return spec.onboarding


def tally_lines(tally: Tally, show_authors: bool) -> tuple[Section, ...]:
    sections = []
    for section in tally.sections:
        lines = []
        for row in section.rows:
            split = ", ".join(f"{level} {n}" for level, n in row.by_level if n)
            by = f" ({row.author})" if show_authors and row.author else ""
            lines.append(f"#{row.number} {row.text}{by}: {row.votes} vote{'s' if row.votes != 1 else ''}"
                         + (f" [{split}]" if split else ""))
        sections.append(Section(f"{section.label}s", tuple(lines) or ("(none)",)))
    return tuple(sections)


def render_sections(heading: str, sections: tuple[Section, ...]) -> str:
    parts = [heading]
    for section in sections:
        parts.append(f"\n{section.heading}:\n" + "\n".join(section.lines))
    return "\n".join(parts)


def results(session: SessionState, tally: Tally, private_to: str | None, extra: tuple[Section, ...] = ()) -> Reply:
    """`extra`: what follows the tally, e.g. the movement since the round before."""
    sections = tally_lines(tally, show_authors=not session.anonymous) + extra
    heading = f"Results for {session.title}" + (f" (round {session.round})" if session.round > 1 else "")
    text = render_sections(heading, sections)
    return Reply(ReplyKind.RESULTS, text, private_to=private_to, session_id=session.id, tally=tally, sections=sections)


def phase_changed(session: SessionState, phase: Phase, items: tuple[ItemView, ...]) -> Reply:
    if phase is Phase.VOTING:
        per_item = "at most 1 per item" if session.max_per_item == 1 else f"at most {session.max_per_item} per item"
        blind = " Tallies stay hidden until voting closes." if session.blind else ""
        opening = "Voting is open. You each have"
        if session.round > 1:
            opening = (f"Round {session.round} is open: vote again on the same items, now that you have discussed "
                       f"them (round {session.round - 1}'s votes are kept). Fresh budgets: you each have")
        predict = (" Predictions are on: `/pln predict N [N ...]` names the items you expect most others to back "
                   f"(up to {session.vote_budget}); nobody sees them until voting closes.") if session.predict else ""
        text = (
            f"{opening} {session.vote_budget} votes ({per_item}): "
            f"`/pln vote N [N ...]` or the vote buttons.{blind}{predict}"
        )
        actions = tuple(vote_action(session.id, item.number) for item in items)
        return Reply(ReplyKind.PHASE, text, session_id=session.id, items=items, actions=actions)
    if phase is Phase.DISCUSSING:
        text = ("Voting is closed. Time to discuss the top items; the results follow. Facilitators: "
                "`/pln agenda votes|divergence|unshared` orders them, `/pln next item` posts them one by one.")
        if session.round > 1:
            text = f"Round {session.round} is closed; the results follow, with how votes moved since round {session.round - 1}."
    elif phase is Phase.CLOSED:
        text = "The session is closed. Thank you all! The summary follows."
    else:
        text = f"The session is now {phase.value}."
    return Reply(ReplyKind.PHASE, text, session_id=session.id)


def help_reply(actor_id: str) -> Reply:
    lines_in = help_lines()
    width = max(len(usage) for usage, _ in lines_in)
    lines = tuple(f"/pln {usage.ljust(width)}  {what}" for usage, what in lines_in)
    return Reply(
        ReplyKind.HELP,
        "Commands:\n" + "\n".join(lines),
        private_to=actor_id,
        sections=(Section("Commands", lines),),
    )


def level_list(template: Template) -> str:
    return ", ".join(template.level_names)


def unknown_level(template: Template, level: str) -> DomainError:
    shown = level if len(level) <= 30 else level[:30] + "…"
    return DomainError(f"`{shown}` is not a level here. Choose one of: {level_list(template)}.", "unknown_level")

