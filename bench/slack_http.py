"""Figure 4: signed vote-button clicks through our Slack app, against three bare Bolt apps.

Every app is served by the same stack (Bolt's aiohttp app via adapters.slack.server.serve_http)
on loopback and driven by the same load generator (bench.http_load, its own process,
concurrency 50) with the same kind of pre-signed block_actions payloads: clicks on the real vote
buttons of a session in voting phase, set up through our app on a fresh SQLite file for every
run, three clicks by each of many people so nobody runs out of votes. The five runs take turns
in rotating order, once per round (bench.rounds):

* ours: the Slack adapter's `build_app`, answering at ack() and voting and replying afterwards;
* bare, ack only: what Slack sees of the framework alone;
* bare, ack + 1 chat.postEphemeral: the framework's cost of replying;
* the competitor (bench.slack_competitor): ack, the budget and vote upserts in one raw sqlite3
  transaction, one chat.postEphemeral. Against it the figure is end to end: from the first
  click sent until every vote is stored and every reply has reached the fake Web API;
* the same competitor committing before its ack, as an app whose 200 means "stored" must
  (issue 15, item 5): the like-for-like baseline for our acks, which come after the commit too.

What limits us (profiled with cProfile): one event loop does the acks and the work behind
them. Per click that work is the core's vote (figure 1) and one chat.postEphemeral through
slack_sdk (about 1 ms CPU, plus serving it at the in-process fake, for every app alike).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import func, select

from adapters.slack.app import web_client
from adapters.slack.server import serve_http
from bench import rounds
from bench.latency import CONCURRENCY, P99_TARGET_S, RATIO_TARGET, TARGET, percentile, settled_heap, summary
from bench.rounds import alternate, per_round
from bench.slack_competitor import competitor, open_database
from bench.slack_setup import REPLY, TimedSlackApi, load, prepared, started_fake
from bench.table import Row, millis
from bench.workload import sqlite_file
from facilitator.store.models import VoteRow
from tests.adapters.slack.harness import SECRET, slack_config

END_TO_END_TARGET = 0.8


@dataclass(frozen=True)
class Run:
    clicks: int
    acks_s: float  # first click sent to last ack received
    latencies: list[float]
    end_to_end_s: float  # first click sent to every vote stored and every reply received


async def finished(fake: TimedSlackApi, result: dict[str, Any], clicks: int, stored: Callable[[], Awaitable[int]],
                   expect: str) -> Run:
    """Wait until every reply arrived and every vote is stored; check every click was counted."""
    replied = await fake.all_replied(clicks)
    while await stored() < clicks:
        await asyncio.sleep(0.005)
        replied = time.perf_counter()
    texts = [c.params["text"] for c in fake.calls_to(REPLY)]
    refused = [t for t in texts if not t.startswith(expect)]
    if refused or len(texts) != clicks:
        raise RuntimeError(f"{len(texts)} replies to {clicks} clicks, {len(refused)} not counted: {refused[:1]}")
    return Run(clicks, result["finished"] - result["started"], result["latencies"], replied - result["started"])


async def ours(fake: TimedSlackApi, people: int) -> Run:
    with sqlite_file() as path:
        harness, ballot = await prepared(fake, f"sqlite:///{path}", people)
        try:
            fake.forget()

            async def stored() -> int:
                async with harness.core.db.engine.connect() as connection:
                    return int((await connection.execute(select(func.count()).select_from(VoteRow).where(
                        VoteRow.session_id == ballot.session_id))).scalar_one())

            with settled_heap():
                result = await load(f"{harness.base}/slack/events", ballot.requests)
                return await finished(fake, result, len(ballot.requests), stored, "Voted for")
        finally:
            await harness.stop()


async def other(fake: TimedSlackApi, people: int, kind: str) -> Run:
    """A bare app ("ack", "reply") or the competitor, on a database set up as ours is."""
    with sqlite_file() as path:
        harness, ballot = await prepared(fake, f"sqlite:///{path}", people)
        await harness.stop()
        session = aiohttp.ClientSession()  # keep-alive, as our app's client has
        client = web_client(slack_config(f"sqlite:///{path}", fake).slack, "xoxb-T1", session)
        connection = open_database(str(path))
        if kind in ("competitor", "stored"):
            app = competitor(SECRET, client, connection, ballot, store_first=kind == "stored")
        else:
            app = bare(client, reply=kind == "reply")
        server = await serve_http(app, "127.0.0.1", 0, SECRET)
        try:
            fake.forget()
            votes = "SELECT count(*) FROM votes WHERE session_id = ?"
            clicks = len(ballot.requests)

            async def stored() -> int:
                return int(connection.execute(votes, (ballot.session_id,)).fetchone()[0]) \
                    if kind in ("competitor", "stored") else clicks  # the bare apps store nothing

            with settled_heap():
                result = await load(f"http://127.0.0.1:{server.port}/slack/events", ballot.requests)
                if kind == "ack":
                    return Run(clicks, result["finished"] - result["started"], result["latencies"], 0.0)
                return await finished(fake, result, clicks, stored,
                                      "Voted." if kind == "reply" else "Voted for")
        finally:
            await server.close()
            await session.close()
            connection.close()


def bare(client: AsyncWebClient, reply: bool) -> AsyncApp:
    """The framework alone: the same signing check and routing, a listener that acks and, with
    `reply`, sends the clicker one fixed ephemeral (what any useful app must do)."""
    app = AsyncApp(signing_secret=SECRET, client=client)

    @app.action(re.compile(".+"))
    async def answer(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        if reply:
            await client.chat_postEphemeral(channel=body["channel"]["id"], user=body["user"]["id"], text="Voted.")

    return app


def ack_row(figure: str, ours: list[Run], bare: list[Run], bare_name: str) -> Row:
    """Acks/s against a bare app: the per-round ratio of rates; p99 over every round's clicks."""
    ratio = per_round([r.acks_s for r in bare], [r.acks_s for r in ours])
    typical = sorted(ours, key=lambda r: r.acks_s)[len(ours) // 2]
    typical_bare = sorted(bare, key=lambda r: r.acks_s)[len(bare) // 2]
    p99 = percentile([x for r in ours for x in r.latencies], 0.99)
    return Row(figure, summary(typical.clicks, typical.acks_s, typical.latencies, "acks"),
               f"{summary(typical_bare.clicks, typical_bare.acks_s, typical_bare.latencies, 'acks')} ({bare_name})",
               ratio.worst, TARGET, ratio.worst >= RATIO_TARGET and p99 < P99_TARGET_S, median=ratio.median)


def end_to_end(run: Run) -> str:
    return f"{run.clicks / run.end_to_end_s:,.0f} votes/s, all stored + replied in {millis(run.end_to_end_s)}"


async def measure(smoke: bool) -> list[Row]:
    people = 30 if smoke else 500
    fake = await started_fake(people)
    try:
        runs = await alternate([
            ("ours", lambda: ours(fake, people)),
            ("competitor", lambda: other(fake, people, "competitor")),
            ("ack", lambda: other(fake, people, "ack")),
            ("reply", lambda: other(fake, people, "reply")),
            ("stored", lambda: other(fake, people, "stored")),
        ], rounds.count(smoke))
    finally:
        await fake.stop()
    count = runs["ours"][0].clicks
    ratio = per_round([r.end_to_end_s for r in runs["competitor"]], [r.end_to_end_s for r in runs["ours"]])
    by_time = sorted(runs["ours"], key=lambda r: r.end_to_end_s)
    rival = sorted(runs["competitor"], key=lambda r: r.end_to_end_s)
    figure = f"4 Slack HTTP vote clicks/s, concurrency {CONCURRENCY}"
    return [
        ack_row(figure, runs["ours"], runs["ack"], "bare AsyncApp, ack only"),
        ack_row(f"{figure}, vs a replying bare app", runs["ours"], runs["reply"],
                "bare AsyncApp, ack + 1 chat.postEphemeral"),
        ack_row(f"{figure}, vs a minimal app that stores before it acks", runs["ours"], runs["stored"],
                "AsyncApp + raw sqlite3: 2 upserts committed, then ack, then 1 chat.postEphemeral"),
        Row(f"4 Slack end-to-end votes/s, {count:,} clicks at concurrency {CONCURRENCY}, vs a minimal Bolt+sqlite3 app",
            end_to_end(by_time[len(by_time) // 2]),
            f"{end_to_end(rival[len(rival) // 2])} (AsyncApp + raw sqlite3: 2 upserts in 1 transaction,"
            f" 1 chat.postEphemeral)",
            ratio.worst, f">= {END_TO_END_TARGET} of the competitor", ratio.worst >= END_TO_END_TARGET,
            median=ratio.median),
    ]
