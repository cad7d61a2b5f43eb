"""The board's HTTP side, over real sockets: 404 with no hint, the security headers, one
rebuild for many viewers, revoked links closing open streams, slow clients cut off, a taken
port, and boards on Slack's own server in HTTP mode."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from pathlib import Path

import aiohttp
import pytest
from slack_bolt.app.async_app import AsyncApp

from adapters.board.page import VERSION
from adapters.board.runtime import Boards
from adapters.board.server import CSP, start_board_server
from adapters.slack.server import serve_http
from adapters.slow_clients import GuardedSite
from aiohttp import web
from tests.adapters.board.room import board_room

PEOPLE = {"Ana": "newcomer", "Ben": "veteran"}


async def read_event(stream: aiohttp.StreamReader) -> str:
    """The next event, skipping the keep-alive comments."""
    while True:
        block = (await asyncio.wait_for(stream.readuntil(b"\n\n"), 10)).decode()
        if not block.startswith(":"):
            return block


async def open_stream(http: aiohttp.ClientSession, link: str) -> aiohttp.ClientResponse:
    response = await http.get(link + "/events")
    assert response.status == 200 and response.headers["Content-Type"] == "text/event-stream"
    assert "event: clock" in await read_event(response.content)
    assert await read_event(response.content) == f"event: version\ndata: {VERSION}\n\n"
    return response


async def test_wrong_malformed_and_revoked_tokens_get_the_same_bare_404(tmp_path: Path) -> None:
    async with board_room(f"sqlite:///{tmp_path / 'f.db'}", PEOPLE) as room, aiohttp.ClientSession() as http:
        link = await room.board_link()
        base = link.rsplit("/board/", 1)[0]
        page = await http.get(link)
        assert page.status == 200
        assert page.headers["Content-Security-Policy"] == CSP and "default-src 'none'" in CSP
        assert page.headers["Referrer-Policy"] == "no-referrer" and page.headers["Cache-Control"] == "no-store"
        fresh = await room.board_link(reset=True)
        token = link.rsplit("/", 1)[1]
        answers = []
        for url in (link, link + "/events", f"{base}/board/{token[:-2]}xy", f"{base}/board/short",
                    f"{base}/board/{'A' * 43}", f"{base}/nothing-here"):
            response = await http.get(url)
            answers.append((response.status, await response.text(), response.headers.get("Referrer-Policy")))
        assert set(answers) == {(404, "Not found", "no-referrer")}
        assert (await http.get(fresh)).status == 200


async def test_many_viewers_cost_one_rebuild_per_change_and_all_see_it(tmp_path: Path) -> None:
    async with board_room(f"sqlite:///{tmp_path / 'f.db'}", PEOPLE) as room, aiohttp.ClientSession() as http:
        link = await room.board_link()
        streams = [await open_stream(http, link) for _ in range(40)]
        for stream in streams:
            assert "event: parts" in await read_event(stream.content)  # the board as it is
        before = room.boards.hub.rebuilds
        await room.say("Ana", "do Ask before you share")
        for stream in streams:
            assert "Ask before you share" in await read_event(stream.content)
        assert room.boards.hub.rebuilds - before == 1
        for stream in streams:
            stream.close()


def parts_of(event: str) -> dict[str, str]:
    assert event.startswith("event: parts\n"), event
    parts: dict[str, str] = json.loads(event.split("data: ", 1)[1])
    return parts


async def test_a_change_sends_only_the_parts_it_altered_and_a_screen_behind_gets_them_all(tmp_path: Path) -> None:
    """A blind vote alters the progress beside the items, not the items: 200 screens on a big
    board get a kilobyte each, not the board. A screen that has not taken its last frame when
    the next comes gets every part, or it would never see what that last frame carried."""
    async with board_room(f"sqlite:///{tmp_path / 'f.db'}", PEOPLE) as room, aiohttp.ClientSession() as http:
        for text in ("do Ask before you share", "do Share what you try", "dont Spam the group"):
            await room.say("Ana", text)
        await room.say("Fia", "next")  # voting, blind by default
        stream = await open_stream(http, await room.board_link())
        first = parts_of(await read_event(stream.content))
        assert set(first) == {"top", "main", "side"} and "Spam the group" in first["main"]
        behind = await room.boards.hub.join(1, "a screen that stops reading")
        assert behind.take() is not None  # it took the board as it was, then stopped reading

        await room.say("Ana", "vote 1 2 3")  # Ana has spent her votes: the progress moves
        side = parts_of(await read_event(stream.content))
        assert set(side) == {"side"} and '<span class="count">1</span> of 2' in side["side"]
        await room.say("Fia", "hide 3")
        later = parts_of(await read_event(stream.content))
        assert "main" in later and "Spam the group" not in later["main"]

        frame = behind.take()
        assert frame is not None
        caught_up = parts_of(frame.decode())
        assert set(caught_up) == {"top", "main", "side"}
        assert caught_up["side"] == later.get("side", side["side"]) and caught_up["main"] == later["main"]
        room.boards.hub.leave(behind)
        stream.close()


async def test_a_reset_closes_the_open_streams_of_the_old_links_at_once(tmp_path: Path) -> None:
    async with board_room(f"sqlite:///{tmp_path / 'f.db'}", PEOPLE) as room, aiohttp.ClientSession() as http:
        old = await room.board_link()
        kept = await room.board_link()  # a second screen's link, replaced too by the reset
        streams = [await open_stream(http, old), await open_stream(http, kept)]
        for stream in streams:
            await read_event(stream.content)
        new = await room.board_link(reset=True)
        for stream in streams:
            assert (await read_event(stream.content)).startswith("event: gone")
            assert await asyncio.wait_for(stream.content.read(), 5) == b""  # and the server hung up
        stream = await open_stream(http, new)
        assert "event: parts" in await read_event(stream.content)
        stream.close()


async def answered(port: int, chunks: list[bytes], pause: float) -> bytes:
    """Sends `chunks` with `pause` between them, then reads until the server closes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for chunk in chunks:
            writer.write(chunk)
            await writer.drain()
            await asyncio.sleep(pause)
        return await asyncio.wait_for(reader.read(), 5)
    except (ConnectionResetError, BrokenPipeError):
        return b""
    finally:
        writer.close()


async def test_slow_clients_are_cut_off_and_patient_ones_are_not() -> None:
    async def hello(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(text="hello")

    app = web.Application()
    app.router.add_route("*", "/", hello)
    runner = web.AppRunner(app)
    await runner.setup()
    site = GuardedSite(runner, "127.0.0.1", 0, head_timeout_s=0.5, body_timeout_s=0.5)
    await site.start()
    try:
        loop = asyncio.get_running_loop()
        started = loop.time()
        assert await answered(site.port, [], 0) == b""  # connects, says nothing: closed
        assert loop.time() - started < 3
        head = [b"GET / HTTP/1.1\r\n", b"Host: x\r\n", b"X-Slow: 1\r\n", b"\r\n"]
        assert await answered(site.port, head, 0.3) == b""  # a head that trickles in
        body = [b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n", b"0123456789", b"0123456789"]
        assert await answered(site.port, body, 0.4) == b""  # a body that trickles in
        quick = b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        assert (await answered(site.port, [quick], 0)).endswith(b"hello")
        # An idle keep-alive connection is not a slow head: the next request, later, still works.
        async with aiohttp.ClientSession() as http:
            assert await (await http.get(f"http://127.0.0.1:{site.port}/")).text() == "hello"
            await asyncio.sleep(0.8)
            assert await (await http.post(f"http://127.0.0.1:{site.port}/", data=b"x" * 5000)).text() == "hello"
    finally:
        await runner.cleanup()


async def test_a_taken_port_is_said_once_and_the_bot_goes_on_without_boards(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        async with board_room(f"sqlite:///{tmp_path / 'f.db'}", PEOPLE) as room:
            boards = Boards(room.app.service)
            room.app.service.context.boards.served_at = None
            with caplog.at_level(logging.WARNING):
                assert not await boards.serve("127.0.0.1", port)
            warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
            assert len(warnings) == 1 and f"127.0.0.1:{port}" in warnings[0].getMessage()
            reply = (await room.say("Fia", "board"))[0]
            assert "isn't available" in reply.text and reply.private_to
            assert "Still works" in (await room.say("Ana", "do Still works"))[0].text
            await boards.close()


async def test_slack_http_mode_serves_boards_beside_its_events(tmp_path: Path) -> None:
    async with board_room(f"sqlite:///{tmp_path / 'f.db'}", PEOPLE) as room:
        await room.boards.close()
        boards = Boards(room.app.service)
        bolt = AsyncApp(signing_secret="secret", token="xoxb-T1-test")  # never called: no request is signed
        server = await serve_http(bolt, "127.0.0.1", 0, "secret", boards)
        try:
            link = await room.board_link()
            assert f":{server.port}/board/" in link
            async with aiohttp.ClientSession() as http:
                page = await http.get(link)
                assert page.status == 200 and "Board check" in await page.text()
                stream = await open_stream(http, link)
                await read_event(stream.content)
                await room.say("Ana", "do Seen through Slack's server")
                assert "Seen through Slack" in await read_event(stream.content)
                stream.close()
                events = await http.post(f"http://127.0.0.1:{server.port}/slack/events", data=b"{}")
                assert events.status == 401  # Bolt still guards its own path
        finally:
            await boards.close()
            await server.close()


async def test_start_board_server_returns_none_rather_than_raising(tmp_path: Path) -> None:
    async with board_room(f"sqlite:///{tmp_path / 'f.db'}", PEOPLE) as room:
        assert room.boards.server is not None
        again = await start_board_server("127.0.0.1", room.port, room.app.service, room.boards.hub)
        assert again is None


