"""A passed deadline (`/pln timer`) is posted into the session's Slack thread, once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.slack.timed import SlackTimedPhases
from tests.adapters.slack.harness import SlackHarness, slack_config


async def test_time_up_is_posted_in_the_session_thread(slack: SlackHarness) -> None:
    started = await slack.command("U1", "start Timed", expect=2)
    intro = next(c for c in started if c.method == "chat.postMessage" and not c.params.get("thread_ts"))
    thread = intro.response["ts"]
    await slack.command("U2", "do Give before you ask", expect=2)  # the item, and "pick a level"
    (timer,) = await slack.command("U1", "timer 1m")
    assert timer.params["thread_ts"] == thread and "Collecting ends and voting opens in 1 min" in timer.params["text"]

    fired = await slack.core.service.fire_due(datetime.now(UTC) + timedelta(minutes=2))
    assert [session_id for session_id, _ in fired] == [1]
    before = len(slack.delivered())
    await SlackTimedPhases(slack.bolt, slack.core.service, slack_config("unused", slack.fake).slack).post(*fired[0])
    posted = slack.delivered()[before:]
    assert [c.method for c in posted] == ["chat.postMessage", "chat.postMessage"]
    assert all(c.params["thread_ts"] == thread and c.params["channel"] == "C1" for c in posted)
    assert posted[0].params["text"] == "Time's up for collecting."
    assert posted[1].params["text"].startswith("Voting is open.")
    slack.resync()
    assert await slack.core.service.fire_due(datetime.now(UTC) + timedelta(minutes=3)) == []
