"""Builds the bot's replies (as data, in plain words) from session facts."""

from __future__ import annotations

from collections.abc import Sequence

from facilitator.commands.actions import ActionName
from facilitator.commands.registry import help_lines
from facilitator.domain.deadlines import phase_ends, timed_deadline
from facilitator.domain.errors import DomainError
from facilitator.domain.phases import Phase
from facilitator.domain.session import SessionState
from facilitator.domain.suggestions import as_choices, near_misses
from facilitator.replies import Action, IntroView, ItemView, Reply, ReplyKind, Section, Tally
from facilitator.domain.templates import Category, Template


def error(actor_id: str, message: str, session_id: int | None = None) -> Reply:
    return Reply(ReplyKind.ERROR, message, private_to=actor_id, session_id=session_id)


def notice(actor_id: str, message: str, session_id: int | None = None) -> Reply:
    return Reply(ReplyKind.NOTICE, message, private_to=actor_id, session_id=session_id)


OPEN_PLEDGES = "Pledges still open from earlier sessions here (kept? `/pln done N session=S`):"


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


def intro(session: SessionState, template: Template, facilitator: str, pledges: tuple[str, ...] = ()) -> Reply:
    view = IntroView(
        title=session.title,
        prompt=template.prompt,
        readings=template.readings,
        levels=template.public_levels(),
        how_to=template.how_to,
        phase=session.phase,
        facilitator=facilitator,
        deadline=timed_deadline(session),
        pledges=pledges,
    )
    readings = "\n".join(f"- {r.title}" + (f" ({r.url})" if r.url else "") for r in template.readings)
    levels = "\n".join(f"- {lv.name}: {lv.description}" for lv in template.levels)
    text = (
        f"{session.title}\n(facilitated by {facilitator}, session {session.id})\n\n{template.prompt}\n\n"
        + (f"Starting readings:\n{readings}\n\n" if readings else "")
        + f"Levels:\n{levels}\n\nHow to take part:\n{template.how_to}"
        + (f"\n\n{phase_ends(session)}" if view.deadline else "")
        + (f"\n\n{OPEN_PLEDGES}\n" + "\n".join(f"- {line}" for line in pledges) if pledges else "")
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
    # The text names the typed command only: the buttons travel as actions, and an adapter
    # without buttons (the shell) must not promise any.
    names = as_choices(template.level_names, quote="")
    text = f"{opening} Which level fits you: {names}? Say it with `/pln join LEVEL`."
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
            f"`/pln vote N [N ...]`, for example `/pln vote 1 3`.{blind}{predict}"
        )
        if not items:  # only a timer opens voting with nothing in it; a facilitator is refused
            text = "Voting is open, but nobody added an item, so there is nothing to vote on. `/pln end` closes the session."
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


EVERYONE_HELP = "What everyone can do"
FACILITATOR_HELP = "What facilitators can do"
WHO_RUNS_IT = "Who runs this session"


def help_reply(actor_id: str, facilitators: Sequence[str] | None = None) -> Reply:
    """What everyone can do, then what facilitators can do. `facilitators` names the session's
    facilitators when the person asking is not one of them: they get a line saying who runs the
    session instead of the facilitators' list. None shows both lists (to facilitators, and
    where no session is open yet, since whoever starts one facilitates it)."""
    everyone, hosting = help_lines(facilitators=False), help_lines(facilitators=True)
    width = max(len(usage) for usage, _ in everyone + hosting)

    def listed(lines: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
        return tuple(f"/pln {usage.ljust(width)}  {what}" for usage, what in lines)

    sections = [Section(EVERYONE_HELP, listed(everyone))]
    if facilitators is None:
        sections.append(Section(FACILITATOR_HELP, listed(hosting)))
    else:  # a section too, so adapters that draw the sections (Slack) show it as well
        who = as_choices(facilitators, quote="", last="and") if facilitators else "The facilitators"
        runs = "runs" if len(facilitators) == 1 else "run"
        line = f"{who} {runs} this session: moving it on, timers, settings, tidying items. Ask them when you need one of those."
        sections.append(Section(WHO_RUNS_IT, (line,)))
    text = render_sections("Commands", tuple(sections))
    return Reply(ReplyKind.HELP, text, private_to=actor_id, sections=tuple(sections))


def category_command(category: Category) -> str:
    """How to add an item of this category: the `do`/`dont` shortcuts, else `/pln add`."""
    return f"/pln {category.id} TEXT" if category.id in ("do", "dont") else f"/pln add {category.id} TEXT"


def unknown_level(template: Template, level: str) -> DomainError:
    shown = level if len(level) <= 30 else level[:30] + "…"
    words = template.level_words()
    guesses = tuple(dict.fromkeys(words[w] for w in near_misses(level, words)))
    if guesses:
        hint = f"Did you mean {as_choices(f'/pln join {g}' for g in guesses)}?"
    else:
        hint = f"Choose one of {as_choices(template.level_names, quote='')}: `/pln join LEVEL`."
    return DomainError(f"`{shown}` is not a level here. {hint}", "unknown_level")

