"""Helpers for service-layer tests: who is acting and where, a fixed clock, and a reader of the
stored state that the tests compare before and after a refused command."""

from __future__ import annotations

from facilitator import commands as cmd

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from facilitator.domain.actors import Actor, Place
from facilitator.bootstrap import FacilitatorApp
from facilitator.reports.export import render_export
from facilitator.replies import Reply, ReplyKind
from facilitator.store.models import HostRow, ItemRow, ParticipantRow, PhaseEventRow, SessionRow, VoteRow

START = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)


class FakeClock:
    """A clock that moves only when a test moves it."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float | None = None, **units: float) -> datetime:
        """Move on by `seconds` and any other timedelta units (`minutes=10`); one second if neither."""
        self.now += timedelta(seconds=1 if seconds is None and not units else seconds or 0, **units)
        return self.now


def actor(name: str, tenant: str = "t1", admin: bool = False) -> Actor:
    # Platform ids are letters and digits, so a `<@ID>` mention of this person parses.
    return Actor(tenant, f"U{name.upper()}", name, is_admin=admin)


def place(
    channel: str = "c1", platform: str = "shell", thread: str | None = None, session_id: int | None = None
) -> Place:
    return Place(platform, channel, thread, session_id)


async def say(app: FacilitatorApp, who: Actor, text: str, where: Place | None = None) -> list[Reply]:
    return await app.service.handle_text(who, where or place(), text)


def kinds(replies: list[Reply]) -> list[ReplyKind]:
    return [reply.kind for reply in replies]


def only(replies: list[Reply], kind: ReplyKind) -> Reply:
    assert kinds(replies) == [kind], [(r.kind, r.text) for r in replies]
    return replies[0]


def refusal(replies: list[Reply], who: Actor) -> str:
    """The one private ERROR a refused command must produce; returns its text."""
    reply = only(replies, ReplyKind.ERROR)
    assert reply.private_to == who.user_id
    return reply.text


async def start(app: FacilitatorApp, host: Actor, where: Place | None = None, title: str = "") -> int:
    replies = await say(app, host, f"/pln start {title}".strip(), where)
    intro = replies[0]
    assert intro.kind is ReplyKind.INTRO and intro.session_id is not None, replies
    return intro.session_id


async def advance_to(app: FacilitatorApp, host: Actor, phase: str, where: Place | None = None) -> None:
    for _ in range(3):
        if (await stored(app))["phase"] == phase:
            return
        replies = await say(app, host, "next", where)
        assert ReplyKind.ERROR not in kinds(replies), replies
    assert (await stored(app))["phase"] == phase


async def voting_session(app: FacilitatorApp, items: int = 5) -> int:
    """Ana starts a session, Bo joins as a veteran and sends `items` DOs, and Ana opens voting."""
    session_id = await start(app, actor("Ana"))
    await say(app, actor("Bo"), "join veteran")
    for n in range(1, items + 1):
        await say(app, actor("Bo"), f"do Item {n}")
    await advance_to(app, actor("Ana"), "voting")
    return session_id


async def export_json(app: FacilitatorApp, who: Actor, where: Place | None = None) -> dict[str, Any]:
    """The JSON export through the `/pln export` command, for tests about the command itself;
    it is refused during blind voting, so state tests read `stored_document()` instead."""
    reply = only(await app.service.handle(who, where or place(), cmd.Export("json")), ReplyKind.EXPORT)
    assert reply.attachment is not None
    document: dict[str, Any] = json.loads(reply.attachment.content)
    return document


async def stored_document(app: FacilitatorApp, session_id: int | None = None) -> dict[str, Any]:
    """The JSON export document of one session (the latest by default), rendered from the core
    the way the operator's `facilitator export` does: the tallies and items as stored, in any
    phase, without going through the chat command that blind voting refuses."""
    if session_id is None:
        session_id = (await stored(app))["id"]
    snapshot = await app.service.snapshot_of(session_id)
    rendered: dict[str, Any] = json.loads(render_export(snapshot, "json", now=app.service.context.clock()).content)
    return rendered


async def stored(app: FacilitatorApp, session_id: int | None = None) -> dict[str, Any]:
    """Everything the database holds about one session (the latest by default), in a
    stable order, so that "nothing changed" is an equality between two reads."""
    async with app.db.read(START) as repo:
        db = repo.db
        if session_id is None:
            session_id = await db.scalar(select(SessionRow.id).order_by(SessionRow.id.desc()).limit(1))
        session = await db.get(SessionRow, session_id)
        assert session is not None, "no session stored"
        people = (await db.scalars(select(ParticipantRow).where(ParticipantRow.session_id == session_id))).all()
        by_id = {p.id: p.user_id for p in people}
        items = (await db.scalars(select(ItemRow).where(ItemRow.session_id == session_id))).all()
        number_of = {i.id: i.number for i in items}
        votes = (await db.scalars(select(VoteRow).where(VoteRow.session_id == session_id))).all()
        hosts = (await db.scalars(select(HostRow.user_id).where(HostRow.session_id == session_id))).all()
        phases = (
            await db.scalars(
                select(PhaseEventRow.phase).where(PhaseEventRow.session_id == session_id).order_by(PhaseEventRow.id)
            )
        ).all()
        return {
            "id": session.id,
            "phase": session.phase,
            "title": session.title,
            "thread": session.thread,
            "item_count": session.item_count,
            "people": sorted((p.user_id, p.name, p.level, p.votes_used) for p in people),
            "items": sorted((i.number, i.kind, i.text, by_id[i.author_id], i.hidden) for i in items),
            "votes": sorted((number_of[v.item_id], by_id[v.participant_id], v.weight) for v in votes),
            "hosts": sorted(hosts),
            "timeline": list(phases),
        }


def votes_used(state: dict[str, Any], who: Actor) -> int:
    used: int = next(used for user_id, _, _, used in state["people"] if user_id == who.user_id)
    return used
