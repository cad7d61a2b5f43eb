"""Commands where people are: in the session thread Slack runs no slash command, so a reply
that mentions the bot runs as /pln for its author, once, and everything said there shows the
forms that work there. Real-format deliveries (fixtures/slack) through the real Bolt app."""

from __future__ import annotations

from typing import Any

import pytest

from tests.adapters.slack.harness import SECRET, SlackHarness
from tests.app.support import stored_document
from tests.fakes import slack_events as se
from tests.fakes import slack_payloads as sp
from tests.fakes.mentions import unintended_mentions
from tests.fakes.slack_api import Call

BOT = "UBOTT1"  # the fake's bot user in workspace T1


async def deliver(slack: SlackHarness, body: dict[str, Any], retry_num: int | None = None) -> int:
    status, _ = await slack.http.post(sp.signed(SECRET, body, retry_num=retry_num))
    return status


def ephemerals(slack: SlackHarness, user: str, *, containing: str = "") -> list[Call]:
    return [c for c in slack.fake.calls_to("chat.postEphemeral")
            if c.ok and c.params.get("user") == user and containing in c.params.get("text", "")]


async def voting_session(slack: SlackHarness, items: int) -> tuple[str, Call]:
    """A session by U1 with `items` DOs from U2, joined by U3, in voting; its thread and the
    voting post."""
    started = await slack.command("U1", "start Threads", expect=2)
    thread = str(next(c for c in started if c.method == "chat.postMessage").response["ts"])
    for user in ("U2", "U3"):
        await slack.command(user, "join veteran")
    for n in range(1, items + 1):
        await slack.thread_reply("U2", thread, f"DO: Idea {n}")
    (voting,) = await slack.command("U1", "next")
    return thread, voting


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_a_mention_in_the_thread_votes_once_though_slack_delivers_it_three_times(slack: SlackHarness) -> None:
    thread, _ = await voting_session(slack, items=5)
    told_before = len(ephemerals(slack, "U3"))
    message, app_mention = se.mention(bot_user_id=BOT, user="U3", channel="C1", thread_ts=thread, text="vote 2 5")
    assert message["event_id"] != app_mention["event_id"] and message["event"]["ts"] == app_mention["event"]["ts"]
    # The app_mention first this time, then the message event, then Slack's retry of the first.
    assert [await deliver(slack, app_mention), await deliver(slack, message),
            await deliver(slack, app_mention, retry_num=1)] == [200, 200, 200]
    (voted,) = await slack.fake.wait_for(lambda _: ephemerals(slack, "U3", containing="Voted for #2, #5"))
    assert voted.params["thread_ts"] == thread and voted.params["channel"] == "C1"  # answered where they are
    slack.resync()
    await slack.send(sp.signed(SECRET, se.mention(bot_user_id=BOT, user="U2", channel="C1", thread_ts=thread,
                                                  text="status")[0]))  # everything sent before it is done
    assert [item["votes"] for item in (await stored_document(slack.core))["items"]] == [0, 1, 0, 0, 1]
    assert len(ephemerals(slack, "U3")) == told_before + 1  # one answer: no "already voted" for the copies


async def test_the_fixture_mention_runs_for_its_author(slack: SlackHarness) -> None:
    """The very deliveries of fixtures/slack/event_message_mentioning_bot.json and event_app_mention.json."""
    thread, _ = await voting_session(slack, items=5)
    ts = sp.new_ts()
    for fixture in ("event_message_mentioning_bot", "event_app_mention"):
        body = sp.with_fields(sp.load(fixture), {"event_id": sp.new_event_id(), "event.thread_ts": thread,
                                                 "event.ts": ts, "event.event_ts": ts})
        assert await deliver(slack, body) == 200
    await slack.fake.wait_for(lambda _: ephemerals(slack, "U3", containing="Voted for #2, #5"))


async def test_guidance_in_the_thread_shows_the_forms_that_work_there(slack: SlackHarness) -> None:
    thread, voting = await voting_session(slack, items=2)
    # Posted into the thread: how to vote there.
    assert "`@facilitator vote N [N ...]`" in voting.params["text"] and "/pln" not in voting.params["text"]
    assert "/pln" not in str(voting.json_param("blocks"))

    async def mention(text: str) -> Call:
        (answer,) = await slack.send(sp.signed(SECRET, se.mention(bot_user_id=BOT, user="U3", channel="C1",
                                                                  thread_ts=thread, text=text)[0]))
        assert answer.method == "chat.postEphemeral" and answer.params["thread_ts"] == thread
        return answer

    helped = await mention("help")
    shown = helped.params["text"] + str(helped.json_param("blocks"))
    assert "@facilitator vote" in shown and "In the session thread" in shown and "DO:" in shown
    assert "\n/pln " not in helped.params["text"]
    wrong = await mention("frobnicate")
    assert "`@facilitator help`" in wrong.params["text"] and "`/pln" not in wrong.params["text"]
    await mention("unvote 1")  # a refusal in the thread: no vote to take back
    spent = await mention("vote 1 2")
    assert "Voted for #1, #2" in spent.params["text"]
    over = await mention("vote 1")
    assert "/pln" not in over.params["text"], over.params["text"]
    # The same command typed as /pln in the channel keeps the /pln form.
    (typed,) = await slack.command("U3", "frobnicate")
    assert "`/pln help`" in typed.params["text"] and not typed.params.get("thread_ts")
    assert unintended_mentions(slack.fake.calls) == []


async def test_the_intro_says_how_to_take_part_in_the_thread(slack: SlackHarness) -> None:
    (intro, _) = await slack.command("U1", "start", expect=2)
    shown = intro.params["text"] + str(intro.json_param("blocks"))
    assert "`/pln join newcomer`" in shown or "/pln join" in shown  # the channel's own forms stay
    assert "`@facilitator vote 2 5`" in shown and "Slack doesn't run /pln in threads" in shown


async def test_a_mention_adds_an_item_in_the_thread_and_works_at_the_top_of_the_channel(slack: SlackHarness) -> None:
    started = await slack.command("U1", "start", expect=2)
    thread = str(started[0].response["ts"])
    await slack.command("U2", "join newcomer")
    (item,) = await slack.send(sp.signed(SECRET, se.mention(bot_user_id=BOT, user="U2", channel="C1", thread_ts=thread,
                                                            text="do Share first")[0]))
    assert item.method == "chat.postMessage" and item.params["thread_ts"] == thread and "Share first" in item.params["text"]
    top = se.mention(bot_user_id=BOT, user="U2", channel="C1", thread_ts=thread, text="status")[1]
    del top["event"]["thread_ts"], top["event"]["parent_user_id"]  # said at the top of the channel
    (status,) = await slack.send(sp.signed(SECRET, top))
    assert status.method == "chat.postEphemeral" and not status.params.get("thread_ts")
    assert [i["text"] for i in (await stored_document(slack.core))["items"]] == ["Share first"]


async def test_chat_that_mentions_the_bot_mid_sentence_is_left_alone(slack: SlackHarness) -> None:
    started = await slack.command("U1", "start", expect=2)
    thread = str(started[0].response["ts"])
    said = se.thread_reply(user="U2", channel="C1", thread_ts=thread, text=f"thanks <@{BOT}>, vote 1 later")
    assert await deliver(slack, said) == 200
    await slack.send(sp.signed(SECRET, se.mention(bot_user_id=BOT, user="U2", channel="C1", thread_ts=thread,
                                                  text="status")[0]))
    assert [c.params["user"] for c in slack.fake.calls_to("chat.postEphemeral")][1:] == ["U2"]  # the status only
