"""What figure 4's runs share: a fake Slack Web API that notes when each reply arrives, a voting
session set up through our app, the signed clicks on its vote buttons, and the load generator."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy import insert, select

from adapters.outbox.budgets import Budget, Budgets
from adapters.slack.courier import courier_for
from bench.latency import CONCURRENCY
from facilitator import commands as cmd
from facilitator.domain.actors import Actor, Place
from facilitator.store.models import ItemRow, ParticipantRow
from tests.adapters.slack.harness import SECRET, SlackHarness, find_button, slack_config
from tests.fakes import slack_requests as sr
from tests.fakes.slack_api import Call, FakeSlackApi

TEAM, CHANNEL, HOST = "T1", "C1", "UHOST"
ITEMS = 9  # few enough for a button each (render.INLINE_VOTE_LIMIT)
VOTES_EACH = 3  # the default budget
REPLY = "chat.postEphemeral"


@dataclass
class TimedSlackApi(FakeSlackApi):
    """The fake Web API, noting when each private reply arrives (before it is answered)."""

    replies_at: list[float] = field(default_factory=list)

    async def _handle_api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] == REPLY:
            self.replies_at.append(time.perf_counter())
        return await super()._handle_api(request)

    def forget(self) -> None:
        """Between runs: nothing recorded so far counts for the next one."""
        self.calls.clear()
        self.replies_at.clear()

    async def all_replied(self, count: int, timeout: float = 120) -> float:
        """When the count-th reply arrived (its own time, however late this looks)."""
        await self.wait_for(lambda _: len(self.replies_at) >= count, timeout)
        return self.replies_at[count - 1]


async def started_fake(people: int) -> TimedSlackApi:
    fake = TimedSlackApi()
    # Figure 4 measures our app's own work against bare apps on the same fake, not Slack's
    # budget: every app here would wait out the same 429s. The burst under the real tiers is
    # a figure of its own.
    fake.rate_limits.enforce = False
    fake.install("xoxb-T1", TEAM)
    fake.add_user(TEAM, HOST, "Host")
    for p in range(people):
        fake.add_user(TEAM, f"V{p}", f"Voter {p}")
    await fake.start()
    return fake


@dataclass(frozen=True)
class Ballot:
    """A voting session ready for clicks: its id, the signed clicks, and which item each button is."""

    session_id: int
    voting: Call  # the message with the vote buttons
    buttons: dict[int, dict[str, Any]]  # item number -> its button
    items: dict[str, tuple[int, int]]  # button key -> (item number, item id)
    requests: list[dict[str, Any]]  # voter p's j-th click is on item (p + j) % ITEMS + 1

    def click(self, fake: FakeSlackApi, number: int, voter: int) -> dict[str, Any]:
        """Voter `voter` clicks item `number`'s button: a signed block_actions request."""
        action = {k: v for k, v in self.buttons[number].items() if k in ("action_id", "value", "type", "text")}
        signed = sr.block_action(SECRET, action=action, team_id=TEAM, user_id=f"V{voter}", channel_id=CHANNEL,
                                 message_ts=self.voting.response["ts"], thread_ts=self.voting.params["thread_ts"],
                                 response_url=fake.response_url("click"), user_name=f"voter{voter}")
        return {"body": signed.body, "headers": signed.headers}


def button_key(action: dict[str, Any]) -> str:
    return f"{action['action_id']}|{action.get('value', '')}"


async def voting_session(harness: SlackHarness, people: int, joined: bool = True) -> Ballot:
    """A session in voting phase, through our app. Items and participants go straight into the
    core; only the clicks are under test. `joined=False`: the voters never joined, so their
    first vote is also their first act (they are asked for a level)."""
    started = await harness.command(HOST, "start Bench session", expect=2)
    intro = next(c for c in started if c.method == "chat.postMessage")
    thread = intro.response["ts"]
    service = harness.core.service
    session_id = await service.session_for_thread(TEAM, str(intro.params["channel"]), thread)
    assert session_id is not None
    host = Actor(TEAM, HOST, "Host")
    for number in range(1, ITEMS + 1):
        await service.handle(host, Place("slack", CHANNEL, thread, session_id), cmd.Submit("do", f"Idea {number}"))
    now = datetime.now(UTC)
    async with harness.core.db.engine.begin() as connection:  # people who joined as newcomers
        if joined:
            await connection.execute(insert(ParticipantRow), [
                {"session_id": session_id, "user_id": f"V{p}", "name": f"Voter {p}", "level": "newcomer",
                 "votes_used": 0, "joined_at": now} for p in range(people)])
        ids = dict((await connection.execute(
            select(ItemRow.number, ItemRow.id).where(ItemRow.session_id == session_id))).all())
    (voting,) = await harness.command(HOST, "next")
    buttons = {n: find_button(voting, "vote", item=str(n)) for n in range(1, ITEMS + 1)}
    ballot = Ballot(session_id, voting, buttons, {button_key(buttons[n]): (n, ids[n]) for n in buttons}, [])
    ballot.requests.extend(ballot.click(harness.fake, (p + j) % ITEMS + 1, p)
                           for j in range(VOTES_EACH) for p in range(people))
    return ballot


async def prepared(fake: FakeSlackApi, database_url: str, people: int, joined: bool = True,
                   budgets: dict[str, Budget] | None = None) -> tuple[SlackHarness, Ballot]:
    """Our app on a fresh database with a voting session; the caller stops the harness.
    `budgets`: what the bot's outbox paces itself to (by default none: figure 4's fake never
    refuses, so every app there sends at once)."""
    harness = await SlackHarness.start(fake, slack_config(database_url, fake))
    courier_for(harness.bolt, harness.core.service).budgets = Budgets(budgets or {})
    try:
        return harness, await voting_session(harness, people, joined)
    except BaseException:
        await harness.stop()
        raise


async def load(url: str, requests: list[dict[str, Any]]) -> dict[str, Any]:
    """bench.http_load in its own process: the clicks at CONCURRENCY, every one acked with 200."""
    job = json.dumps({"url": url, "concurrency": CONCURRENCY, "requests": requests}).encode()
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.http_load", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        cwd=str(Path(__file__).resolve().parent.parent))
    out, _ = await child.communicate(job)
    if child.returncode != 0:
        raise RuntimeError(f"load generator exited with {child.returncode}")
    result: dict[str, Any] = json.loads(out)
    if result["statuses"] != {"200": len(requests)}:
        raise RuntimeError(f"not every request was acked with 200: {result['statuses']}")
    return result
