"""Private reminders before voting closes, and `/pln quiet` to opt out of them.

While collecting, people who joined but sent nothing are reminded; while voting, people
with votes left. Each reminder is private to its person. Whoever asked (or, for the
automatic reminder before a deadline, the session's starter) sees only counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from facilitator import messages as msg
from facilitator.actors import Actor, Place
from facilitator.domain import DomainError, Phase
from facilitator.replies import Reply, ReplyKind
from facilitator.store.depth_repository import DepthStore
from facilitator.store.models import ParticipantRow, SessionRow
from facilitator.store.repository import Repository

if TYPE_CHECKING:
    from facilitator.service import FacilitationService


def _people(n: int) -> str:
    return f"{n} person" if n == 1 else f"{n} people"


async def nudge_replies(repo: Repository, session: SessionRow, requester: Actor | None) -> list[Reply]:
    phase = Phase(session.phase)
    people = await repo.participants_of(session.id)
    if phase is Phase.COLLECTING:
        authors = {item.author_id for item in await repo.items_of(session.id)}
        due = [p for p in people if p.id not in authors]
        what = ("hasn't", "haven't", "added anything yet", "Everyone has added something.")
    elif phase is Phase.VOTING:
        due = [p for p in people if p.votes_used < session.vote_budget]
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
    replies.append(Reply(ReplyKind.NOTICE, counts, private_to=to, session_id=session.id,
                         extra=(("nudged", str(len(reminded))), ("due", str(len(due))))))
    return replies


def _reminder(session: SessionRow, phase: Phase, person: ParticipantRow) -> Reply:
    if phase is Phase.VOTING:
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
    return Reply(ReplyKind.NOTICE, text, private_to=person.user_id, session_id=session.id, extra=(("nudge", phase.value),))


class Nudges:
    def __init__(self, service: FacilitationService) -> None:
        self.service = service

    async def nudge(self, actor: Actor, place: Place) -> list[Reply]:
        async with self.service.db.read(self.service.clock()) as repo:
            session = await self.service.locate(repo, actor, place)
            await self.service.require_facilitator(repo, actor, session, "send reminders")
            if Phase(session.phase) not in (Phase.COLLECTING, Phase.VOTING):
                raise DomainError("Reminders go out while collecting or voting; voting is over now.", "wrong_phase")
            return await nudge_replies(repo, session, actor)

    async def quiet(self, actor: Actor, place: Place, on: bool) -> list[Reply]:
        async with self.service.db.write(self.service.clock()) as repo:
            session = await self.service.locate(repo, actor, place)
            person = await repo.ensure_participant(session.id, actor.user_id, actor.name)
            await DepthStore(repo).set_quiet(person.id, on)
        text = (
            "No more reminders for you in this session. `/pln quiet off` turns them back on."
            if on
            else "Reminders are back on for you in this session."
        )
        return [msg.notice(actor.user_id, text, session.id)]
