"""The live board in Debian's Chromium, as a projector shows it: changes arrive without a
reload within 2 s, blind votes show no tally, anonymous sessions no names, hostile text stays
text, nothing is fetched from another host, axe-core finds nothing, 20 items fit the screen,
and the page comes back by itself after the bot's server restarts."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.adapters.board.live_browser import AXE_JS, LivePage, chromium_page
from tests.adapters.board.room import BoardRoom, board_room
from tests.reports.export.browser import find_chromium, keep_screenshot

pytestmark = pytest.mark.skipif(find_chromium() is None, reason="chromium is not installed (.ci/install-chromium)")

PEOPLE = {"Ximena": "newcomer", "Yusuf": "practitioner", "Zbigniew": "veteran"}
HOSTILE = '<img src="http://example.invalid/x.png" onerror="alert(1)"><script>alert(2)</script>'
LIVE = 2.0  # the bound for a change to show


def only_our_host(page: LivePage, port: int) -> None:
    hosts = {urlsplit(url).netloc for url in page.requests()}
    assert hosts == {f"127.0.0.1:{port}"}, page.requests()


async def no_axe_violations(page: LivePage) -> None:
    if not AXE_JS.exists():
        pytest.skip(f"axe-core is not installed at {AXE_JS} (npm ci, package.json)")
    assert await page.axe_violations() == []


async def test_a_session_plays_out_on_the_board_without_a_reload(tmp_path: Path) -> None:
    async with board_room(f"sqlite:///{tmp_path / 'f.db'}", PEOPLE) as room:
        await room.say("Fia", "settings votes=2")
        link = await room.board_link()
        async with chromium_page(tmp_path) as page:
            await page.open(link)
            await page.evaluate("window.loadedOnce = true")  # gone if the page ever reloads
            assert "Board check" in await page.text()
            await no_axe_violations(page)

            await room.say("Ximena", "do Share what you learn, weekly")
            await page.until("document.body.innerText.includes('Share what you learn, weekly')", LIVE)
            await room.say("Yusuf", f"dont {HOSTILE}")
            await page.until("document.querySelectorAll('.item').length === 2", LIVE)
            assert await page.evaluate("document.querySelectorAll('#board img, #board script').length") == 0
            assert "example.invalid" in await page.text()  # shown as the text it is

            await room.say("Fia", "next")
            await page.until("document.querySelector('.phase').textContent === 'Voting'", LIVE)
            await room.say("Ximena", "vote 1 2")
            await room.say("Yusuf", "vote 1")
            await room.say("Zbigniew", "vote 1 2")
            await page.until("document.body.innerText.includes('2 of 3 have used')", LIVE)  # the side part alone
            assert await page.evaluate(
                "['top', 'main', 'side'].map(n => document.querySelectorAll('#part-' + n).length)") == [1, 1, 1]
            # Blind: no item carries a number of votes, and no total is shown.
            assert await page.evaluate("document.querySelectorAll('.votes').length") == 0
            assert "votes cast" not in await page.text()
            keep_screenshot(await page.png(), "board-voting.png")

            await room.say("Fia", "next")
            await page.until("document.querySelectorAll('svg.chart').length > 0", LIVE)
            charts = await page.evaluate("[...document.querySelectorAll('svg.chart desc')].map(d => d.textContent)")
            assert "#1: 3 votes" in " ".join(charts) and "#2: 2 votes" in " ".join(charts)
            await no_axe_violations(page)
            keep_screenshot(await page.png(), "board-results.png")

            assert await page.evaluate("window.loadedOnce === true")
            only_our_host(page, room.port)
            assert page.console_errors() == []


async def test_an_anonymous_session_shows_no_names(tmp_path: Path) -> None:
    async with board_room(f"sqlite:///{tmp_path / 'f.db'}", PEOPLE) as room:
        await room.say("Fia", "settings anonymous=on blind=off")
        link = await room.board_link()
        async with chromium_page(tmp_path) as page:
            await page.open(link)
            for name in PEOPLE:
                await room.say(name, f"do Something {name[::-1].lower()}")
            await page.until("document.querySelectorAll('.item').length === 3", LIVE)
            await room.say("Fia", "next")
            await room.say("Ximena", "vote 1")
            await page.until("document.querySelectorAll('.votes').length === 3", LIVE)  # not blind: live tallies
            await room.say("Fia", "next")
            await page.until("document.querySelectorAll('svg.chart').length > 0", LIVE)
            html = await page.html()
            for name in [*PEOPLE, "Fia"]:
                assert name not in html


async def twenty_items(room: BoardRoom, count: int = 20) -> None:
    for n in range(1, count + 1):
        word = "do" if n % 3 else "dont"
        text = f"Item {n}: " + "a thought that goes on for a while, as people's thoughts do " * 8
        await room.say(list(PEOPLE)[n % 3], f"{word} {text[:480]}")


@pytest.mark.parametrize("width,height", [(1920, 1080), (1280, 720)])
async def test_twenty_items_fit_the_screen_and_more_turn_pages(tmp_path: Path, width: int, height: int) -> None:
    async with board_room(f"sqlite:///{tmp_path / 'f.db'}", PEOPLE, title="A long title " * 6) as room:
        await twenty_items(room)
        link = await room.board_link()
        async with chromium_page(tmp_path, width, height) as page:
            await page.open(link)
            await page.until("document.querySelectorAll('.item').length === 20", LIVE)
            fits = await page.evaluate(
                "({scroll: document.documentElement.scrollHeight <= innerHeight"
                " && document.documentElement.scrollWidth <= innerWidth,"
                " inside: [...document.querySelectorAll('.item')].every(li => { const r = li.getBoundingClientRect();"
                " return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth; })})"
            )
            assert fits == {"scroll": True, "inside": True}
            if (width, height) == (1920, 1080):
                keep_screenshot(await page.png(), "board-20-items.png")
            await room.say("Ximena", "do The twenty-first")
            await page.until("document.querySelectorAll('.item').length === 21", LIVE)
            # The page turns to where the new item is, and still doesn't scroll.
            shown = await page.evaluate("[...document.querySelectorAll('.item')].filter(li => !li.hidden).length")
            assert shown == 1
            assert await page.evaluate("document.querySelector('.pager').textContent.startsWith('Page 2 of 2')")
            assert await page.evaluate("document.documentElement.scrollHeight <= innerHeight")
            # The results: ten bars a category, side by side, still on one screen.
            await room.say("Fia", "next")
            await room.say("Ximena", "vote 1 2 3")
            await room.say("Fia", "next")
            await page.until("document.querySelectorAll('svg.chart').length === 2", LIVE)
            assert await page.evaluate(
                "document.documentElement.scrollHeight <= innerHeight && [...document.querySelectorAll('svg.chart')]"
                ".every(svg => svg.getBoundingClientRect().bottom <= innerHeight)"
            )
            if (width, height) == (1280, 720):
                keep_screenshot(await page.png(), "board-results-720.png")


async def test_the_page_reconnects_by_itself_after_the_server_restarts(tmp_path: Path) -> None:
    async with board_room(f"sqlite:///{tmp_path / 'f.db'}", PEOPLE) as room:
        link = await room.board_link()
        async with chromium_page(tmp_path) as page:
            await page.open(link)
            await page.evaluate("window.loadedOnce = true")
            port = room.port
            await room.restart_boards(port)
            await room.say("Ximena", "do Arrived after the restart")
            # EventSource waits `retry` (2 s) before reconnecting; then the change is there at once.
            await page.until("document.body.innerText.includes('Arrived after the restart')", 10.0)
            assert await page.evaluate("window.loadedOnce === true")


async def test_a_page_reloads_itself_when_the_bot_serves_another_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upgrade while a screen is open: the old page's script must not be fed frames of the new
    kind, so the stream tells it the version and it loads the page the bot serves now, once."""
    from adapters.board import page as board_page

    async with board_room(f"sqlite:///{tmp_path / 'f.db'}", PEOPLE) as room:
        link = await room.board_link()
        async with chromium_page(tmp_path) as page:
            await page.open(link)
            await page.evaluate("window.loadedOnce = true")
            monkeypatch.setattr(board_page, "VERSION", "an upgraded bot")
            await room.restart_boards(room.port)
            await page.until("window.loadedOnce === undefined", 10.0)  # reloaded
            await page.until("document.body.getAttribute('data-version') === 'an upgraded bot'", 10.0)
            await page.evaluate("window.loadedOnce = true")
            await room.say("Ximena", "do Arrived after the upgrade")
            await page.until("document.body.innerText.includes('Arrived after the upgrade')", LIVE)
            assert await page.evaluate("window.loadedOnce === true")  # and only once
            assert page.console_errors() == []
