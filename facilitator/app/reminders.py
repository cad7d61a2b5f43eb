"""Private reminders before voting closes, and `/pln quiet` to opt out of them.

While collecting, people who joined but sent nothing are reminded; while voting, people
with votes left (with blind voting: people who have not yet spent all their votes, a count
that a hide or a merge can't move; see domain.visibility.has_votes_left). Each reminder is
private to its person. Whoever asked (or, for the automatic reminder before a deadline, the
session's starter) sees only counts.
"""

from __future__ import annotations

from facilitator import commands as cmd
from facilitator.app.context import Context
from facilitator.domain.actors import Actor, Place
from facilitator.domain.errors import DomainError
from facilitator.domain.phases import Phase
from facilitator.domain.visibility import has_votes_left, tallies_secret
from facilitator.replies import Reply, ReplyKind
from facilitator.replies import messages as msg
from facilitator.store.models import ParticipantRow, SessionRow
from facilitator.store.store import Store


def _people(n: int) -> str:
    return f"{n} person" if n == 1 else f"{n} people"


async def nudge_replies(store: Store, session: SessionRow, requester: Actor | None) -> list[Reply]:
    phase = Phase(session.phase)
    people = await store.participants_of(session.id)
    if phase is Phase.COLLECTING:
        authors = {item.author_id for item in await store.items_of(session.id)}
        due = [p for p in people if p.id not in authors]
        what = ("hasn't", "haven't", "added anything yet", "Everyone has added something.")
    elif phase is Phase.VOTING:
        secret = tallies_secret(session.blind, phase)
        budget = session.vote_budget
        due = [p for p in people if has_votes_left(p.votes_used, p.used_all_votes, budget, secret)]
        if secret:
            what = ("hasn't", "haven't", "spent all their votes yet", "Everyone has spent all their votes.")
        else:
            what = ("has", "have", "votes left", "Nobody has votes left.")
    else:
        return []
    if requester is not None:
        due = [p for p in due if p.user_id != requester.user_id]
    if requester is None and not due:
        return []  # the automatic reminder stays silent when there is nobody to remind
    reminded = [p for p in due if not p.quiet]
    replies = [_reminder(session, phase, p) for p in reminded]
    counts = what[3]
    if due:
        verb = what[0] if len(due) == 1 else what[1]
        counts = f"{_people(len(due))} {verb} {what[2]}: reminded {len(reminded)} privately"
        quiet = len(due) - len(reminded)
        counts += f" ({quiet} opted out with `/pln quiet`)." if quiet else "."
    to = requester.user_id if requester is not None else session.started_by
    replies.append(Reply(ReplyKind.NOTICE, counts, private_to=to, session_id=session.id))
    return replies


def _reminder(session: SessionRow, phase: Phase, person: ParticipantRow) -> Reply:
    if phase is Phase.VOTING and tallies_secret(session.blind, phase):
        # No number: after a hide it would differ by whether this person had voted for the item.
        text = (
            f"A reminder before voting closes in {session.title}: you still have votes to spend. "
            "`/pln status` shows how many; `/pln vote N` spends one."
        )
    elif phase is Phase.VOTING:
        left = session.vote_budget - person.votes_used
        text = (
            f"A reminder before voting closes in {session.title}: you have {left} vote{'s' if left != 1 else ''} "
            "left. `/pln vote N` spends one."
        )
    else:
        text = (
            f"A reminder from {session.title}: you haven't added a DO or DON'T yet, and any experience counts. "
            "`/pln help` shows how."
        )
    text += " (`/pln quiet` stops these reminders.)"
    return Reply(ReplyKind.NOTICE, text, private_to=person.user_id, session_id=session.id)


async def nudge(ctx: Context, actor: Actor, place: Place, command: cmd.Nudge) -> list[Reply]:
    async with ctx.db.read(ctx.clock()) as store:
        session = await ctx.locate(store, actor, place)
        await ctx.authorize(store, actor, session, command)
        if Phase(session.phase) not in (Phase.COLLECTING, Phase.VOTING):
            raise DomainError("Reminders go out while collecting or voting; voting is over now.", "wrong_phase")
        return await nudge_replies(store, session, actor)


async def quiet(ctx: Context, actor: Actor, place: Place, command: cmd.Quiet) -> list[Reply]:
    async with ctx.db.write(ctx.clock()) as store:
        session = await ctx.locate(store, actor, place)
        person = await store.ensure_participant(session.id, actor.user_id, actor.name)
        await store.set_quiet(person.id, command.on)
    text = (
        "No more reminders for you in this session. `/pln quiet off` turns them back on."
        if command.on
        else "Reminders are back on for you in this session."
    )
    return [msg.notice(actor.user_id, text, session.id)]
