"""A session and its live board in this process: the service driven as people would drive it,
and the boards served on a free port of 127.0.0.1 (adapters/board/runtime.py)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from adapters.board.runtime import Boards
from facilitator.bootstrap import FacilitatorApp, open_app
from facilitator.replies import Reply
from tests.app.support import actor, place

LINK = re.compile(r"https?://\S+/board/[A-Za-z0-9_-]+")


@dataclass
class BoardRoom:
    app: FacilitatorApp
    boards: Boards

    async def say(self, name: str, text: str) -> list[Reply]:
        return await self.app.service.handle_text(actor(name), place(), text)

    async def board_link(self, name: str = "Fia", reset: bool = False) -> str:
        replies = await self.say(name, "board reset" if reset else "board")
        found = LINK.search(replies[0].text)
        assert found, replies[0].text
        return found.group(0)

    async def restart_boards(self, port: int) -> None:
        """The bot's web server stops and comes back on the same port (a restart, as screens see it)."""
        await self.boards.close()
        self.app.service.announcer.watchers.clear()
        self.boards = Boards(self.app.service)
        assert await self.boards.serve("127.0.0.1", port)

    @property
    def port(self) -> int:
        assert self.boards.server is not None
        return self.boards.server.port


@asynccontextmanager
async def board_room(database_url: str, people: dict[str, str], title: str = "Board check") -> AsyncIterator[BoardRoom]:
    """Fia starts a session; `people` (name -> level) join it."""
    app = await open_app(database_url)
    boards = Boards(app.service)
    assert await boards.serve("127.0.0.1", 0)
    room = BoardRoom(app, boards)
    try:
        await room.say("Fia", f"/pln start {title}")
        for name, level in people.items():
            await room.say(name, f"join {level}")
        yield room
    finally:
        await room.boards.close()
        await app.close()
