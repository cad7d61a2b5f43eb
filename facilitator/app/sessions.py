"""What facilitators do to a whole session: start it, move it through its phases, end it,
share the job with co-hosts."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from facilitator.app.context import Context
from facilitator.app.item_views import visible_item_views
from facilitator.app.pledge_views import earlier_open_pledges
from facilitator.app.reading import closing_record, closing_replies
from facilitator import commands as cmd
from facilitator.commands.parsing import shown
from facilitator.domain.actors import Actor, Place
from facilitator.domain.errors import DomainError
from facilitator.domain.phases import Phase, require_phase
from facilitator.domain.templates import Template
from facilitator.domain.text_rules import clean_title
from facilitator.replies import Reply
from facilitator.replies import messages as msg
from facilitator.store.models import SessionRow
from facilitator.store.store import Store

CLOSING = (Phase.DISCUSSING, Phase.CLOSED)  # the phases that post the results or the summary
_ALREADY_OPEN = "This channel already has an open session ({title}). End it with `/pln end` before starting another."
_NOTHING_TO_VOTE_ON = (
    "There's nothing to vote on yet: nobody has added an item, so the session stays collecting. "
    "Voting can open once people add some ({adds}); `/pln end` closes the session instead."
)


def _adds(template: Template) -> str:
    return " or ".join(f"`{msg.category_command(c)}`" for c in template.categories[:3])


async def start(ctx: Context, actor: Actor, place: Place, command: cmd.Start) -> list[Reply]:
    template = ctx.default_template() if command.template is None else _template(ctx, command.template)
    defaults = ctx.defaults
    now = ctx.clock()
    try:
        async with ctx.db.write(now) as store:
            existing = await store.open_session_in_channel(actor.tenant, place.platform, place.channel)
            if existing is not None:
                raise DomainError(_ALREADY_OPEN.format(title=existing.title), "already_open")
            session = await store.create_session(
                SessionRow(
                    tenant=actor.tenant,
                    platform=place.platform,
                    channel=place.channel,
                    title=clean_title(command.title, template.title),
                    template=template.id,
                    template_snapshot=ctx.templates.source_of(template.id),
                    phase=Phase.COLLECTING.value,
                    vote_budget=defaults.vote_budget,
                    max_per_item=defaults.max_per_item,
                    anonymous=defaults.anonymous,
                    blind=defaults.blind,
                    predict=defaults.predict,
                    followup=defaults.followup,
                    item_count=0,
                    started_by=actor.user_id,
                    created_at=now,
                ),
                actor.name,
            )
            earlier = await earlier_open_pledges(store, session)
    except IntegrityError:
        # Another process opened one in this channel between our check and our insert.
        raise DomainError(_ALREADY_OPEN.format(title="just started"), "already_open") from None
    guide = (
        f"You're facilitating session {session.id}. `/pln next` opens voting, then discussion; "
        "`/pln end` closes it and posts the summary; `/pln cohost @person` shares the job."
    )
    return [msg.intro(session, template, actor.name, earlier), msg.notice(actor.user_id, guide, session.id)]


def _template(ctx: Context, template_id: str) -> Template:
    try:
        return ctx.templates.get(template_id)
    except KeyError:
        known = ", ".join(ctx.templates.ids())
        shown = template_id if len(template_id) <= 40 else template_id[:40] + "…"
        raise DomainError(f"There is no template `{shown}`. Templates here: {known}.", "unknown_template") from None


async def advance(ctx: Context, actor: Actor, place: Place, command: cmd.Next) -> list[Reply]:
    """`/pln next`: one phase on (the timer of `/pln next 10m` is set by app.timers)."""
    async with ctx.db.write(ctx.clock()) as store:
        session = await ctx.locate(store, actor, place)
        await ctx.authorize(store, actor, session, command)
        current = Phase(session.phase)
        require_phase("next", current)
        target = current.following()
        items = await visible_item_views(store, session) if target is Phase.VOTING else ()
        if target is Phase.VOTING and not items:
            raise DomainError(_NOTHING_TO_VOTE_ON.format(adds=_adds(ctx.template_of(session))), "no_items")
        await move(store, session, current, target)
        closing = await closing_record(ctx, store, session, target) if target in CLOSING else None
    replies = [msg.phase_changed(session, target, items)]
    return replies + (closing_replies(session, closing) if closing is not None else [])


async def end(ctx: Context, actor: Actor, place: Place, command: cmd.End) -> list[Reply]:
    async with ctx.db.write(ctx.clock()) as store:
        session = await ctx.locate(store, actor, place)
        await ctx.authorize(store, actor, session, command)
        current = Phase(session.phase)
        require_phase("end", current)
        await move(store, session, current, Phase.CLOSED)
        closing = await closing_record(ctx, store, session, Phase.CLOSED)
    return [msg.phase_changed(session, Phase.CLOSED, ())] + closing_replies(session, closing)


async def cohost(ctx: Context, actor: Actor, place: Place, command: cmd.Cohost) -> list[Reply]:
    async with ctx.db.write(ctx.clock()) as store:
        session = await ctx.locate(store, actor, place)
        await ctx.authorize(store, actor, session, command)
        require_phase("cohost", Phase(session.phase))
        user_id, name = await resolve_person(store, session, command.target)
        added = await store.add_host(session.id, user_id, name)
    if not added:
        return [msg.notice(actor.user_id, f"{name} is already a facilitator of this session.", session.id)]
    told = (
        f"{actor.name} made you a co-host of {session.title}: you can run the session too "
        "(move it on, set timers and settings, tidy items). `/pln help` lists what facilitators can do."
    )
    return [
        msg.notice(actor.user_id, f"{name} is now a co-host of this session; I've told them.", session.id),
        msg.notice(user_id, told, session.id),
    ]


async def resolve_person(store: Store, session: SessionRow, target: cmd.UserRef, usage: str = "cohost") -> tuple[str, str]:
    """A mention names the person by id (they need not have joined); a display name must be
    someone of this session, and only one."""
    if target.user_id is not None:
        person = await store.participant(session.id, target.user_id)
        return target.user_id, person.name if person else (target.name or "That person")
    wanted = (target.name or "").strip()
    found = await store.participants_named(session.id, wanted)
    name = shown(wanted, 40)
    if not found:
        raise DomainError(
            f"I can't find anyone called {name} in this session. Mention them (`/pln {usage} @{name}`), "
            "or ask them to join first with `/pln join LEVEL`.",
            "unknown_person",
        )
    if len(found) > 1:
        raise DomainError(f"More than one person here is called {name}: mention the one you mean.", "ambiguous_person")
    return found[0].user_id, found[0].name


async def move(store: Store, session: SessionRow, current: Phase, target: Phase) -> None:
    if not await store.move_phase(session.id, current, target):
        raise DomainError("Someone else just moved the session on. Check `/pln status`.", "raced")
    session.phase = target.value
