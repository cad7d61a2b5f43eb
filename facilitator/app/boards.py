"""`/pln board`: a private link to the session's live board, and `/pln board reset`.

What the board shows is reports.board; serving it is the adapters' job (adapters/board). Here
are the links: where boards are served, minting a token, and finding a board's session.
"""

from __future__ import annotations

from facilitator import commands as cmd
from facilitator.app.board_reads import live_facts
from facilitator.app.context import Context
from facilitator.app.reading import load_snapshot, sealed
from facilitator.domain.actors import Actor, Place
from facilitator.domain.board_links import (
    MAX_LINKS_PER_SESSION,
    board_link,
    looks_like_token,
    new_token,
    token_hash,
)
from facilitator.domain.errors import DomainError
from facilitator.domain.phases import Phase
from facilitator.replies import Reply
from facilitator.replies import messages as msg
from facilitator.reports.board import BoardView, build_board, live_board

NOT_SERVED = (
    "The live board isn't available: this bot couldn't open its web server (see its log). "
    "Whoever runs the bot can free FACILITATOR_PORT, or set FACILITATOR_PUBLIC_URL to where boards are served."
)
TOO_MANY = (
    "This session already has {n} board links. `/pln board reset` replaces them all with one new link "
    "(the open boards close)."
)


async def board(ctx: Context, actor: Actor, place: Place, command: cmd.Board) -> list[Reply]:
    token = new_token()
    async with ctx.db.write(ctx.clock()) as store:
        session = await ctx.locate(store, actor, place, include_closed=True)
        await ctx.authorize(store, actor, session, command)
        base = ctx.boards.base
        if base is None:
            raise DomainError(NOT_SERVED, "no_board_server")
        if command.reset:
            await store.revoke_board_tokens(session.id)
        elif (count := await store.board_token_count(session.id)) >= MAX_LINKS_PER_SESSION:
            raise DomainError(TOO_MANY.format(n=count), "too_many_links")
        await store.add_board_token(session.id, token_hash(token))
    link = board_link(base, token)
    if command.reset:
        text = f"New live board link for {session.title}: {link}\nEvery earlier link stopped working; open boards closed."
    else:
        text = (
            f"Live board for {session.title}: {link}\nOpen it on the projector or shared screen; it updates by "
            "itself. Anyone with the link can watch, so share it like the room's door. `/pln board reset` "
            "replaces it."
        )
    return [msg.notice(actor.user_id, text, session.id)]


async def session_of_board(ctx: Context, token: str) -> int | None:
    """The session a board link opens, or None for a malformed, unknown or revoked token."""
    if not looks_like_token(token):
        return None
    async with ctx.db.read(ctx.clock()) as store:
        return await store.session_for_board_token(token_hash(token))


async def live_board_hashes(ctx: Context, session_id: int) -> set[str]:
    async with ctx.db.read(ctx.clock()) as store:
        return set(await store.board_token_hashes(session_id))


async def board_view(ctx: Context, session_id: int) -> BoardView | None:
    """The board of a session as the room may see it: one read, however many people watch."""
    async with ctx.db.read(ctx.clock()) as store:
        session = await store.session_by_id(session_id)
        if session is None:
            return None
        if Phase(session.phase) in (Phase.COLLECTING, Phase.VOTING):  # no result to show: counts will do
            return live_board(await live_facts(ctx, store, session))
        snapshot = await load_snapshot(ctx, store, session)
    return build_board(sealed(snapshot))  # the room never sees predictions while voting is open
