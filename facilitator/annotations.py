"""What people add to items after sending them: a one-line "why", and DON'T -> DO pairs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from facilitator import messages as msg
from facilitator.actors import Actor, Place
from facilitator.depth_commands import WHY_LIMIT
from facilitator.domain import DomainError, Phase
from facilitator.replies import Reply, ReplyKind
from facilitator.store.depth_repository import DepthStore
from facilitator.store.models import ItemRow, SessionRow
from facilitator.store.repository import Repository
from facilitator.text_rules import clean_item_text

if TYPE_CHECKING:
    from facilitator.service import FacilitationService


class Annotations:
    def __init__(self, service: FacilitationService) -> None:
        self.service = service

    async def why(self, actor: Actor, place: Place, number: int, text: str) -> list[Reply]:
        reason = " ".join(clean_item_text(text).split())
        if len(reason) > WHY_LIMIT:
            raise DomainError(f"Keep the why to one line ({WHY_LIMIT} characters); yours is {len(reason)}.", "too_long")
        async with self.service.db.write(self.service.clock()) as repo:
            session = await _open(self.service, repo, actor, place)
            item = await _visible(repo, session, number)
            person = await repo.participant(session.id, actor.user_id)
            if person is None or person.id != item.author_id:
                raise DomainError(f"Only the person who sent #{number} can add its why.", "not_author")
            await DepthStore(repo).set_why(item.id, reason)
        return [msg.notice(actor.user_id, f"Added to #{number}: why: {reason}", session.id)]

    async def pair(self, actor: Actor, place: Place, first: int, second: int) -> list[Reply]:
        async with self.service.db.write(self.service.clock()) as repo:
            session = await _open(self.service, repo, actor, place)
            a, b = await _visible(repo, session, first), await _visible(repo, session, second)
            if a.kind == b.kind:
                raise DomainError(f"#{first} and #{second} are the same kind; pair a DON'T with a DO.", "same_kind")
            # In the DO/DON'T template the order can't be wrong; elsewhere it is as typed.
            dont, do = (b, a) if a.kind == "do" and b.kind == "dont" else (a, b)
            person = await repo.participant(session.id, actor.user_id)
            mine = person is not None and person.id in (a.author_id, b.author_id)
            if not mine and not await self.service.is_facilitator(repo, actor, session):
                raise DomainError("Facilitators, and the people who sent these items, can pair them.", "not_allowed")
            added = await DepthStore(repo).add_pair(session.id, dont.number, do.number)
        if not added:
            return [msg.notice(actor.user_id, f"#{dont.number} and #{do.number} are already paired.", session.id)]
        template = self.service.template_of(session)
        text = (
            f"Paired: {msg.item_label(template, dont.kind)} #{dont.number} ({dont.text}) is fixed by "
            f"{msg.item_label(template, do.kind)} #{do.number} ({do.text})."
        )
        return [Reply(ReplyKind.NOTICE, text, session_id=session.id, extra=(("pair", f"{dont.number}:{do.number}"),))]


async def _open(service: FacilitationService, repo: Repository, actor: Actor, place: Place) -> SessionRow:
    session = await service.locate(repo, actor, place)
    if Phase(session.phase) is Phase.CLOSED:
        raise DomainError("This session is closed.", "closed")
    return session


async def _visible(repo: Repository, session: SessionRow, number: int) -> ItemRow:
    items = await repo.items_by_number(session.id, (number,))
    if number not in items or items[number].hidden:
        raise DomainError(f"There's no item #{number} in this session.", "no_item")
    return items[number]
