"""The discussing phase as an agenda: `/pln agenda`, `/pln next item [5m]`, `/pln note`, and the
timebox of the item being discussed.

The agenda is worked out from the results each time it is asked for (a snapshot, then
reports.agenda); what is stored is the chosen order, the items already put up (one row each,
so two facilitators can't post the same one twice) and the notes.
"""

from __future__ import annotations

from datetime import timedelta

from facilitator import commands as cmd
from facilitator.app.context import Context
from facilitator.app.reading import load_snapshot
from facilitator.domain.actors import Actor, Place
from facilitator.domain.deliberation import DEFAULT_AGENDA, AgendaOrder
from facilitator.domain.errors import DomainError
from facilitator.domain.phases import Phase, require_phase
from facilitator.domain.text_rules import clean_note_text
from facilitator.domain.visibility import about_author
from facilitator.replies import Reply, ReplyKind
from facilitator.replies import messages as msg
from facilitator.reports.agenda import Agenda, build_agenda
from facilitator.reports.agenda_replies import agenda_reply, item_up_reply
from facilitator.reports.summary import summarize
from facilitator.store.models import SessionRow
from facilitator.store.store import Store

NO_CURRENT_ITEM = "No item is up for discussion yet: `/pln next item` puts the next one up, and notes go on it."


async def _agenda(ctx: Context, store: Store, session: SessionRow) -> tuple[Agenda, set[int]]:
    """The session's agenda in its chosen order, and the items already discussed."""
    snapshot = await load_snapshot(ctx, store, session)
    order = AgendaOrder(session.agenda or DEFAULT_AGENDA.value)
    return build_agenda(summarize(snapshot), order), {record.number for record in snapshot.discussions}


async def set_agenda(ctx: Context, actor: Actor, place: Place, command: cmd.Agenda) -> list[Reply]:
    async with ctx.db.write(ctx.clock()) as store:
        session = await ctx.locate(store, actor, place)
        await ctx.authorize(store, actor, session, command)
        require_phase("agenda", Phase(session.phase))
        await store.set_agenda(session.id, command.order)
        await store.record(session.id, actor.user_id, actor.name, "agenda", {"order": command.order})
        session.agenda = command.order
        agenda, discussed = await _agenda(ctx, store, session)
    return [agenda_reply(session.id, agenda, discussed)]


async def next_item(ctx: Context, actor: Actor, place: Place, command: cmd.NextItem) -> list[Reply]:
    now = ctx.clock()
    async with ctx.db.write(now) as store:
        session = await ctx.locate(store, actor, place)
        await ctx.authorize(store, actor, session, command)
        require_phase("next item", Phase(session.phase))
        agenda, discussed = await _agenda(ctx, store, session)
        entry = next((e for e in agenda.entries if e.item.number not in discussed), None)
        if entry is None:
            return [msg.notice(actor.user_id, _agenda_done(agenda, discussed), session.id)]
        number = entry.item.number
        deadline = now + timedelta(seconds=command.seconds) if command.seconds else None
        if not await store.start_discussion(session.id, number, entry.reason, command.seconds, deadline):
            raise DomainError(f"#{number} was just put up by someone else. Nothing was changed.", "raced")
    name = about_author(session.anonymous, entry.item.author or "")
    level = about_author(session.anonymous, entry.item.author_level)
    author = (name, level) if name and level else None
    template = ctx.template_of(session)
    return [item_up_reply(session.id, template, agenda, entry, len(discussed) + 1, author, deadline, command.seconds)]


def _agenda_done(agenda: Agenda, discussed: set[int]) -> str:
    if not agenda.entries:
        return "There are no items to discuss."
    return (f"Every item on the agenda has been up for discussion ({len(discussed)}). "
            "`/pln revote` opens a second round of voting; `/pln next` closes the session.")


async def note(ctx: Context, actor: Actor, place: Place, command: cmd.Note) -> list[Reply]:
    async with ctx.db.write(ctx.clock()) as store:
        if command.from_thread_reply:
            # "Note: ..." in the thread is a note only from a facilitator while an item is up;
            # from anyone else, or at any other time, it is conversation and is left alone.
            found = await store.session_by_thread(actor.tenant, place.channel, place.thread) if place.thread else None
            if (found is None or found.phase != Phase.DISCUSSING.value or found.current_item is None
                    or not await ctx.is_facilitator(store, actor, found)):
                return []
            session = found
        else:
            session = await ctx.locate(store, actor, place)
            await ctx.authorize(store, actor, session, command)
            require_phase("note", Phase(session.phase))
        number = session.current_item
        if number is None:
            raise DomainError(NO_CURRENT_ITEM, "no_current_item")
        await store.add_note(session.id, number, actor.user_id, actor.name, clean_note_text(command.text))
    return [msg.notice(actor.user_id, f"Noted on #{number}; it goes into the summary and the exports.", session.id)]


def timebox_over(session: SessionRow) -> list[Reply]:
    """What the thread is told when the item's timebox runs out: facilitators keep the pace, so
    nothing moves on by itself."""
    if session.phase != Phase.DISCUSSING.value or session.current_item is None:
        return []
    text = (f"Time's up for #{session.current_item}. Facilitators: `/pln next item` moves on, "
            "`/pln note TEXT` keeps what was said.")
    return [Reply(ReplyKind.NOTICE, text, session_id=session.id)]
