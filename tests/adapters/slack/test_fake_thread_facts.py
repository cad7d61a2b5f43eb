"""The bot against what Slack really sends in a session thread (PLATFORMS.md, "Field facts"),
from the real-format fixtures: mentions arrive twice, edits and deletions are hidden
subtypes, replies with files are `file_share`, text carries Slack's markup. Where the bot
gets it wrong today the test is a strict xfail naming the bug; the Slack work removes it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.adapters.slack.harness import SECRET, SlackHarness
from tests.fakes import slack_events as se
from tests.fakes import slack_payloads as sp
from tests.app.support import stored_document


async def deliver(slack: SlackHarness, body: dict[str, Any]) -> int:
    status, _ = await slack.http.post(sp.signed(SECRET, body))
    return status


async def settle(slack: SlackHarness, thread: str, marker: str) -> None:
    """Send a reply the bot surely handles and wait for its post: the work on everything sent
    before it is done by then (one session's thread work is serialised by the core)."""
    assert await deliver(slack, se.thread_reply(user="U6", channel="C1", thread_ts=thread, text=f"DO: {marker}")) == 200
    await slack.fake.wait_for(lambda f: [c for c in f.calls_to("chat.postMessage") if marker in c.params.get("text", "")])
    slack.resync()


async def session(slack: SlackHarness, *items: str) -> str:
    """A collecting session started by U1, joined by U2..U6, with `items` from U2; its thread."""
    started = await slack.command("U1", "start Field facts", expect=2)
    thread = str(next(c for c in started if c.method == "chat.postMessage").response["ts"])
    for user in ("U2", "U3", "U4", "U5", "U6"):
        await slack.command(user, "join veteran")
    for text in items:
        await slack.thread_reply("U2", thread, f"DO: {text}")
    return thread


async def item_texts(slack: SlackHarness) -> list[str]:
    return [item["text"] for item in (await stored_document(slack.core))["items"]]


async def test_a_mention_with_a_subcommand_runs_once(slack: SlackHarness) -> None:
    thread = await session(slack, "Alpha", "Bravo")
    await slack.command("U1", "next")  # voting
    message, app_mention = se.mention(bot_user_id="UBOTT1", user="U3", channel="C1", thread_ts=thread, text="vote 2")
    assert [await deliver(slack, message), await deliver(slack, app_mention)] == [200, 200]
    await slack.fake.wait_for(lambda f: [c for c in f.calls_to("chat.postEphemeral")
                                         if c.params.get("user") == "U3" and "#2" in c.params.get("text", "")], timeout=5)
    items = (await stored_document(slack.core))["items"]
    assert [item["votes"] for item in items] == [0, 1]  # once, though it arrived twice


async def test_editing_a_reply_changes_its_item(slack: SlackHarness) -> None:
    thread = await session(slack)
    original = se.thread_reply(user="U2", channel="C1", thread_ts=thread, text="DO: Follow people who disagree")
    assert await deliver(slack, original) == 200
    await slack.fake.wait_for(lambda f: [c for c in f.calls_to("chat.postMessage") if "disagree" in c.params.get("text", "")])
    assert await deliver(slack, se.edited(original, "DO: Follow people who disagree, kindly")) == 200
    await settle(slack, thread, "sentinel")
    assert await item_texts(slack) == ["Follow people who disagree, kindly", "sentinel"]


async def test_deleting_a_reply_withdraws_its_item(slack: SlackHarness) -> None:
    thread = await session(slack)
    original = se.thread_reply(user="U2", channel="C1", thread_ts=thread, text="DO: Something I regret")
    assert await deliver(slack, original) == 200
    await slack.fake.wait_for(lambda f: [c for c in f.calls_to("chat.postMessage") if "regret" in c.params.get("text", "")])
    assert await deliver(slack, se.deleted(original)) == 200
    await settle(slack, thread, "sentinel")
    assert await item_texts(slack) == ["sentinel"]


async def test_a_reply_with_a_file_is_an_item(slack: SlackHarness) -> None:
    thread = await session(slack)
    assert await deliver(slack, se.file_share(user="U4", channel="C1", thread_ts=thread,
                                              text="DO: Keep a public notebook")) == 200
    await settle(slack, thread, "sentinel")
    assert await item_texts(slack) == ["Keep a public notebook", "sentinel"]


async def test_a_reply_also_sent_to_the_channel_is_an_item(slack: SlackHarness) -> None:
    thread = await session(slack)
    assert await deliver(slack, se.thread_broadcast(user="U5", channel="C1", thread_ts=thread,
                                                    text="DON'T: Ask without thanking")) == 200
    await settle(slack, thread, "sentinel")
    assert await item_texts(slack) == ["Ask without thanking", "sentinel"]


async def test_other_bots_and_the_bots_own_posts_are_never_items(slack: SlackHarness) -> None:
    thread = await session(slack, "Alpha")
    (own_post,) = [c for c in slack.fake.calls_to("chat.postMessage") if "Alpha" in c.params.get("text", "")]
    echo = se.echo(own_post)
    echo["event"]["text"] = "DO: Alpha"  # even when our own post reads like a submission
    assert await deliver(slack, echo) == 200
    assert await deliver(slack, se.bot_message(channel="C1", thread_ts=thread, text="DO: Deploy on Fridays")) == 200
    await settle(slack, thread, "sentinel")
    assert await item_texts(slack) == ["Alpha", "sentinel"]


async def test_markup_in_a_reply_is_stored_as_readable_text(slack: SlackHarness) -> None:
    thread = await session(slack)
    said = "DO: Read <https://example.org/pln|the PLN guide> with <@U3> in <#C9|learning>, <!here>"
    assert await deliver(slack, se.thread_reply(user="U2", channel="C1", thread_ts=thread, text=said)) == 200
    await settle(slack, thread, "sentinel")
    text = (await item_texts(slack))[0]
    assert "<" not in text and ">" not in text, text
    assert all(part in text for part in ("the PLN guide", "learning", "here")), text
