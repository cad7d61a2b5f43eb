"""Pledges on Slack, through the real Bolt app against the fake Web API: the follow-up comes as a
direct message (chat.postMessage to the user id, so it needs no channel membership and outlives
the thread), and its Done button works from that DM, telling the session's thread."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.slack.timed import SlackTimedPhases
from tests.adapters.slack.harness import SlackHarness, find_button, slack_config


async def test_a_follow_up_comes_by_direct_message_and_its_done_button_works(slack: SlackHarness) -> None:
    started = await slack.command("U1", "start Pledges", expect=2)
    thread = next(c for c in started if c.method == "chat.postMessage" and not c.params.get("thread_ts")).response["ts"]
    await slack.command("U1", "settings followup=1h")
    await slack.command("U2", "join newcomer")
    pledged = await slack.command("U2", "pledge Answer one newcomer question a week", expect=2)
    public = next(c for c in pledged if c.method == "chat.postMessage")
    assert public.params["thread_ts"] == thread and "New pledge #1 from" in public.params["text"]

    fired = await slack.core.service.fire_due(datetime.now(UTC) + timedelta(hours=2))
    before = len(slack.delivered())
    await SlackTimedPhases(slack.bolt, slack.core.service, slack_config("unused", slack.fake).slack).post(*fired[0])
    (followup,) = slack.delivered()[before:]
    assert followup.method == "chat.postMessage" and followup.params["channel"] == "U2"
    assert followup.response["channel"].startswith("D") and not followup.params.get("thread_ts")
    assert "did you do what you pledged?" in followup.params["text"]
    for name in ("pledge_done", "pledge_later", "pledge_drop"):
        find_button(followup, name, pledge="1", session="1")
    slack.resync()

    clicked = await slack.click("U2", find_button(followup, "pledge_done"), on=followup)
    (kept,) = clicked
    assert kept.method == "chat.postMessage" and kept.params["channel"] == "C1" and kept.params["thread_ts"] == thread
    assert "kept: Answer one newcomer question a week" in kept.params["text"]
    again = await slack.click("U2", find_button(followup, "pledge_done"), on=followup)
    (told,) = again  # the clicker's own answer comes back into the DM
    assert told.method == "chat.postMessage" and told.params["channel"] == "U2"
    assert told.params["text"] == "Pledge #1 is already done."
    assert await slack.core.service.fire_due(datetime.now(UTC) + timedelta(days=30)) == []


async def test_the_next_intro_reviews_open_pledges_in_its_blocks(slack: SlackHarness) -> None:
    await slack.command("U1", "start First", expect=2)
    await slack.command("U2", "join newcomer")
    await slack.command("U2", "pledge Answer one question & say thanks", expect=2)
    await slack.command("U1", "end", expect=2)  # the phase notice and the summary
    started = await slack.command("U1", "start Second", expect=2)
    intro = next(c for c in started if c.method == "chat.postMessage" and not c.params.get("thread_ts"))
    assert intro.response["ok"]  # the fake checks Block Kit's limits
    texts = [b["text"]["text"] for b in intro.json_param("blocks") if b.get("type") == "section"]
    review = next(text for text in texts if "Pledges still open from earlier sessions here" in text)
    # Escaped for Slack: an & in a pledge is text, never the start of an entity.
    assert "Answer one question &amp; say thanks" in review and "session 1, #1 from" in review
