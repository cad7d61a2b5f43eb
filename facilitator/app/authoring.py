"""What people add to items after sending them: a one-line "why", and DON'T -> DO pairs."""

from __future__ import annotations

from facilitator import commands as cmd
from facilitator.app.context import Context
from facilitator.domain.actors import Actor, Place
from facilitator.domain.errors import DomainError
from facilitator.domain.phases import Phase
from facilitator.domain.text_rules import WHY_LIMIT, clean_item_text
from facilitator.replies import Reply, ReplyKind
from facilitator.replies import messages as msg
from facilitator.store.models import ItemRow, SessionRow
from facilitator.store.store import Store


async def why(ctx: Context, actor: Actor, place: Place, command: cmd.Why) -> list[Reply]:
    number = command.number
    reason = " ".join(clean_item_text(command.text).split())
    if len(reason) > WHY_LIMIT:
        raise DomainError(f"Keep the why to one line ({WHY_LIMIT} characters); yours is {len(reason)}.", "too_long")
    async with ctx.db.write(ctx.clock()) as store:
        session = await _open(ctx, store, actor, place)
        item = await _visible(store, session, number)
        person = await store.participant(session.id, actor.user_id)
        if person is None or person.id != item.author_id:
            raise DomainError(f"Only the person who sent #{number} can add its why.", "not_author")
        await store.set_why(item.id, reason)
    return [msg.notice(actor.user_id, f"Added to #{number}: why: {reason}", session.id)]


async def pair(ctx: Context, actor: Actor, place: Place, command: cmd.Pair) -> list[Reply]:
    first, second = command.dont, command.do
    async with ctx.db.write(ctx.clock()) as store:
        session = await _open(ctx, store, actor, place)
        a, b = await _visible(store, session, first), await _visible(store, session, second)
        if a.kind == b.kind:
            raise DomainError(f"#{first} and #{second} are the same kind; pair a DON'T with a DO.", "same_kind")
        # In the DO/DON'T template the order can't be wrong; elsewhere it is as typed.
        dont, do = (b, a) if a.kind == "do" and b.kind == "dont" else (a, b)
        person = await store.participant(session.id, actor.user_id)
        mine = person is not None and person.id in (a.author_id, b.author_id)
        if not mine and not await ctx.is_facilitator(store, actor, session):
            raise DomainError("Facilitators, and the people who sent these items, can pair them.", "not_allowed")
        added = await store.add_pair(session.id, dont.number, do.number)
    if not added:
        return [msg.notice(actor.user_id, f"#{dont.number} and #{do.number} are already paired.", session.id)]
    template = ctx.template_of(session)
    text = (
        f"Paired: {template.label_of(dont.kind)} #{dont.number} ({dont.text}) is fixed by "
        f"{template.label_of(do.kind)} #{do.number} ({do.text})."
    )
    return [Reply(ReplyKind.NOTICE, text, session_id=session.id)]


async def _open(ctx: Context, store: Store, actor: Actor, place: Place) -> SessionRow:
    session = await ctx.locate(store, actor, place)
    if Phase(session.phase) is Phase.CLOSED:
        raise DomainError("This session is closed. Start a new one with `/pln start`.", "closed")
    return session


async def _visible(store: Store, session: SessionRow, number: int) -> ItemRow:
    items = await store.items_by_number(session.id, (number,))
    if number not in items or items[number].hidden:
        raise DomainError(f"There's no item #{number} in this session.", "no_item")
    return items[number]
