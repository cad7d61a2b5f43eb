"""A burst of clicks: every one is acked at once, and the work behind them runs a few at a time."""

from __future__ import annotations

import asyncio
from typing import Any

from adapters.pacing import SQLITE_SLOTS
from tests.adapters.slack.harness import SECRET, SlackHarness, find_button
from tests.fakes import slack_requests as sr
from tests.inflight import InFlight
from tests.app.support import stored_document
from tests.sqlite_lock import sqlite_path, write_lock_held

VOTERS = [f"UV{n:02d}" for n in range(3 * SQLITE_SLOTS)]


async def test_clicks_are_all_acked_while_the_work_waits_and_at_most_a_few_run_at_once(
    slack: SlackHarness, database_url: str
) -> None:
    for user in VOTERS:
        slack.fake.add_user("T1", user, f"Voter {user}")
    started = await slack.command("U1", "start", expect=2)
    intro = next(c for c in started if c.method == "chat.postMessage")
    await slack.command("U1", "do Keep notes", expect=2)
    (voting,) = await slack.command("U1", "next")
    button = {k: v for k, v in find_button(voting, "vote", item="1").items() if k in ("action_id", "value", "type", "text")}
    in_flight = InFlight(slack.core.service)

    def click(user: str) -> sr.SignedRequest:
        return sr.block_action(SECRET, action=button, team_id="T1", user_id=user, channel_id="C1",
                               message_ts=voting.response["ts"], thread_ts=voting.params.get("thread_ts"),
                               response_url=slack.fake.response_url(user))

    async with write_lock_held(sqlite_path(database_url)) as release:
        # Another process holds the database: no vote can finish, yet every click is answered.
        answers: list[tuple[int, Any]] = await asyncio.gather(*(slack.http.post(click(user)) for user in VOTERS))
        assert [status for status, _ in answers] == [200] * len(VOTERS)
        await slack.fake.wait_for(lambda _: in_flight.now >= SQLITE_SLOTS or None)
        await asyncio.sleep(0.3)  # time for any more work to start, if anything let it
        assert in_flight.most == SQLITE_SLOTS  # the other clicks' work waits its turn
        release.set()
        voted = await slack.fake.wait_for(
            lambda f: [c for c in f.calls_to("chat.postEphemeral") if "Voted for #1" in c.params.get("text", "")]
            if len([c for c in f.calls_to("chat.postEphemeral") if "Voted for #1" in c.params.get("text", "")])
            == len(VOTERS) else None)

    assert sorted(c.params["user"] for c in voted) == sorted(VOTERS)
    assert in_flight.most == SQLITE_SLOTS
    assert (await stored_document(slack.core))["items"][0]["votes"] == len(VOTERS)
