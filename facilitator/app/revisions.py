"""Items that change with the message they came from: while a session is collecting, editing a
`DO:`/`DON'T:` reply changes its item and deleting the reply withdraws it; a message edited into
a submission is a new one. Later the items stay as they are (people voted on what they read),
and the author is told so privately.

The platform says which message changed (`source`, as stored with the item); only the author
can edit a message, so the item's author is the one told. A deletion may come from a workspace
admin, but the message is gone either way, and so is the item.
"""

from __future__ import annotations

from dataclasses import replace

from facilitator import commands as cmd
from facilitator.app.context import Context
from facilitator.app.participation import submit
from facilitator.app.refunds import refund_all, refunded_people
from facilitator.domain.actors import Actor, Place
from facilitator.domain.phases import Phase
from facilitator.domain.text_rules import clean_item_text
from facilitator.domain.visibility import about_author
from facilitator.replies import ItemView, Reply, ReplyKind
from facilitator.replies import messages as msg
from facilitator.store.models import ItemRow, SessionRow
from facilitator.store.store import Store

_EDIT_TOO_LATE = (
    "You edited your message, but #{number} stays as it was: items change only while the session is "
    "collecting, and it is {phase} now, so people may have voted on what they read."
)
_DELETE_TOO_LATE = (
    "You deleted your message, but #{number} stays in the session: items can be withdrawn only while "
    "the session is collecting, and it is {phase} now. A facilitator can take it out of the lists "
    "(`/pln hide {number}`)."
)


async def revise(ctx: Context, actor: Actor, place: Place, command: cmd.ReviseItem) -> list[Reply]:
    async with ctx.db.write(ctx.clock()) as store:
        found = await _item_of(store, actor, place, command.source)
        if found is not None:
            return await _revise(ctx, store, actor, *found, command)
    if command.kind is None:
        return []  # ordinary chat, edited
    # A message edited into a submission is a new one, with everything a submission checks.
    return await submit(ctx, actor, place, cmd.Submit(command.kind, command.text, from_thread_reply=True,
                                                      source=command.source))


async def _revise(ctx: Context, store: Store, actor: Actor, session: SessionRow, item: ItemRow,
                  command: cmd.ReviseItem) -> list[Reply]:
    if await _author_id(store, item) != actor.user_id:
        return []  # only the author edits a message; anything else is not an edit of theirs
    if Phase(session.phase) is not Phase.COLLECTING:
        return [msg.notice(actor.user_id, _EDIT_TOO_LATE.format(number=item.number, phase=session.phase), session.id)]
    template = ctx.template_of(session)
    category = template.category_for(command.kind) if command.kind is not None else None
    if category is None:  # it no longer starts with DO:/DON'T: (or the template's words): taken back
        return await _withdraw(store, actor, session, item)
    text = clean_item_text(command.text)
    await store.revise_item(item.id, category.id, text)
    await store.record(session.id, actor.user_id, actor.name, "edit", {"number": item.number})
    view = await _view(store, session, item, category.id, text)
    return [replace(msg.item_posted(session, template, view), replaces=item.post)]


async def withdraw(ctx: Context, actor: Actor, place: Place, command: cmd.WithdrawItem) -> list[Reply]:
    async with ctx.db.write(ctx.clock()) as store:
        found = await _item_of(store, actor, place, command.source)
        if found is None:
            return []
        session, item = found
        if Phase(session.phase) is not Phase.COLLECTING:
            author = await _author_id(store, item)
            text = _DELETE_TOO_LATE.format(number=item.number, phase=session.phase)
            return [msg.notice(author, text, session.id)] if author else []
        return await _withdraw(store, actor, session, item)


async def _withdraw(store: Store, actor: Actor, session: SessionRow, item: ItemRow) -> list[Reply]:
    refunds = await refund_all(store, item)
    voters = await refunded_people(store, session, refunds)
    await store.remove_item(item)
    await store.record(session.id, actor.user_id, actor.name, "withdraw",
                       {"number": item.number, "votes_refunded": sum(refunds.values())})
    # The post that announced the item says it is gone, without its text: the author took it back.
    replies = [Reply(ReplyKind.NOTICE, f"#{item.number} was withdrawn by its author.", session_id=session.id,
                     replaces=item.post)]
    for user_id, amount, _ in voters:
        votes = "vote" if amount == 1 else f"{amount} votes"
        replies.append(msg.notice(user_id, f"#{item.number} was withdrawn by its author, so your {votes} on it "
                                  "came back to you.", session.id))
    return replies


async def _item_of(store: Store, actor: Actor, place: Place, source: str) -> tuple[SessionRow, ItemRow] | None:
    """The session thread's item that came from this message, if it made one."""
    if not place.thread:
        return None
    session = await store.session_by_thread(actor.tenant, place.channel, place.thread)
    if session is None:
        return None
    item = await store.item_by_source(session.id, source)
    return None if item is None else (session, item)


async def _author_id(store: Store, item: ItemRow) -> str | None:
    people = {p.id: p for p in await store.participants_of(item.session_id)}
    author = people.get(item.author_id)
    return author.user_id if author else None


async def _view(store: Store, session: SessionRow, item: ItemRow, kind: str, text: str) -> ItemView:
    people = {p.id: p for p in await store.participants_of(session.id)}
    author = people[item.author_id]
    return ItemView(number=item.number, kind=kind, text=text, author=about_author(session.anonymous, author.name),
                    author_level=about_author(session.anonymous, author.level))
