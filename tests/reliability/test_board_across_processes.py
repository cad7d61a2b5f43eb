"""Two Slack HTTP worker processes on one PostgreSQL database: a change made through one
reaches a board connected to the other (LISTEN/NOTIFY, adapters/board/pg_relay.py), and a
reset through one closes the old link's stream on the other."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

import aiohttp
import pytest

from tests.pg import fresh_database
from tests.reliability.slack_workers import SlackWorkers, start_fake_slack

PG_URL = os.environ.get("FACILITATOR_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not PG_URL, reason="FACILITATOR_TEST_POSTGRES_URL is not set")
LINK = re.compile(r"http://127\.0\.0\.1:(\d+)(/board/[A-Za-z0-9_-]+)")
LIVE = 2.0


async def next_event(stream: aiohttp.StreamReader, within: float) -> str:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        block = (await asyncio.wait_for(stream.readuntil(b"\n\n"), max(0.01, deadline - loop.time()))).decode()
        if not block.startswith(":"):
            return block


async def test_a_change_through_one_process_reaches_a_board_on_the_other(tmp_path: Path) -> None:
    fake = await start_fake_slack(["UF", "UA"])
    async with fresh_database("board_relay") as url:
        workers = SlackWorkers(fake, url.render_as_string(hide_password=False), tmp_path)
        try:
            await workers.start(2)
            await workers.start_session(0, "UF", "Two processes")
            await workers.post(0, workers.slash("UF", "board"))
            notice = await workers.until(lambda: next((c for c in workers.ephemerals("UF")
                                                       if "/board/" in c.params.get("text", "")), None), "the link")
            port, path = LINK.search(notice.params["text"]).groups()  # type: ignore[union-attr]
            assert port == workers.bots[0].settings["FACILITATOR_PORT"]
            other = f"http://127.0.0.1:{workers.bots[1].settings['FACILITATOR_PORT']}{path}"
            async with aiohttp.ClientSession() as http:
                page = await http.get(other)
                assert page.status == 200 and "Two processes" in await page.text()
                stream = await http.get(other + "/events")
                assert "event: clock" in await next_event(stream.content, 10)
                assert "event: version" in await next_event(stream.content, 10)
                assert "event: parts" in await next_event(stream.content, 10)
                await workers.post(0, workers.slash("UA", "join newcomer"))
                await workers.post(0, workers.slash("UA", "do Arrives on the other process"))
                loop = asyncio.get_running_loop()
                started = loop.time()
                while "Arrives on the other process" not in await next_event(stream.content, LIVE):
                    assert loop.time() - started < LIVE
                await workers.post(0, workers.slash("UF", "board reset"))
                assert (await next_event(stream.content, LIVE)).startswith("event: gone")
                assert (await http.get(other)).status == 404
                stream.close()
        finally:
            await workers.close()
            await fake.stop()
