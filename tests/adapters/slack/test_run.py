"""`run(config)`, the entry of `facilitator run --platform slack`: HTTP mode and Socket Mode."""

from __future__ import annotations

import asyncio
import dataclasses
import socket

import pytest

from adapters.slack.server import run
from facilitator.bootstrap import open_app
from facilitator.config import ConfigError
from tests.adapters.slack.harness import SECRET, slack_config
from tests.fakes import slack_requests as sr
from tests.fakes.slack_api import FakeSlackApi


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_run_serves_http_until_stopped(fake: FakeSlackApi, database_url: str) -> None:
    port = free_port()
    config = slack_config(database_url, fake, port=port)
    stop = asyncio.Event()
    running = asyncio.create_task(run(config.config, config.slack, stop))
    client = sr.BoltHttpClient(f"http://127.0.0.1:{port}/slack/events")
    try:
        async def answered() -> int:
            while True:
                try:
                    return (await client.post(sr.slash_command(SECRET, text="start Via run", team_id="T1", user_id="U1",
                                                               channel_id="C1", response_url=fake.response_url("r"))))[0]
                except OSError:  # not listening yet
                    await asyncio.sleep(0.05)

        assert await asyncio.wait_for(answered(), 10) == 200
        (intro, *_) = await fake.wait_for_calls("chat.postMessage", 1)
        assert "Via run" in intro.params["text"]
    finally:
        await client.close()
        stop.set()
        await asyncio.wait_for(running, 10)
    assert running.exception() is None


async def test_socket_mode_takes_commands_and_events(fake: FakeSlackApi, database_url: str) -> None:
    config = slack_config(database_url, fake, app_token="xapp-1-test", signing_secret=None)
    stop = asyncio.Event()
    running = asyncio.create_task(run(config.config, config.slack, stop))
    try:
        await fake.push_envelope({"envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": True,
                                  "payload": {"team_id": "T1", "channel_id": "C1", "user_id": "U1", "user_name": "ann",
                                              "command": "/pln", "text": "start Over a socket",
                                              "response_url": fake.response_url("s"), "trigger_id": "t1"}})
        (intro, *_) = await fake.wait_for_calls("chat.postMessage", 1)
        assert "Over a socket" in intro.params["text"]
        thread = intro.response["ts"]
        await fake.wait_for_calls("chat.postEphemeral", 1)  # the starter's notice: the thread is recorded by now
        await fake.push_envelope({"envelope_id": "env-2", "type": "events_api", "accepts_response_payload": False,
                                  "retry_attempt": 0, "retry_reason": "",
                                  "payload": {"type": "event_callback", "team_id": "T1", "event_id": "EvS1",
                                              "event": sr.thread_message(user_id="U2", channel_id="C1", thread_ts=thread,
                                                                         text="DO: Say thanks")}})
        (_, item) = await fake.wait_for_calls("chat.postMessage", 2)
        assert item.params["thread_ts"] == thread and "Say thanks" in item.params["text"]
        assert {a.get("envelope_id") for a in fake.socket_acks} >= {"env-1", "env-2"}
    finally:
        stop.set()
        await asyncio.wait_for(running, 10)
    assert running.exception() is None


async def test_run_stops_listening_when_cancelled(fake: FakeSlackApi, database_url: str) -> None:
    port = free_port()
    config = slack_config(database_url, fake, port=port)
    core = await open_app(config.config.database_url)
    running = asyncio.create_task(run(config.config, config.slack, stop=asyncio.Event(), facilitator=core))
    client = sr.BoltHttpClient(f"http://127.0.0.1:{port}/slack/events")
    try:
        help_request = sr.slash_command(SECRET, text="help", team_id="T1", user_id="U1", channel_id="C1",
                                        response_url=fake.response_url("r"))
        for _ in range(200):
            try:
                assert (await client.post(help_request))[0] == 200
                break
            except OSError:
                await asyncio.sleep(0.05)
        await fake.wait_for_calls("chat.postEphemeral", 1)
        running.cancel()  # what the CLI does on SIGINT/SIGTERM
        with pytest.raises(asyncio.CancelledError):
            await running
        with pytest.raises(OSError):
            await client.post(help_request)
    finally:
        await client.close()
        await core.close()


async def test_run_refuses_a_bad_token_at_start(fake: FakeSlackApi, database_url: str) -> None:
    config = slack_config(database_url, fake, token="xoxb-revoked", port=free_port())
    with pytest.raises(ConfigError, match="invalid_auth"):
        await run(config.config, config.slack, asyncio.Event())
