"""Deliberation on the live board, over real HTTP: the item up for discussion with its question,
round 2 named while it is open (and blind), the movement chart and the surprisingly popular
items once votes are public, and no prediction shown while voting is open."""

from __future__ import annotations

import html
import re
from pathlib import Path

import aiohttp

from tests.adapters.board.room import board_room

PEOPLE = {"Ana": "newcomer", "Ben": "newcomer", "Cy": "newcomer", "Vi": "veteran", "Wu": "veteran"}


async def test_the_board_follows_the_deliberation(tmp_path: Path) -> None:
    async with board_room(f"sqlite:///{tmp_path / 'f.db'}", PEOPLE) as room, aiohttp.ClientSession() as http:
        link = await room.board_link()

        async def page() -> str:
            response = await http.get(link)
            assert response.status == 200
            return await response.text()

        async def shown() -> str:
            """What a person reads: the text without the tags, on one line."""
            return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", await page())).split())

        await room.say("Fia", "settings predict=on")
        await room.say("Ana", "do Follow five people")
        await room.say("Vi", "do Write in public weekly")
        await room.say("Fia", "next")
        for name, numbers in (("Ana", "1"), ("Ben", "1"), ("Cy", "1"), ("Vi", "2"), ("Wu", "2")):
            await room.say(name, f"vote {numbers}")
            await room.say(name, "predict 1")
        voting = await shown()
        assert "Voting" in voting and "predict" not in voting.lower() and "Surprisingly" not in voting

        await room.say("Fia", "next")
        await room.say("Fia", "agenda unshared")
        await room.say("Fia", "next item")
        discussing = await shown()
        # #1: 3 of 3 newcomers, no veteran; #2: 2 of 2 veterans. Ties on concentration and voters
        # go to more votes: #1 first.
        assert "Now discussing #1 DO · mostly newcomer support: 3 of 3 (100%)" in discussing
        assert "Follow five people" in discussing and "This came mostly from the newcomer level" in discussing
        # 5 voters, 5 predictions of #1: #2 backed by 40%, predicted by none.
        assert "Surprisingly popular, more backed than predicted: #2 Write in public weekly (+40 pts)" in discussing

        await room.say("Fia", "revote")
        round_two = await shown()
        assert "Voting, round 2" in round_two and "Now discussing" not in round_two
        assert 'class="votes"' not in await page()  # blind in round 2 too: no item's count on the board
        for name, numbers in (("Ana", "2"), ("Ben", "2"), ("Cy", "1"), ("Vi", "2"), ("Wu", "2")):
            await room.say(name, f"vote {numbers}")
        await room.say("Fia", "next")
        after = await shown()
        assert "Discussing, round 2" in after
        assert "Between round 1 and round 2 the group moved toward #2 (+2), and away from #1 (−2)." in after
        assert "#2: +2 (newcomer +2)" in after  # the movement chart's description
