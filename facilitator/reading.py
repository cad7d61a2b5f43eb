"""Read-only commands: status, results, exports, and the replies that close a phase."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from facilitator import messages as msg
from facilitator.actors import Actor, Place
from facilitator.depth_snapshot import depth_snapshot_fields, depth_status_lines
from facilitator.domain import UNSPECIFIED_LEVEL, DomainError, Phase, Settings
from facilitator.export import render_export
from facilitator.replies import Reply, ReplyKind, Section, Tally
from facilitator.snapshot import ItemRecord, ParticipantRecord, PhaseChange, SessionSnapshot
from facilitator.store.models import SessionRow
from facilitator.store.repository import Repository, as_utc
from facilitator.summary_chat import summary_reply
from facilitator.tally import build_tally
from facilitator.vote_counts import VOTES_COLUMN, VoteCounts, by_item

if TYPE_CHECKING:
    from facilitator.service import FacilitationService


BLIND_EXPORT = "Votes are blind in this session: exports carry the tallies, so they're available once voting closes."


class Reading:
    def __init__(self, service: FacilitationService) -> None:
        self.service = service

    async def status(self, actor: Actor, place: Place) -> list[Reply]:
        async with self.service.db.read(self.service.clock()) as repo:
            session = await self.service.locate(repo, actor, place, include_closed=True)
            people = await repo.participants_of(session.id)
            items = await repo.items_of(session.id)
            hosting = await self.service.is_facilitator(repo, actor, session)
        me = next((p for p in people if p.user_id == actor.user_id), None)
        levels = Counter(p.level for p in people)
        spread = ", ".join(f"{n} {level}" for level, n in levels.items()) or "nobody yet"
        votes_cast = sum(p.votes_used for p in people)
        lines = [
            f"Phase: {session.phase}",
            f"People: {len(people)} ({spread})",
            f"Items: {sum(1 for i in items if not i.hidden)}",
            f"Votes cast: {votes_cast}",
        ]
        if me is not None:
            lines.append(f"You: {msg.level_word(me.level)}, {session.vote_budget - me.votes_used} of {session.vote_budget} votes left")
        if hosting:
            lines.append("You are a facilitator of this session.")
        lines.extend(depth_status_lines(session, self.service.clock(), me, items))
        section = Section(f"{session.title} (session {session.id})", tuple(lines))
        text = msg.render_sections(section.heading, (Section("Status", section.lines),))
        return [Reply(ReplyKind.STATUS, text, private_to=actor.user_id, session_id=session.id, sections=(section,))]

    async def results(self, actor: Actor, place: Place) -> list[Reply]:
        async with self.service.db.read(self.service.clock()) as repo:
            session = await self.service.locate(repo, actor, place, include_closed=True)
            hosting = await self.service.is_facilitator(repo, actor, session)
            phase = Phase(session.phase)
            if session.blind and phase in (Phase.COLLECTING, Phase.VOTING):
                raise DomainError("Votes are blind in this session: the results appear once voting closes.", "blind")
            result = await self.tally_of(repo, session)
        # A facilitator shares results with the room; anyone else gets their own copy.
        return [msg.results(session, result, None if hosting else actor.user_id)]

    async def export(self, actor: Actor, place: Place, fmt: str) -> list[Reply]:
        async with self.service.db.read(self.service.clock()) as repo:
            session = await self.service.locate(repo, actor, place, include_closed=True)
            if session.blind and Phase(session.phase) is Phase.VOTING:
                # Every format carries the running tallies, and the chat adapters post the file
                # into the thread for everyone, so an export now would undo blind voting. Before
                # voting there are no votes to show; after it the tallies are public anyway.
                raise DomainError(BLIND_EXPORT, "blind")
            snapshot = await self.snapshot(repo, session)
        attachment = render_export(snapshot, fmt, now=self.service.clock())
        text = f"Export of {session.title} ({fmt}): {attachment.filename}"
        return [Reply(ReplyKind.EXPORT, text, session_id=session.id, attachment=attachment)]

    async def closing_replies(self, session: SessionRow, phase: Phase) -> list[Reply]:
        async with self.service.db.read(self.service.clock()) as repo:
            if phase is Phase.CLOSED:
                return [summary_reply(await self.snapshot(repo, session))]
            result = await self.tally_of(repo, session)
        return [msg.results(session, result, None)]

    async def tally_of(self, repo: Repository, session: SessionRow) -> Tally:
        """The tally from SQL aggregates: the same as tally(snapshot), reading only what it shows.

        A snapshot also reads every item's other fields, the hosts, the timeline and the audit trail.
        """
        rows = await repo.tally_items(session.id, with_authors=not session.anonymous)
        # Hidden items are not in the rows, so their votes are left out.
        number_of = {item_id: number for item_id, number, _, _, _ in rows}
        votes = by_item(await repo.votes_by_item_and_level(session.id), number_of, VOTES_COLUMN)
        people: Counter[str] = Counter()
        for level, count in await repo.people_by_level(session.id):
            people[level or UNSPECIFIED_LEVEL] += count
        items = ((number, kind, text, author) for _, number, kind, text, author in rows)
        return build_tally(self.service.template_of(session), items, votes, people)

    async def snapshot_of(self, session_id: int) -> SessionSnapshot:
        async with self.service.db.read(self.service.clock()) as repo:
            session = await repo.session_by_id(session_id)
            if session is None:
                raise DomainError(f"There is no session {session_id}.", "no_session")
            return await self.snapshot(repo, session)

    async def snapshot(self, repo: Repository, session: SessionRow) -> SessionSnapshot:
        people = await repo.participant_rows(session.id)
        items = await repo.item_rows(session.id)
        counts = VoteCounts.of_sums(
            await repo.votes_by_item_and_level(session.id),
            await repo.votes_by_participant(session.id),
            {item_id: number for item_id, number, *_ in items},
        )
        timeline = await repo.timeline_rows(session.id)
        hosts = await repo.host_ids(session.id)
        return SessionSnapshot(
            id=session.id,
            title=session.title,
            template=self.service.template_of(session),
            platform=session.platform,
            channel=session.channel,
            phase=session.phase,
            settings=Settings(session.vote_budget, session.max_per_item, session.anonymous, session.blind),
            created_at=as_utc(session.created_at),
            participants=tuple(
                ParticipantRecord(id_, user_id, name, level or UNSPECIFIED_LEVEL, user_id in hosts)
                for id_, user_id, name, level in people
            ),
            items=tuple(
                ItemRecord(number, kind, text, author_id, as_utc(created_at), hidden, why, merged_into)
                for _, number, kind, text, author_id, created_at, hidden, why, merged_into in items
            ),
            counts=counts,
            timeline=tuple(PhaseChange(phase, as_utc(at)) for phase, at in timeline),
            **await depth_snapshot_fields(repo, session),
        )
