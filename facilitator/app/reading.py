"""Read-only commands: status, results, exports, and the replies that close a phase."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from facilitator import commands as cmd
from facilitator.app.context import Context
from facilitator.app.deliberation_reads import deliberation_records
from facilitator.app.pledge_reads import pledge_records
from facilitator.domain.actors import Actor, Place
from facilitator.domain.deadlines import time_left
from facilitator.domain.errors import DomainError
from facilitator.domain.levels import UNSPECIFIED_LEVEL
from facilitator.domain.phases import Phase
from facilitator.domain.session import settings_of
from facilitator.domain.visibility import has_votes_left, predictions_secret, results_published, tallies_secret
from facilitator.replies import Reply, ReplyKind, Section, Tally
from facilitator.replies import messages as msg
from facilitator.reports.export import render_export
from facilitator.reports.snapshot import AuditRecord, ItemRecord, PairRecord, ParticipantRecord, PhaseChange, SessionSnapshot
from facilitator.reports.summary import summarize
from facilitator.reports.summary.deliberation_sections import deliberation_sections
from facilitator.reports.summary.chat import summary_reply
from facilitator.reports.tally import build_tally
from facilitator.reports.vote_counts import VOTES_COLUMN, VoteCounts, by_item
from facilitator.store.base import as_utc
from facilitator.store.models import ItemRow, ParticipantRow, SessionRow
from facilitator.store.reads import ItemVotesRow, PersonRow
from facilitator.store.store import Store

BLIND_RESULTS = "Votes are blind in this session: the results appear once voting closes."
BLIND_EXPORT = "Votes are blind in this session: exports carry the tallies, so they're available once voting closes."


async def status(ctx: Context, actor: Actor, place: Place, command: cmd.Status) -> list[Reply]:
    async with ctx.db.read(ctx.clock()) as store:
        session = await ctx.locate(store, actor, place, include_closed=True)
        people = await store.participants_of(session.id)
        items = await store.items_of(session.id)
        hosting = await ctx.is_facilitator(store, actor, session)
        me = next((p for p in people if p.user_id == actor.user_id), None)
        # Their own prediction only: the reply is private, and nobody sees anyone else's.
        predicted = await store.prediction_of(session.id, session.round, me.id) if me and session.predict else None
        mine = [p for p in await store.pledges_of(session.id) if p.owner == actor.user_id]
    levels = Counter(p.level for p in people)
    spread = ", ".join(f"{n} {level}" for level, n in levels.items()) or "nobody yet"
    lines = [
        f"Phase: {session.phase}",
        f"People: {len(people)} ({spread})",
        f"Items: {sum(1 for i in items if not i.hidden)}",
        _progress(session, people),
    ]
    if me is not None:
        level = f"level {UNSPECIFIED_LEVEL} (`/pln join LEVEL` picks one)" if me.level == UNSPECIFIED_LEVEL else me.level
        lines.append(f"You: {level}, {session.vote_budget - me.votes_used} of {session.vote_budget} votes left")
    if hosting:
        lines.append("You are a facilitator of this session.")
    lines.extend(_personal_lines(ctx, session, me, items))
    if session.round > 1:
        lines.insert(1, f"Round: {session.round} (a second vote after discussion)")
    if predicted:
        lines.append(f"Your prediction for round {session.round}: {', '.join(f'#{n}' for n in predicted)}")
    if mine:  # private, so "yours" is safe in an anonymous session too
        lines.append("Your pledges: " + ", ".join(f"#{p.number} ({p.status})" for p in mine))
    section = Section(f"{session.title} (session {session.id})", tuple(lines))
    text = msg.render_sections(section.heading, (Section("Status", section.lines),))
    return [Reply(ReplyKind.STATUS, text, private_to=actor.user_id, session_id=session.id, sections=(section,))]


def _progress(session: SessionRow, people: Sequence[ParticipantRow]) -> str:
    """How voting is going. The total of votes cast would give away tallies while they are
    secret: a hide takes the item's votes out of it, a merge the overlap of two items. So blind
    voting shows how many people have spent all their votes, a count that no hide, merge or
    take-back moves (docs/ANONYMITY.md)."""
    secret = tallies_secret(session.blind, Phase(session.phase))
    if not secret:
        return f"Votes cast: {sum(p.votes_used for p in people)}"
    budget = session.vote_budget
    done = sum(1 for p in people if not has_votes_left(p.votes_used, p.used_all_votes, budget, secret))
    return f"Done voting: {done} of {len(people)} (people who have spent all their votes)"


def _personal_lines(ctx: Context, session: SessionRow, me: ParticipantRow | None, items: Sequence[ItemRow]) -> list[str]:
    """The timer, and what is only this person's: the status reply is private, so "your items"
    is safe even in an anonymous session."""
    lines = []
    if left := time_left(session, ctx.clock()):
        lines.append(left)
    if me is not None:
        mine = [f"#{item.number}" for item in items if item.author_id == me.id and not item.hidden]
        if mine:
            lines.append(f"Your items: {', '.join(mine)}")
        if me.quiet:
            lines.append("Reminders: off for you (`/pln quiet off` turns them on)")
    return lines


async def help_(ctx: Context, actor: Actor, place: Place, command: cmd.Help) -> list[Reply]:
    """Everyone's commands, and the facilitators' to those who can use them (or to anyone where
    no session is open, since whoever starts one facilitates it); others learn who to ask."""
    async with ctx.db.read(ctx.clock()) as store:
        try:
            session = await ctx.locate(store, actor, place)
        except DomainError:
            return [msg.help_reply(actor.user_id)]
        if await ctx.is_facilitator(store, actor, session):
            return [msg.help_reply(actor.user_id)]
        names = await ctx.facilitator_names(store, session)
    return [msg.help_reply(actor.user_id, names)]


async def results(ctx: Context, actor: Actor, place: Place, command: cmd.Results) -> list[Reply]:
    async with ctx.db.read(ctx.clock()) as store:
        session = await ctx.locate(store, actor, place, include_closed=True)
        hosting = await ctx.is_facilitator(store, actor, session)
        if not results_published(session.blind, Phase(session.phase)):
            raise DomainError(BLIND_RESULTS, "blind")
        result = await tally_of(ctx, store, session)
        extra = await round_sections(ctx, store, session)
    # A facilitator shares results with the room; anyone else gets their own copy.
    return [msg.results(session, result, None if hosting else actor.user_id, extra)]


async def export(ctx: Context, actor: Actor, place: Place, command: cmd.Export) -> list[Reply]:
    async with ctx.db.read(ctx.clock()) as store:
        session = await ctx.locate(store, actor, place, include_closed=True)
        # Every format carries the tallies, and the chat adapters post the file into the thread.
        if tallies_secret(session.blind, Phase(session.phase)):
            raise DomainError(BLIND_EXPORT, "blind")
        snapshot = sealed(await load_snapshot(ctx, store, session))
    attachment = render_export(snapshot, command.format, now=ctx.clock())
    text = f"Export of {session.title} ({command.format}): {attachment.filename}"
    return [Reply(ReplyKind.EXPORT, text, session_id=session.id, attachment=attachment)]


ClosingRecord = SessionSnapshot | tuple[Tally, tuple[Section, ...]]


async def closing_record(ctx: Context, store: Store, session: SessionRow, phase: Phase) -> ClosingRecord:
    """What the replies to a phase change show, read in the phase change's own transaction
    while it holds the session's lock: the results posted when voting closes are the store at
    that moment, not a moment later (a hide in between would change them)."""
    if phase is Phase.CLOSED:
        return await load_snapshot(ctx, store, session)
    return await tally_of(ctx, store, session), await round_sections(ctx, store, session)


def closing_replies(session: SessionRow, record: ClosingRecord) -> list[Reply]:
    if isinstance(record, SessionSnapshot):
        return [summary_reply(record)]
    result, extra = record
    return [msg.results(session, result, None, extra)]


def sealed(snapshot: SessionSnapshot) -> SessionSnapshot:
    """The snapshot as chat may see it: while voting is open, the round's predictions are left
    out (and the round marked sealed), so no reply or chat export can carry them."""
    if not predictions_secret(Phase(snapshot.phase)):
        return snapshot
    kept = tuple(p for p in snapshot.predictions if p.round != snapshot.round)
    return replace(snapshot, predictions=kept, sealed_round=snapshot.round)


async def round_sections(ctx: Context, store: Store, session: SessionRow) -> tuple[Section, ...]:
    """Movement since the round before and surprise scores, for results once a second round or
    predictions exist. Read from a whole snapshot: these need every round, and sessions without
    either (the common case) keep the tally's cheaper path."""
    if session.round == 1 and not session.predict:
        return ()
    summary = summarize(sealed(await load_snapshot(ctx, store, session)))
    return deliberation_sections(summary, discussion=False)


async def tally_of(ctx: Context, store: Store, session: SessionRow) -> Tally:
    """The tally from SQL aggregates: the same as tally(snapshot), reading only what it shows.

    A snapshot also reads every item's other fields, the hosts, the timeline and the audit trail.
    """
    rows = await store.tally_items(session.id, with_authors=not session.anonymous)
    # Hidden items are not in the rows, so their votes are left out.
    number_of = {item_id: number for item_id, number, _, _, _ in rows}
    votes = by_item(await store.votes_by_item_and_level(session.id), number_of, VOTES_COLUMN)
    people: Counter[str] = Counter()
    for level, count in await store.people_by_level(session.id):
        people[level or UNSPECIFIED_LEVEL] += count
    items = ((number, kind, text, author) for _, number, kind, text, author in rows)
    return build_tally(ctx.template_of(session), items, votes, people)


async def snapshot_of(ctx: Context, session_id: int) -> SessionSnapshot:
    async with ctx.db.read(ctx.clock()) as store:
        session = await store.session_by_id(session_id)
        if session is None:
            raise DomainError(f"There is no session {session_id}.", "no_session")
        return await load_snapshot(ctx, store, session)


def phase_deadline(session: SessionRow) -> datetime | None:
    """The timer of the phase the session is in (one set for an earlier phase has lapsed)."""
    if session.deadline is None or session.deadline_phase != session.phase:
        return None
    return as_utc(session.deadline)


async def load_snapshot(ctx: Context, store: Store, session: SessionRow) -> SessionSnapshot:
    people = await store.snapshot_people(session.id)
    rows = await store.snapshot_items(session.id)
    items, counts = _items_and_counts(rows, people)
    timeline = await store.timeline_rows(session.id)
    records = await deliberation_records(store, session, {row[0]: row[1] for row in rows})
    participants = tuple(
        ParticipantRecord(id_, user_id, name, level or UNSPECIFIED_LEVEL, bool(host), bool(used_all))
        for id_, user_id, name, level, _, host, used_all in people
    )
    pledges, earlier = await pledge_records(store, session, participants)
    return SessionSnapshot(
        id=session.id,
        title=session.title,
        template=ctx.template_of(session),
        platform=session.platform,
        channel=session.channel,
        phase=session.phase,
        settings=settings_of(session),
        created_at=as_utc(session.created_at),
        participants=participants,
        items=items,
        counts=counts,
        timeline=tuple(PhaseChange(phase, as_utc(at)) for phase, at in timeline),
        audit=tuple(
            AuditRecord(as_utc(row.at), row.actor, row.actor_name, row.action, json.loads(row.details))
            for row in await store.audit_of(session.id)
        ),
        pairs=tuple(PairRecord(row.dont_number, row.do_number) for row in await store.pairs_of(session.id)),
        deadline=phase_deadline(session),
        round=session.round,
        closed_rounds=records.rounds,
        predictions=records.predictions,
        agenda=session.agenda,
        discussions=records.discussions,
        notes=records.notes,
        pledges=pledges,
        earlier_pledges=earlier,
    )


def _items_and_counts(
    rows: Sequence[ItemVotesRow], people: Sequence[PersonRow]
) -> tuple[tuple[ItemRecord, ...], VoteCounts]:
    """Items and vote sums from the store's rows: an item comes once per level that voted for it."""
    items: list[ItemRecord] = []
    sums: list[tuple[int, str | None, int, int]] = []
    number_of: dict[int, int] = {}
    own: dict[int, int] = {}
    for item_id, number, kind, text, author_id, created_at, hidden, why, merged_into, own_votes, level, votes, voters in rows:
        if item_id not in number_of:
            number_of[item_id] = number
            items.append(ItemRecord(number, kind, text, author_id, as_utc(created_at), hidden, why, merged_into))
            if own_votes:
                own[author_id] = own.get(author_id, 0) + own_votes
        if votes is not None and voters is not None:
            sums.append((item_id, level, votes, voters))
    held = [(id_, votes, own.get(id_)) for id_, _, _, _, votes, _, _ in people]
    return tuple(items), VoteCounts.of_sums(sums, held, number_of)
