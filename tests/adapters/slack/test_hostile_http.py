"""/slack/events against hostile HTTP: bodies that are not Slack's get 401 (unsigned) or 400
(signed, but malformed) with one log line and no traceback; clients too slow to send a
request's head or body are cut off, so hundreds of half-open connections can't pile up."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest

from adapters.slack.app import build_app
from adapters.slack.server import HttpServer, serve_http
from tests.adapters.slack.harness import SECRET, SlackHarness, slack_config
from tests.fakes import slack_requests as sr

FORM = "application/x-www-form-urlencoded"
HALF_OPEN = 200


def signed_bytes(body: bytes, content_type: str, secret: str = SECRET, timestamp: str | None = None) -> dict[str, str]:
    """Signed as Slack signs, over the raw bytes (slack_sdk's helper takes UTF-8 text only)."""
    ts = timestamp or str(int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"content-type": content_type, "x-slack-request-timestamp": ts, "x-slack-signature": f"v0={digest}"}


UNSIGNED = [
    (b"payload=%7Bnot-json", {"content-type": FORM}),
    (b"payload=\xff\xfe\xfd", {"content-type": FORM}),
    (b"command=%2Fpln&text=start", {"content-type": "application/json"}),
    (b"command=%2Fpln&text=start", {"content-type": FORM, "x-slack-request-timestamp": "soon",
                                    "x-slack-signature": "v0=00"}),  # Bolt itself answers this with 500
    (b"command=%2Fpln&text=start", signed_bytes(b"command=%2Fpln&text=start", FORM, secret="not-ours")),
    (b"command=%2Fpln&text=start", signed_bytes(b"command=%2Fpln&text=start", FORM,
                                                timestamp=str(int(time.time()) - 301))),
]
SIGNED_MALFORMED = [
    (b"payload=%7Bnot-json", FORM),
    (b"payload=\xff\xfe\xfd", FORM),
    (b"\xff\xfe\xfd", "application/json"),
    (b"command=%2Fpln&text=start", "application/json"),
    (b"[1, 2, 3]", "application/json"),
    (b"payload=%5B1%5D", FORM),
]


async def test_bodies_that_are_not_slacks_get_4xx_one_line_and_no_traceback(
        slack: SlackHarness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    url = f"{slack.base}/slack/events"
    async with aiohttp.ClientSession() as client:
        for expected, cases in ((401, [(body, headers) for body, headers in UNSIGNED]),
                                (400, [(body, signed_bytes(body, kind)) for body, kind in SIGNED_MALFORMED])):
            for body, headers in cases:
                caplog.clear()
                async with client.post(url, data=body, headers=headers) as response:
                    assert response.status == expected, (body, headers, response.status, await response.text())
                loud = [r for r in caplog.records if r.levelno >= logging.WARNING]
                assert len(loud) <= 1 and not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in loud]
    assert slack.delivered() == [] and await slack.core.service.latest_session_id() is None
    (intro, _) = await slack.command("U1", "start", expect=2)  # and the bot goes on
    assert intro.ok


@pytest.fixture
async def impatient(slack: SlackHarness) -> AsyncIterator[HttpServer]:
    """The same app behind a site with short head and body deadlines (the defaults are 10 s and 20 s)."""
    bolt = await build_app(slack_config("unused", slack.fake).slack, slack.core.service, slack.core.db.engine)
    server = await serve_http(bolt, "127.0.0.1", 0, SECRET, head_timeout_s=0.5, body_timeout_s=0.5)
    yield server
    await server.close()


async def closed_by_server(reader: asyncio.StreamReader) -> bool:
    try:
        return await asyncio.wait_for(reader.read(), timeout=5) is not None
    except (ConnectionError, asyncio.IncompleteReadError):
        return True


async def test_half_open_connections_are_cut_off_while_real_requests_are_served(
        slack: SlackHarness, impatient: HttpServer) -> None:
    streams = []
    for n in range(HALF_OPEN):
        reader, writer = await asyncio.open_connection("127.0.0.1", impatient.port)
        if n % 2:  # half of them send part of a head and stop
            writer.write(b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Type: applica")
        else:  # the other half a whole head, then too little of the body it announced
            writer.write(b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Length: 1000\r\n\r\npayload=")
        await writer.drain()
        streams.append((reader, writer))
    started = time.monotonic()
    request = sr.slash_command(SECRET, text="help", team_id="T1", user_id="U2", channel_id="C1",
                               response_url=slack.fake.response_url("U2"))
    async with aiohttp.ClientSession() as client:
        async with client.post(f"http://127.0.0.1:{impatient.port}/slack/events", data=request.body.encode(),
                               headers=request.headers) as response:
            assert response.status == 200  # served while 200 connections hang
    closed = await asyncio.gather(*(closed_by_server(reader) for reader, _ in streams))
    assert all(closed) and time.monotonic() - started < 5
    for _, writer in streams:
        writer.close()
    await slack.fake.wait_for(lambda f: f.calls_to("chat.postEphemeral"))
