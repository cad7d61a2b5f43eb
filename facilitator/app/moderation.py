"""Facilitators hide, restore and merge items; each action goes into the audit trail.

Hiding an item gives its votes back (a vote on something nobody can see would be lost
budget), and each person whose votes came back is told privately; restoring it does not bring
them back, people vote again if they wish.

Merging folds OTHER into KEEP. A person counts once on the merged item: where someone voted
for both, KEEP keeps the larger of their two votes and the rest is refunded to their budget;
votes of people who voted for OTHER only move to KEEP unchanged.
"""

from __future__ import annotations

from facilitator import commands as cmd
from facilitator.app.context import Context
from facilitator.app.refunds import refund_all, refunded_people
from facilitator.domain.actors import Actor, Place
from facilitator.domain.errors import DomainError
from facilitator.domain.phases import Phase
from facilitator.domain.visibility import tallies_secret
from facilitator.replies import Reply, ReplyKind
from facilitator.replies import messages as msg
from facilitator.store.models import ItemRow, SessionRow
from facilitator.store.store import Store


async def _open(ctx: Context, store: Store, actor: Actor, place: Place, command: cmd.Command) -> SessionRow:
    session = await ctx.locate(store, actor, place)
    await ctx.authorize(store, actor, session, command)
    if Phase(session.phase) is Phase.CLOSED:
        raise DomainError("This session is closed. Start a new one with `/pln start`.", "closed")
    return session


async def hide(ctx: Context, actor: Actor, place: Place, command: cmd.Hide) -> list[Reply]:
    number = command.number
    async with ctx.db.write(ctx.clock()) as store:
        session = await _open(ctx, store, actor, place, command)
        item = await _item(store, session, number)
        if item.hidden:
            return [msg.notice(actor.user_id, f"#{number} is already hidden.", session.id)]
        refunds = await refund_all(store, item)
        await store.hide_item(item.id)
        await store.record(session.id, actor.user_id, actor.name, "hide",
                           {"number": number, "votes_refunded": sum(refunds.values())})
        voters = [] if _secret(session) else await refunded_people(store, session, refunds)
    back = _refund_note(session, sum(refunds.values()))
    replies = [msg.notice(actor.user_id, f"#{number} is hidden from the lists and the summary.{back} "
                          f"`/pln restore {number}` brings it back.", session.id)]
    if _secret(session):
        # Blind voting: one notice in the thread, the same for everyone, so that who is told (and
        # how many votes it names) says nothing about #number's tally. One post, not a private
        # notice to each person: sixty of those at once would meet the platforms' rate limits.
        text = (f"#{number} was taken out of the lists. If you had voted for it, that vote came back to you: "
                "`/pln status` shows your votes left.")
        return replies + [Reply(ReplyKind.NOTICE, text, session_id=session.id)]
    # Each voter learns only their own votes, which they already knew: nothing that an
    # anonymous session keeps from them.
    for user_id, amount, left in voters:
        replies.append(msg.notice(user_id, f"#{number} was taken out of the lists, so your "
                                  f"{_votes(amount, 'vote')} on it came back to you{_left(session, left)}",
                                  session.id))
    return replies


async def restore(ctx: Context, actor: Actor, place: Place, command: cmd.Restore) -> list[Reply]:
    number = command.number
    async with ctx.db.write(ctx.clock()) as store:
        session = await _open(ctx, store, actor, place, command)
        item = await _item(store, session, number)
        if item.merged_into is not None:
            raise DomainError(f"#{number} was merged into #{item.merged_into}; its votes live there now.", "merged")
        if not item.hidden:
            return [msg.notice(actor.user_id, f"#{number} isn't hidden.", session.id)]
        await store.restore_item(item.id)
        await store.record(session.id, actor.user_id, actor.name, "restore", {"number": number})
    return [msg.notice(actor.user_id, f"#{number} is back in the lists.", session.id)]


async def merge(ctx: Context, actor: Actor, place: Place, command: cmd.Merge) -> list[Reply]:
    keep_number, fold_number = command.keep, command.fold
    if keep_number == fold_number:
        raise DomainError("Name two different items: `/pln merge KEEP OTHER`.", "same_item")
    async with ctx.db.write(ctx.clock()) as store:
        session = await _open(ctx, store, actor, place, command)
        keep = await _item(store, session, keep_number)
        fold = await _item(store, session, fold_number)
        for item in (keep, fold):
            if item.hidden:
                raise DomainError(f"#{item.number} is hidden; restore it before merging.", "hidden")
        if keep.kind != fold.kind:
            raise DomainError(f"#{keep_number} and #{fold_number} are different kinds of item; "
                              "only items of the same kind merge.", "kinds_differ")
        moved, refunds = await _carry_votes(store, keep, fold)
        await store.fold_item(fold.id, keep_number)
        await store.record(session.id, actor.user_id, actor.name, "merge",
                           {"keep": keep_number, "fold": fold_number, "votes_moved": moved,
                            "votes_refunded": sum(refunds.values())})
        # Blind voting: the public notice says it for everyone. Notices to only those who voted
        # for both would make the replies depend on how the votes are spread, which blind
        # voting keeps out of every reply (docs/ANONYMITY.md).
        voters = [] if _secret(session) else await refunded_people(store, session, refunds)
    text = (
        f"#{fold_number} is merged into #{keep_number} ({keep.text}). Votes on #{fold_number} now count "
        f"for #{keep_number}; anyone who had voted for both got the extra vote back."
    )
    replies = [Reply(ReplyKind.NOTICE, text, session_id=session.id)]
    for user_id, amount, left in voters:
        replies.append(msg.notice(user_id, f"You had voted for both #{keep_number} and #{fold_number}, "
                                  f"which are now one item, so {_votes(amount)} came "
                                  f"back to you{_left(session, left)}", session.id))
    return replies


def _left(session: SessionRow, left: int) -> str:
    # Votes left matter only while they can be spent; after voting they'd read as an invitation.
    return f": {left} left." if Phase(session.phase) is Phase.VOTING else "."


def _secret(session: SessionRow) -> bool:
    return tallies_secret(session.blind, Phase(session.phase))


def _refund_note(session: SessionRow, refunded: int) -> str:
    if _secret(session):
        # How many votes came back is the item's tally (the audit trail keeps the number).
        return " Any votes on it went back to the voters."
    return f" Its {_votes(refunded)} went back to the voters." if refunded else ""


def _votes(amount: int, one: str = "1 vote") -> str:
    """"2 votes", "1 vote"; `one` says the single vote another way ("vote" in "your vote")."""
    return f"{amount} votes" if amount != 1 else one


async def _item(store: Store, session: SessionRow, number: int) -> ItemRow:
    items = await store.items_by_number(session.id, (number,))
    if number not in items:
        raise DomainError(f"There's no item #{number} in this session.", "no_item")
    return items[number]


async def _carry_votes(store: Store, keep: ItemRow, fold: ItemRow) -> tuple[int, dict[int, int]]:
    """Move FOLD's votes onto KEEP; returns the votes moved and the refund per participant id."""
    on_keep = {vote.participant_id: vote for vote in await store.votes_on(keep.id)}
    moved, refunds = 0, dict[int, int]()
    for vote in await store.votes_on(fold.id):
        mine = on_keep.get(vote.participant_id)
        if mine is None:
            await store.move_vote(vote.id, keep.id)
            moved += vote.weight
            continue
        # Read both weights before writing: ORM-enabled UPDATEs refresh the loaded rows.
        kept, refund = max(mine.weight, vote.weight), min(mine.weight, vote.weight)
        await store.set_weight(mine.id, kept)
        await store.delete_vote(vote.id)
        await store.refund(vote.participant_id, refund)
        refunds[vote.participant_id] = refund
    return moved, refunds
