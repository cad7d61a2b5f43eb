"""Slack HTTP workers as separate processes, and what people send them: signed slash
commands, button clicks and Events API deliveries, each addressed to one worker."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text

from tests.adapters.slack.harness import find_button
from tests.fakes import slack_requests as sr
from tests.fakes.slack_api import Call, FakeSlackApi
from tests.reliability.processes import (
    SLACK_BOT_TOKEN,
    SLACK_SIGNING_SECRET,
    BotProcess,
    poll,
    slack_bot,
    slack_events_url,
    wait_until_serving,
)

TEAM = "T1"
CHANNEL = "C1"


async def start_fake_slack(users: list[str]) -> FakeSlackApi:
    fake = FakeSlackApi()
    fake.install(SLACK_BOT_TOKEN, TEAM)
    for user in users:
        fake.add_user(TEAM, user, f"Person {user}", is_admin=False)
    await fake.start()
    return fake


def acknowledged(calls: list[Call]) -> Counter[tuple[str, int]]:
    """(user, item) -> votes the bots told that user they hold, from the private answers."""
    held: Counter[tuple[str, int]] = Counter()
    for call in calls:
        text, user = call.params.get("text", ""), call.params.get("user", "")
        if text.startswith("Voted for #"):
            held[(user, int(text.removeprefix("Voted for #").split(".")[0]))] += 1
        elif text.startswith("Took back your vote on #"):
            held[(user, int(text.removeprefix("Took back your vote on #").split(".")[0]))] -= 1
    return held


@dataclass
class SlackWorkers:
    """Some Slack worker processes sharing one database, and one HTTP client for each."""

    fake: FakeSlackApi
    database_url: str
    workdir: Path
    bots: list[BotProcess] = field(default_factory=list)
    clients: list[sr.BoltHttpClient | None] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)  # more environment for every worker

    async def start(self, count: int) -> None:
        for n in range(count):
            self.bots.append(slack_bot(f"slack-{n}", self.workdir, self.database_url, self.fake.base_url,
                                       extra=self.settings))
            self.clients.append(None)
        await asyncio.gather(*(self.restart(n) for n in range(count)))

    async def restart(self, n: int) -> None:
        """Start worker n (again, after a kill) and wait until it serves requests."""
        bot = self.bots[n]
        await bot.start()
        client = self.clients[n] or sr.BoltHttpClient(slack_events_url(bot))
        self.clients[n] = client
        await wait_until_serving(bot, client)

    async def close(self) -> None:
        await asyncio.gather(*(bot.stop() for bot in self.bots))
        for client in self.clients:
            if client is not None:
                await client.close()

    # -- sending ----------------------------------------------------------------------

    async def post(self, worker: int, request: sr.SignedRequest) -> None:
        """Deliver to one worker; Slack counts a 200 as delivered (and retries anything else)."""
        client = self.clients[worker % len(self.bots)]
        assert client is not None
        status, text = await client.post(request)
        assert status == 200, (self.bots[worker % len(self.bots)].name, status, text)

    async def post_all(self, deliveries: list[tuple[int, sr.SignedRequest]]) -> None:
        await asyncio.gather(*(self.post(worker, request) for worker, request in deliveries))

    def slash(self, user: str, text: str, channel: str = CHANNEL) -> sr.SignedRequest:
        return sr.slash_command(SLACK_SIGNING_SECRET, text=text, team_id=TEAM, user_id=user, channel_id=channel,
                                response_url=self.fake.response_url(f"{user}-{len(self.fake.calls)}"),
                                user_name=user.lower())

    def click(self, user: str, on: Call, name: str, **args: str) -> sr.SignedRequest:
        """A click on the `name` button with `args` of the message the bot posted in call `on`."""
        element = find_button(on, name, **args)
        action = {k: v for k, v in element.items() if k in ("action_id", "value", "type", "text")}
        message_ts = str(on.response.get("ts") or on.response.get("message_ts"))
        channel = str(on.params.get("channel") or CHANNEL)
        return sr.block_action(SLACK_SIGNING_SECRET, action=action, team_id=TEAM, user_id=user, channel_id=channel,
                               message_ts=message_ts, thread_ts=on.params.get("thread_ts"),
                               response_url=self.fake.response_url("click"), user_name=user.lower())

    def thread_reply(self, user: str, thread: str, text: str, event_id: str, retry_num: int | None = None,
                     event: dict[str, Any] | None = None) -> sr.SignedRequest:
        """An Events API delivery of a reply in the session thread. Pass the same `event` and
        `event_id` again with a `retry_num` for Slack's redelivery of it."""
        event = event or sr.thread_message(user_id=user, channel_id=CHANNEL, thread_ts=thread, text=text)
        return sr.event_callback(SLACK_SIGNING_SECRET, event=event, team_id=TEAM, event_id=event_id,
                                 retry_num=retry_num)

    # -- what the bots did -------------------------------------------------------------

    def ephemerals(self, user: str | None = None) -> list[Call]:
        return [c for c in self.fake.calls_to("chat.postEphemeral")
                if c.response.get("ok") and (user is None or c.params.get("user") == user)]

    def thread_posts(self, thread: str, containing: str = "") -> list[Call]:
        return [c for c in self.fake.calls_to("chat.postMessage")
                if c.response.get("ok") and c.params.get("thread_ts") == thread and containing in c.params.get("text", "")]

    async def nothing_owed(self) -> None:
        """Until no reply waits in the outbox (the bots send within Slack's budget, later)."""
        from facilitator.store.database import Database  # imported here: most tests never wait for it

        db = await Database.open(self.database_url, migrate=False)
        try:
            async def empty() -> bool:
                async with db.engine.connect() as connection:
                    return not (await connection.execute(text("SELECT count(*) FROM outbox"))).scalar()

            await poll(empty, "the outbox to empty", alive=self.bots)
        finally:
            await db.close()

    async def until(self, predicate: Any, what: str) -> Any:
        async def check() -> Any:
            return predicate()

        return await poll(check, what, alive=self.bots)

    async def start_session(self, worker: int, facilitator: str, title: str) -> tuple[Call, str]:
        """`/pln start` on one worker; the intro, and its ts (the session thread) once recorded."""
        await self.post(worker, self.slash(facilitator, f"start {title}"))
        intro: Call = await self.until(lambda: next((c for c in self.fake.calls_to("chat.postMessage")
                                                     if c.response.get("ok") and not c.params.get("thread_ts")
                                                     and title in c.params.get("text", "")), None), "the intro")
        # The starter's notice comes after the thread is recorded in the database.
        await self.until(lambda: self.ephemerals(facilitator), "the starter's notice")
        return intro, str(intro.response["ts"])
