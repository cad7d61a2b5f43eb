"""Figure 4: signed vote-button requests through our AsyncApp against a bare AsyncApp that only acks.

Both are served by the same stack (Bolt's aiohttp app via adapters.slack.server.serve_http) on
loopback and driven by the same load generator (bench.http_load, its own process, concurrency 50)
with the same pre-signed block_actions payloads: clicks on the real vote buttons of a session in
voting phase, by many people so nobody runs out of votes. Our app answers Slack at ack() and
does the work afterwards (process_before_response=False), so the HTTP rate is the figure Slack
sees; a second row says how long until every vote was in the database and every "Voted for"
ephemeral had reached the fake Slack Web API. A third baseline, a bare app that also sends the
one ephemeral every click needs, separates the framework's cost of replying from ours.

What limits us (profiled with cProfile): one event loop does the acks and the work behind
them. Per click that work is the core's vote (about 0.8 ms CPU on SQLite: figure 1) and one
chat.postEphemeral through slack_sdk (about 1 ms CPU, plus serving it at the in-process fake);
the adapter's own code (translate, render, outbox) is well under 0.1 ms. The work waits for one
of adapters.pacing's slots after the ack, so a burst's acks are not interleaved with hundreds
of votes in progress. slack_sdk used to open a new HTTP session per Web API call; the app keeps
one (adapters/slack/app.py).
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import func, insert, select

from adapters.slack import ids
from adapters.slack.app import web_client
from adapters.slack.server import serve_http
from bench.latency import CONCURRENCY, ROUNDS, rate_row, settled_heap
from bench.table import Row, millis
from bench.workload import sqlite_file
from facilitator import commands as cmd
from facilitator.domain.actors import Actor, Place
from facilitator.store.models import ParticipantRow, VoteRow
from tests.adapters.slack.harness import SECRET, SlackHarness, find_button, slack_config
from tests.fakes import slack_requests as sr
from tests.fakes.slack_api import Call, FakeSlackApi

TEAM, CHANNEL, HOST = "T1", "C1", "UHOST"
ITEMS = 9  # few enough for a button each (render.INLINE_VOTE_LIMIT)
VOTES_EACH = 3  # the default budget


async def voting_session(harness: SlackHarness, people: int) -> tuple[Call, int]:
    """A session in voting phase, through our app; returns the voting message and session id.
    Items and participants go straight into the core: only the clicks are under test."""
    started = await harness.command(HOST, "start Bench session", expect=2)
    intro = next(c for c in started if c.method == "chat.postMessage")
    thread = intro.response["ts"]
    service = harness.core.service
    session_id = await service.session_for_thread(TEAM, thread)
    assert session_id is not None
    host = Actor(TEAM, HOST, "Host")
    for number in range(1, ITEMS + 1):
        await service.handle(host, Place("slack", CHANNEL, thread, session_id), cmd.Submit("do", f"Idea {number}"))
    now = datetime.now(UTC)
    async with harness.core.db.engine.begin() as connection:  # people who joined as newcomers
        await connection.execute(insert(ParticipantRow), [
            {"session_id": session_id, "user_id": f"V{p}", "name": f"Voter {p}", "level": "newcomer",
             "votes_used": 0, "joined_at": now} for p in range(people)])
    (voting,) = await harness.command(HOST, "next")
    return voting, session_id


def clicks(harness: SlackHarness, voting: Call, people: int) -> list[dict[str, Any]]:
    """Voter p's j-th click is on item (p + j) % ITEMS + 1: three different items each."""
    buttons = {n: find_button(voting, "vote", item=str(n)) for n in range(1, ITEMS + 1)}
    requests = []
    for j in range(VOTES_EACH):
        for p in range(people):
            button = buttons[(p + j) % ITEMS + 1]
            action = {k: v for k, v in button.items() if k in ("action_id", "value", "type", "text")}
            signed = sr.block_action(SECRET, action=action, team_id=TEAM, user_id=f"V{p}", channel_id=CHANNEL,
                                     message_ts=voting.response["ts"], thread_ts=voting.params["thread_ts"],
                                     response_url=harness.fake.response_url("click"), user_name=f"voter{p}")
            requests.append({"body": signed.body, "headers": signed.headers})
    return requests


async def load(url: str, requests: list[dict[str, Any]]) -> dict[str, Any]:
    job = json.dumps({"url": url, "concurrency": CONCURRENCY, "requests": requests}).encode()
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.http_load", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        cwd=str(Path(__file__).resolve().parent.parent))
    with settled_heap():
        out, _ = await child.communicate(job)
    if child.returncode != 0:
        raise RuntimeError(f"load generator exited with {child.returncode}")
    result: dict[str, Any] = json.loads(out)
    if result["statuses"] != {"200": len(requests)}:
        raise RuntimeError(f"not every request was acked with 200: {result['statuses']}")
    return result


async def votes_in(harness: SlackHarness, session_id: int) -> int:
    async with harness.core.db.engine.connect() as connection:
        return int((await connection.execute(
            select(func.count()).select_from(VoteRow).where(VoteRow.session_id == session_id))).scalar_one())


async def ours(fake: FakeSlackApi, database_url: str, people: int) -> tuple[dict[str, Any], float, list[dict[str, Any]]]:
    """Our app: the load result, the seconds until every side effect was done, and the requests."""
    harness = await SlackHarness.start(fake, slack_config(database_url, fake))
    try:
        voting, session_id = await voting_session(harness, people)
        requests = clicks(harness, voting, people)
        before = len(fake.calls_to("chat.postEphemeral"))
        result = await load(f"{harness.base}/slack/events", requests)
        await fake.wait_for(lambda f: len(f.calls_to("chat.postEphemeral")) >= before + len(requests), timeout=120)
        while await votes_in(harness, session_id) < len(requests):
            await asyncio.sleep(0.01)
        done = time.perf_counter()
        answers = fake.calls_to("chat.postEphemeral")[before:]
        refused = [c.params["text"] for c in answers if not c.params["text"].startswith("Voted for")]
        if refused:
            raise RuntimeError(f"{len(refused)} clicks were not counted, e.g. {refused[0]!r}")
        return result, done - result["started"], requests
    finally:
        await harness.stop()


async def bare(fake: FakeSlackApi, database_url: str, requests: list[dict[str, Any]], reply: bool) -> dict[str, Any]:
    """The framework alone: the same signing check and routing, a listener that only acks; with
    `reply`, it also sends the clicker one fixed ephemeral (what any useful app must do), through
    a client with a keep-alive session as ours has, and no database."""
    session = aiohttp.ClientSession()
    app = AsyncApp(signing_secret=SECRET, client=web_client(slack_config(database_url, fake).slack, "xoxb-T1", session))

    @app.action(re.compile(f"^{re.escape(ids.ACTION_PREFIX)}"))
    async def answer(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        if reply:
            await client.chat_postEphemeral(channel=body["channel"]["id"], user=body["user"]["id"], text="Voted.")

    before = len(fake.calls_to("chat.postEphemeral"))
    server = await serve_http(app, "127.0.0.1", 0)
    try:
        result = await load(f"http://127.0.0.1:{server.port}/slack/events", requests)
        if reply:
            await fake.wait_for(lambda f: len(f.calls_to("chat.postEphemeral")) >= before + len(requests), timeout=60)
        return result
    finally:
        await server.close()
        await session.close()


async def measure(smoke: bool) -> list[Row]:
    people = 30 if smoke else 400
    fake = FakeSlackApi()
    fake.install("xoxb-T1", TEAM)
    fake.add_user(TEAM, HOST, "Host")
    for p in range(people):
        fake.add_user(TEAM, f"V{p}", f"Voter {p}")
    await fake.start()
    runs: dict[str, list[dict[str, Any]]] = {"ours": [], "bare": [], "replying": []}
    try:
        for _ in range(1 if smoke else ROUNDS):
            with sqlite_file() as path:
                url = f"sqlite:///{path}"
                result, end_to_end, requests = await ours(fake, url, people)
                runs["ours"].append({**result, "end_to_end": end_to_end})
                runs["bare"].append(await bare(fake, url, requests, reply=False))
                runs["replying"].append(await bare(fake, url, requests, reply=True))
    finally:
        await fake.stop()
    result, baseline, replying = (min(runs[k], key=lambda r: r["finished"] - r["started"]) for k in runs)
    end_to_end = min(r["end_to_end"] for r in runs["ours"])
    count = len(requests)
    ours_s = result["finished"] - result["started"]
    bare_s = baseline["finished"] - baseline["started"]
    replying_s = replying["finished"] - replying["started"]
    figure = f"4 Slack HTTP vote clicks/s, concurrency {CONCURRENCY}"
    return [
        rate_row(figure, count, (ours_s, result["latencies"]), (bare_s, baseline["latencies"]),
                 "acks", "bare AsyncApp, ack only"),
        rate_row(f"4 Slack HTTP vote clicks/s, concurrency {CONCURRENCY}, vs a replying bare app", count,
                 (ours_s, result["latencies"]), (replying_s, replying["latencies"]),
                 "acks", "bare AsyncApp, ack + 1 chat.postEphemeral"),
        Row(f"4 Slack end-to-end votes/s ({count} clicks)",
            f"{count / end_to_end:,.0f} votes/s: all in DB + replied {millis(end_to_end)} after the first click",
            target="(no target: work after ack)"),
    ]
