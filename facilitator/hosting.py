"""What facilitators do: start a session, move it through its phases, end it, add co-hosts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from facilitator import messages as msg
from facilitator.item_views import visible_item_views
from facilitator.actors import Actor, Place
from facilitator.commands import UserRef
from facilitator.domain import DomainError, Phase, require_phase
from facilitator.replies import Reply
from facilitator.store.models import SessionRow
from facilitator.store.repository import Repository
from facilitator.templates import Template
from facilitator.text_rules import clean_title

if TYPE_CHECKING:
    from facilitator.service import FacilitationService

_ALREADY_OPEN = "This channel already has an open session ({title}). End it with `/pln end` before starting another."


class Hosting:
    def __init__(self, service: FacilitationService) -> None:
        self.service = service

    async def start(self, actor: Actor, place: Place, title: str, template_id: str | None = None) -> list[Reply]:
        template = self.service.default_template() if template_id is None else self._template(template_id)
        defaults = self.service.defaults
        now = self.service.clock()
        try:
            async with self.service.db.write(now) as repo:
                existing = await repo.open_session_in_channel(actor.tenant, place.platform, place.channel)
                if existing is not None:
                    raise DomainError(_ALREADY_OPEN.format(title=existing.title), "already_open")
                session = await repo.create_session(
                    SessionRow(
                        tenant=actor.tenant,
                        platform=place.platform,
                        channel=place.channel,
                        title=clean_title(title, template.title),
                        template=template.id,
                        phase=Phase.COLLECTING.value,
                        vote_budget=defaults.vote_budget,
                        max_per_item=defaults.max_per_item,
                        anonymous=defaults.anonymous,
                        blind=defaults.blind,
                        item_count=0,
                        started_by=actor.user_id,
                        created_at=now,
                    ),
                    actor.name,
                )
        except IntegrityError:
            # Another process opened one in this channel between our check and our insert.
            raise DomainError(_ALREADY_OPEN.format(title="just started"), "already_open") from None
        guide = (
            f"You're facilitating session {session.id}. `/pln next` opens voting, then discussion; "
            "`/pln end` closes it and posts the summary; `/pln cohost @person` shares the job."
        )
        return [msg.intro(session, template, actor.name), msg.notice(actor.user_id, guide, session.id)]

    def _template(self, template_id: str) -> Template:
        try:
            return self.service.templates.get(template_id)
        except KeyError:
            known = ", ".join(self.service.templates.ids())
            shown = template_id if len(template_id) <= 40 else template_id[:40] + "…"
            raise DomainError(f"There is no template `{shown}`. Templates here: {known}.", "unknown_template") from None

    async def advance(self, actor: Actor, place: Place) -> list[Reply]:
        async with self.service.db.write(self.service.clock()) as repo:
            session = await self.service.locate(repo, actor, place)
            await self.service.require_facilitator(repo, actor, session, "move the session on")
            current = Phase(session.phase)
            require_phase("next", current)
            target = current.following()
            await self._move(repo, session, current, target)
            items = await visible_item_views(repo, session) if target is Phase.VOTING else ()
        replies = [msg.phase_changed(session, target, items)]
        if target in (Phase.DISCUSSING, Phase.CLOSED):
            replies.extend(await self.service.reading.closing_replies(session, target))
        return replies

    async def end(self, actor: Actor, place: Place) -> list[Reply]:
        async with self.service.db.write(self.service.clock()) as repo:
            session = await self.service.locate(repo, actor, place)
            await self.service.require_facilitator(repo, actor, session, "end the session")
            current = Phase(session.phase)
            require_phase("end", current)
            await self._move(repo, session, current, Phase.CLOSED)
        return [msg.phase_changed(session, Phase.CLOSED, ())] + await self.service.reading.closing_replies(
            session, Phase.CLOSED
        )

    async def cohost(self, actor: Actor, place: Place, target: UserRef) -> list[Reply]:
        async with self.service.db.write(self.service.clock()) as repo:
            session = await self.service.locate(repo, actor, place)
            await self.service.require_facilitator(repo, actor, session, "add co-hosts")
            require_phase("cohost", Phase(session.phase))
            user_id, name = await self._resolve(repo, session, target)
            added = await repo.add_host(session.id, user_id, name)
        if not added:
            return [msg.notice(actor.user_id, f"{name} is already a facilitator of this session.", session.id)]
        return [msg.notice(actor.user_id, f"{name} is now a co-host of this session.", session.id)]

    async def _resolve(self, repo: Repository, session: SessionRow, target: UserRef) -> tuple[str, str]:
        if target.user_id is not None:
            person = await repo.participant(session.id, target.user_id)
            return target.user_id, person.name if person else (target.name or "That person")
        person = await repo.participant_named(session.id, target.name or "")
        if person is None:
            raise DomainError(
                f"I can't find {target.name!r} in this session. Mention them with @ so I know who you mean.",
                "unknown_person",
            )
        return person.user_id, person.name

    async def _move(self, repo: Repository, session: SessionRow, current: Phase, target: Phase) -> None:
        if not await repo.move_phase(session.id, current, target):
            raise DomainError("Someone else just moved the session on. Check `/pln status`.", "raced")
        session.phase = target.value
