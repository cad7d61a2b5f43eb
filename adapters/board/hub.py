"""Who watches which board, and pushing each change to them.

A change marks the session's board dirty; one task per watched board rebuilds it (one read of
the store and one render, however many people watch) at most every MIN_INTERVAL_S, and hands
every viewer a frame with the parts of the board that changed (a vote in a blind session: the
progress beside the items, not the items). A viewer holds one frame at most: a screen that has
not taken the last one yet gets the whole board instead, so a slow screen skips frames without
missing a part, and never makes a queue grow. Sessions nobody watches cost nothing: their
changes are dropped.

`session_changed` is called on the command's path (app.changes), so it only marks and wakes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from facilitator.reports.board import BoardView

log = logging.getLogger(__name__)
# Rebuild at most this often per board: a burst of votes is one rebuild a second, and a change
# still shows within the 2 s the issue allows. At 0.3 s, 200 screens on a board cost a burst of
# votes a fifth of its rate on the bench (figure 7); at 1 s, a few percent.
MIN_INTERVAL_S = 1.0
MAX_VIEWERS_PER_BOARD = 1000
MAX_VIEWERS = 10000


class BoardSource(Protocol):
    async def board_view(self, session_id: int) -> BoardView | None: ...

    async def live_board_hashes(self, session_id: int) -> set[str]: ...


class Relay(Protocol):
    """Carries changes to the other bot processes (pg_relay.PgRelay on PostgreSQL)."""

    def publish(self, kind: str, session_id: int) -> None: ...


class Full(Exception):
    """Too many viewers already: the server answers 503."""


class Viewer:
    def __init__(self, session_id: int, token_hash: str) -> None:
        self.session_id = session_id
        self.token_hash = token_hash
        self.frame: bytes | None = None
        self.closed = False
        self.revoked = False  # closed because its link was revoked: the page is told so, and stops
        self.wake = asyncio.Event()

    def offer(self, frame: bytes, whole: bytes) -> None:
        """`frame`: the parts that changed; `whole`: every part, for a screen that has not yet
        taken its previous frame (the changed parts alone would lose what that one carried)."""
        self.frame = frame if self.frame is None else whole
        self.wake.set()

    def close(self, revoked: bool = False) -> None:
        self.closed = True
        self.revoked = revoked
        self.wake.set()

    def take(self) -> bytes | None:
        frame, self.frame = self.frame, None
        self.wake.clear()
        return frame


@dataclass
class _Board:
    viewers: set[Viewer] = field(default_factory=set)
    parts: dict[str, str] = field(default_factory=dict)  # as the screens show them now
    whole: bytes | None = None  # a frame of every part: for a screen that joins or fell behind
    dirty: bool = False
    task: asyncio.Task[None] | None = None


class BoardHub:
    def __init__(self, source: BoardSource, render: Callable[[BoardView], dict[str, str]],
                 encode: Callable[[Mapping[str, str]], bytes], min_interval_s: float = MIN_INTERVAL_S) -> None:
        """`render`: a view's parts (name -> markup); `encode`: a frame carrying some parts."""
        self.source = source
        self.render = render
        self.encode = encode
        self.min_interval_s = min_interval_s
        self.relay: Relay | None = None
        self._boards: dict[int, _Board] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.rebuilds = 0  # for tests and the bench: one per change burst, not per viewer

    @property
    def viewer_count(self) -> int:
        return sum(len(board.viewers) for board in self._boards.values())

    # app.changes.SessionWatcher: this process changed a session

    def session_changed(self, session_id: int) -> None:
        self.changed_elsewhere(session_id)
        if self.relay is not None:
            self.relay.publish("changed", session_id)

    def board_links_revoked(self, session_id: int) -> None:
        self.revoked_elsewhere(session_id)
        if self.relay is not None:
            self.relay.publish("revoked", session_id)

    # From the relay: another process changed a session (or this one, without a relay)

    def changed_elsewhere(self, session_id: int) -> None:
        board = self._boards.get(session_id)
        if board is None or not board.viewers:
            return
        board.dirty = True
        if board.task is None:
            board.task = self._spawn(self._refresh(session_id, board))

    def revoked_elsewhere(self, session_id: int) -> None:
        if session_id in self._boards:
            self._spawn(self._close_revoked(session_id))

    def everything_changed(self) -> None:
        """After the relay lost its connection: changes may have been missed, so rebuild all."""
        for session_id in list(self._boards):
            self.changed_elsewhere(session_id)
            self.revoked_elsewhere(session_id)

    # Viewers

    async def join(self, session_id: int, token_hash: str) -> Viewer:
        if self.viewer_count >= MAX_VIEWERS:
            raise Full()
        board = self._boards.setdefault(session_id, _Board())
        if len(board.viewers) >= MAX_VIEWERS_PER_BOARD:
            raise Full()
        viewer = Viewer(session_id, token_hash)
        board.viewers.add(viewer)
        if board.whole is not None:
            viewer.offer(board.whole, board.whole)
        else:
            self.changed_elsewhere(session_id)
        return viewer

    def leave(self, viewer: Viewer) -> None:
        board = self._boards.get(viewer.session_id)
        if board is None:
            return
        board.viewers.discard(viewer)
        if not board.viewers and board.task is None:
            del self._boards[viewer.session_id]

    async def close(self) -> None:
        for board in self._boards.values():
            for viewer in board.viewers:
                viewer.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    # Work

    def _spawn(self, work: object) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(work)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _refresh(self, session_id: int, board: _Board) -> None:
        try:
            while board.dirty and board.viewers:
                board.dirty = False
                self.rebuilds += 1
                view = await self.source.board_view(session_id)
                if view is None:  # the session is gone: so is its board
                    for viewer in list(board.viewers):
                        viewer.close(revoked=True)
                    break
                parts = self.render(view)
                changed = {name: markup for name, markup in parts.items() if board.parts.get(name) != markup}
                if changed:
                    board.parts = parts
                    board.whole = self.encode(parts)
                    frame = board.whole if len(changed) == len(parts) else self.encode(changed)
                    for viewer in board.viewers:
                        viewer.offer(frame, board.whole)
                await asyncio.sleep(self.min_interval_s)
        except Exception:
            # A database outage or a bug must not end the boards: the next change tries again.
            log.warning("board %s: rebuild failed", session_id, exc_info=True)
        finally:
            board.task = None
            if not board.viewers and self._boards.get(session_id) is board:
                del self._boards[session_id]

    async def _close_revoked(self, session_id: int) -> None:
        try:
            live = await self.source.live_board_hashes(session_id)
        except Exception:
            log.warning("board %s: could not check its links", session_id, exc_info=True)
            return
        board = self._boards.get(session_id)
        for viewer in list(board.viewers if board else ()):
            if viewer.token_hash not in live:
                viewer.close(revoked=True)
