"""Pledges on the live board, over real HTTP: listed with their owner and status, kept counted,
and no owner named in an anonymous session."""

from __future__ import annotations

import html
import re
from pathlib import Path

import aiohttp

from tests.adapters.board.room import board_room

PEOPLE = {"Ana": "newcomer", "Vi": "veteran"}


async def test_the_board_shows_the_pledges_and_hides_owners_when_anonymous(tmp_path: Path) -> None:
    async with board_room(f"sqlite:///{tmp_path / 'f.db'}", PEOPLE) as room, aiohttp.ClientSession() as http:
        link = await room.board_link()

        async def shown() -> str:
            response = await http.get(link)
            assert response.status == 200
            return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", await response.text())).split())

        assert "Pledges" not in await shown()
        await room.say("Ana", "pledge Answer one <b>newcomer</b> question a week")
        await room.say("Vi", "pledge Host the next session")
        await room.say("Vi", "done 2")
        page = await shown()
        assert "Pledges 1 of 2 kept" in page
        assert "#1 Answer one <b>newcomer</b> question a week Ana open" in page  # escaped, shown as text
        assert "#2 Host the next session Vi done" in page

    async with board_room(f"sqlite:///{tmp_path / 'g.db'}", PEOPLE) as room, aiohttp.ClientSession() as http:
        await room.say("Fia", "settings anonymous=on")
        link = await room.board_link()
        await room.say("Ana", "pledge Answer one question a week")
        text = await (await http.get(link)).text()
        assert "Answer one question a week" in text and "Ana" not in text
