"""`/pln board` and `/pln board reset` at the service layer, and what the board shows (the read
model, reports/board.py): links are private, random, stored hashed and revocable; only
facilitators get them; blind voting and anonymity hold on the board as everywhere else."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import select

from facilitator.app.board_reads import live_facts
from facilitator.app.reading import load_snapshot, sealed
from facilitator.bootstrap import FacilitatorApp
from facilitator.domain.phases import Phase
from facilitator.replies import ReplyKind
from facilitator.reports.board import BoardView, build_board, live_board
from facilitator.store.models import BoardTokenRow
from tests.app.support import actor, only, place, say

LINK = re.compile(r"(https?://[^\s/]+)/board/([A-Za-z0-9_-]+)")


def served(app: FacilitatorApp, base: str = "http://127.0.0.1:3000") -> None:
    app.service.context.boards.served_at = base


async def link_of(app: FacilitatorApp, who: str = "Fia", text: str = "board") -> tuple[str, str]:
    reply = only(await say(app, actor(who), text), ReplyKind.NOTICE)
    assert reply.private_to == actor(who).user_id
    found = LINK.search(reply.text)
    assert found, reply.text
    return found.group(1), found.group(2)


async def stored_hashes(app: FacilitatorApp) -> list[str]:
    async with app.db.read(app.service.context.clock()) as store:
        return list((await store.db.scalars(select(BoardTokenRow.token_hash))).all())


async def start(app: FacilitatorApp) -> None:
    await say(app, actor("Fia"), "start Retro")
    for name, level in (("Ana", "newcomer"), ("Ben", "veteran"), ("Cy", "practitioner")):
        await say(app, actor(name), f"join {level}")


async def test_the_link_is_private_random_and_only_its_hash_is_stored(app: FacilitatorApp) -> None:
    served(app)
    await start(app)
    base, token = await link_of(app)
    assert base == "http://127.0.0.1:3000"
    assert len(token) >= 43  # 32 random bytes: 256 bits
    hashes = await stored_hashes(app)
    assert hashes == [hashlib.sha256(token.encode()).hexdigest()]
    assert token not in str(hashes)
    session_id = await app.service.session_of_board(token)
    assert session_id is not None
    # A second `/pln board` (a co-host's screen) mints another link; both open the board.
    _, other = await link_of(app)
    assert other != token and await app.service.session_of_board(other) == session_id


async def test_only_facilitators_get_a_link(app: FacilitatorApp) -> None:
    served(app)
    await start(app)
    reply = only(await say(app, actor("Ana"), "board"), ReplyKind.ERROR)
    assert reply.private_to == actor("Ana").user_id and "facilitators" in reply.text
    assert "/board/" not in reply.text and await stored_hashes(app) == []


async def test_reset_replaces_every_earlier_link_at_once(app: FacilitatorApp) -> None:
    served(app)
    await start(app)
    _, first = await link_of(app)
    _, second = await link_of(app)
    _, fresh = await link_of(app, text="board reset")
    assert await app.service.session_of_board(first) is None
    assert await app.service.session_of_board(second) is None
    assert await app.service.session_of_board(fresh) is not None
    assert len(await stored_hashes(app)) == 1


async def test_unknown_and_malformed_tokens_open_nothing(app: FacilitatorApp) -> None:
    served(app)
    await start(app)
    _, token = await link_of(app)
    for wrong in (token[:-1] + ("A" if token[-1] != "A" else "B"), token[:20], "../../etc/passwd", "", "é" * 43):
        assert await app.service.session_of_board(wrong) is None


async def test_the_base_is_the_public_url_else_where_the_server_listens(app: FacilitatorApp) -> None:
    await start(app)
    reply = only(await say(app, actor("Fia"), "board"), ReplyKind.ERROR)  # no server, no public URL
    assert "FACILITATOR_PUBLIC_URL" in reply.text and await stored_hashes(app) == []
    app.service.context.boards.public_url = "https://boards.example.org/"
    served(app)
    base, _ = await link_of(app)
    assert base == "https://boards.example.org"


class Heard:
    def __init__(self) -> None:
        self.changed: list[int] = []
        self.revoked: list[int] = []

    def session_changed(self, session_id: int) -> None:
        self.changed.append(session_id)

    def board_links_revoked(self, session_id: int) -> None:
        self.revoked.append(session_id)


async def test_committed_changes_are_announced_and_reads_and_refusals_are_not(app: FacilitatorApp) -> None:
    served(app)
    heard = Heard()
    app.service.watch(heard)
    await start(app)
    assert heard.changed  # the start and the joins
    heard.changed.clear()
    for text in ("status", "help", "results", "vote 1"):  # reads, and a refusal (nothing to vote on)
        await say(app, actor("Ana"), text)
    assert heard.changed == []
    await say(app, actor("Ana"), "do Share first")
    await say(app, actor("Fia"), "board")
    assert len(heard.changed) == 1 and heard.revoked == []
    await say(app, actor("Fia"), "board reset")
    assert heard.revoked == heard.changed


async def test_blind_voting_shows_progress_but_nothing_a_tally_follows_from(app: FacilitatorApp) -> None:
    await start(app)
    await say(app, actor("Fia"), "settings votes=2")
    for text in ("do One", "do Two", "dont Three"):
        await say(app, actor("Ana"), text)
    await say(app, actor("Fia"), "next")
    await say(app, actor("Ana"), "vote 1 2")
    await say(app, actor("Ben"), "vote 1")
    view = await app.service.board_view(1)
    assert view is not None and view.phase is Phase.VOTING
    assert all(item.votes is None for item in view.items)
    assert view.progress is not None and view.progress.done == 1 and view.progress.votes_cast is None
    # Hiding #1 refunds Ana and Ben: a count that dropped would say #1 had a finished voter, so
    # Ana, who had spent both votes, still counts as done until voting closes.
    await say(app, actor("Fia"), "hide 1")
    view = await app.service.board_view(1)
    assert view is not None and view.progress is not None and view.progress.done == 1
    assert [item.number for item in view.items] == [2, 3]  # hidden items are not on the board
    await say(app, actor("Fia"), "next")
    view = await app.service.board_view(1)
    assert view is not None and view.results is not None and view.progress is None


async def test_an_anonymous_board_names_nobody(app: FacilitatorApp) -> None:
    await start(app)
    await say(app, actor("Ben"), "do Named")
    view = await app.service.board_view(1)
    assert view is not None and [item.author for item in view.items] == ["Ben"]
    await say(app, actor("Fia"), "settings anonymous=on")
    await say(app, actor("Ana"), "do One")
    view = await app.service.board_view(1)
    assert view is not None and [item.author for item in view.items] == [None, None]


async def test_boards_of_two_sessions_with_the_same_counts_but_different_votes_read_the_same(
    app: FacilitatorApp,
) -> None:
    """The board's blind rule checked as the integrity tests check replies: two sessions alike in
    everything but which items got the votes render to the same page while voting is open."""
    from adapters.board.page import live_part

    views = []
    for channel, choices in (("c1", ("1 2", "1", "1")), ("c2", ("2 3", "3", "2"))):
        where = place(channel)
        await say(app, actor("Fia"), "start Same", where)
        for name, level in (("Ana", "newcomer"), ("Ben", "veteran"), ("Cy", "practitioner")):
            await say(app, actor(name), f"join {level}", where)
        for text in ("do One", "do Two", "dont Three"):
            await say(app, actor("Ana"), text, where)
        await say(app, actor("Fia"), "next", where)
        for name, numbers in zip(("Ana", "Ben", "Cy"), choices):
            await say(app, actor(name), f"vote {numbers}", where)
        view = await app.service.board_view(len(views) + 1)
        assert view is not None
        views.append(live_part(view))
    assert views[0] == views[1]


async def board_both_ways(app: FacilitatorApp, session_id: int) -> tuple[BoardView, BoardView]:
    """The board built from the whole snapshot, and from the counts a rebuild reads instead."""
    ctx = app.service.context
    async with ctx.db.read(ctx.clock()) as store:
        session = await store.session_by_id(session_id)
        assert session is not None
        whole = build_board(sealed(await load_snapshot(ctx, store, session)))
        counted = live_board(await live_facts(ctx, store, session))
    return whole, counted


@pytest.mark.parametrize("settings", ["blind=on", "blind=off anonymous=on per-item=2"])
async def test_the_counts_a_rebuild_reads_show_what_the_whole_snapshot_shows(app: FacilitatorApp, settings: str) -> None:
    """Before results, a rebuild reads aggregates (app/board_reads.py), not the snapshot: at every
    step of a session, through hides, merges, take-backs and someone who never picked a level,
    both give the same board."""
    steps = [
        ("Fia", "start Two ways"), ("Fia", f"settings {settings}"), ("Ana", "join newcomer"), ("Ben", "join veteran"),
        ("Ana", "do One"), ("Ben", "dont Two"), ("Cy", "do Three"), ("Ana", "pledge 1 Share one link a week"),
        ("Fia", "next"), ("Ana", "vote 1 2 3"), ("Ben", "vote 1"), ("Cy", "vote 2 3"), ("Fia", "hide 3"),
        ("Ben", "unvote 1"), ("Ben", "vote 2"), ("Fia", "restore 3"), ("Fia", "merge 1 3"),
        ("Dee", "vote 1 1" if "per-item=2" in settings else "vote 1"),
    ]
    shown = []
    for who, text in steps:
        replies = await say(app, actor(who), text)
        assert not any(r.kind is ReplyKind.ERROR for r in replies), (text, [r.text for r in replies])
        whole, counted = await board_both_ways(app, 1)
        assert counted == whole, text
        shown.append(counted)
    voting = [view for view in shown if view.phase is Phase.VOTING]
    assert voting and all(view.progress is not None for view in voting)
    assert {view.progress.done for view in voting if view.progress} >= {0, 1}  # the counts moved
    if "blind=off" in settings:
        assert any(item.votes for view in voting for item in view.items)
        assert all(item.author is None for view in shown for item in view.items)
    else:
        assert all(item.votes is None for view in shown for item in view.items)
