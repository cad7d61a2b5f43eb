"""How pledges read in chat: one line each, the owner named unless the session is anonymous
(domain.visibility.about_author), the follow-up buttons, `/pln pledges`, and the lines a new
session's intro lists."""

from __future__ import annotations

from collections.abc import Sequence

from facilitator import commands as cmd
from facilitator.app.context import Context
from facilitator.commands.actions import ActionName
from facilitator.domain.actors import Actor, Place
from facilitator.domain.pledges import PledgeStatus
from facilitator.domain.visibility import about_author
from facilitator.replies import Action, Reply, ReplyKind, Section
from facilitator.replies import messages as msg
from facilitator.store.base import as_utc
from facilitator.store.models import PledgeRow, SessionRow
from facilitator.store.store import Store

REVIEWED = 10  # open pledges an intro lists: the review is a reminder, not the whole history
REVIEW_LINE = 200
NONE_YET = "No pledges yet. `/pln pledge TEXT` commits to one thing you will do or give back."


def owner_shown(session: SessionRow, row: PledgeRow) -> str | None:
    return about_author(session.anonymous, row.owner_name)


def pledge_line(session: SessionRow, row: PledgeRow, status: bool = False) -> str:
    owner = owner_shown(session, row)
    parts = [f"#{row.number}", f" from {owner}" if owner else "", f": {row.text}"]
    if row.item is not None:
        parts.append(f" (puts item #{row.item} into practice)")
    if status:
        parts.append(f" [{row.status}" + (f", follow-up {as_utc(row.due_at):%d %b %H:%M} UTC" if row.due_at else "")
                     + "]")
    return "".join(parts)


def pledge_actions(session_id: int, number: int, later: bool = True) -> tuple[Action, ...]:
    names = [(ActionName.PLEDGE_DONE, "Done")]
    if later:
        names.append((ActionName.PLEDGE_LATER, "Not yet"))
    names.append((ActionName.PLEDGE_DROP, "Drop"))
    return tuple(Action(name, label, session_id, str(number)) for name, label in names)


async def list_pledges(ctx: Context, actor: Actor, place: Place, command: cmd.Pledges) -> list[Reply]:
    async with ctx.db.read(ctx.clock()) as store:
        session = await ctx.locate(store, actor, place, include_closed=True)
        if command.all:
            rows = await store.channel_pledges(session.tenant, session.platform, session.channel)
        else:
            rows = [(row, session) for row in await store.pledges_of(session.id)]
    sections = _sections(rows, actor)
    if not sections:
        return [msg.notice(actor.user_id, NONE_YET, session.id)]
    heading = "Pledges in this channel" if command.all else f"Pledges of {session.title}"
    text = msg.render_sections(heading, sections)
    return [Reply(ReplyKind.STATUS, text, private_to=actor.user_id, session_id=session.id,
                  sections=sections)]


def _sections(rows: Sequence[tuple[PledgeRow, SessionRow]], actor: Actor) -> tuple[Section, ...]:
    by_session: dict[int, tuple[SessionRow, list[str]]] = {}
    for row, session in rows:
        # The reply is private, so "yours" gives nothing away even in an anonymous session.
        yours = " (yours)" if row.owner == actor.user_id and session.anonymous else ""
        by_session.setdefault(session.id, (session, []))[1].append(pledge_line(session, row, status=True) + yours)
    return tuple(Section(f"{session.title} (session {session.id})", tuple(lines))
                 for session, lines in by_session.values())


async def earlier_open_pledges(store: Store, session: SessionRow) -> tuple[str, ...]:
    """The intro's review: pledges still open from earlier sessions in this channel, the latest
    REVIEWED of them with their text clipped to a line, then how many more `/pln pledges all` lists."""
    rows = await store.channel_pledges(session.tenant, session.platform, session.channel,
                                       before_session=session.id, open_only=True)
    open_rows = [(row, earlier) for row, earlier in rows if row.status == PledgeStatus.OPEN.value]
    lines = [f"session {earlier.id}, {pledge_line(earlier, row)}" for row, earlier in open_rows[-REVIEWED:]]
    lines = [line if len(line) <= REVIEW_LINE else line[:REVIEW_LINE - 1] + "…" for line in lines]
    if len(open_rows) > REVIEWED:
        lines.append(f"and {len(open_rows) - REVIEWED} older ones: `/pln pledges all` lists them")
    return tuple(lines)
