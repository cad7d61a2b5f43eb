"""Items follow the messages they came from (edits, deletions, files), threads are found in
their own channel, and "Add to workshop" turns any message into an item: real-format
deliveries (fixtures/slack) through the real Bolt app, over signed HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from tests.adapters.slack.harness import SECRET, SlackHarness
from tests.app.support import stored_document
from tests.fakes import slack_events as se
from tests.fakes import slack_payloads as sp
from tests.fakes.slack_api import Call

Envelope = dict[str, Any]


async def started(slack: SlackHarness) -> str:
    calls = await slack.command("U1", "start Edits", expect=2)
    thread = str(next(c for c in calls if c.method == "chat.postMessage").response["ts"])
    for user in ("U2", "U3"):
        await slack.command(user, "join veteran")
    return thread


async def said(slack: SlackHarness, thread: str, text: str, user: str = "U2") -> tuple[Envelope, Call]:
    """A thread reply delivered, and the item post it led to."""
    reply = se.thread_reply(user=user, channel="C1", thread_ts=thread, text=text)
    (post,) = await slack.send(sp.signed(SECRET, reply))
    assert post.method == "chat.postMessage" and post.params["thread_ts"] == thread
    return reply, post


async def items(slack: SlackHarness) -> list[tuple[int, str, str]]:
    return [(i["number"], i["kind"], i["text"]) for i in (await stored_document(slack.core))["items"]]


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_an_edit_while_collecting_changes_the_item_and_its_post(slack: SlackHarness) -> None:
    thread = await started(slack)
    original, post = await said(slack, thread, "DO: Follow people who disagree")
    (updated,) = await slack.send(sp.signed(SECRET, se.edited(original, "DON'T: Follow only people who agree")))
    assert updated.method == "chat.update" and updated.ok
    assert updated.params["ts"] == post.response["ts"] and "Follow only people who agree" in updated.params["text"]
    assert await items(slack) == [(1, "dont", "Follow only people who agree")]
    await said(slack, thread, "DO: Next")  # numbering goes on
    assert [n for n, _, _ in await items(slack)] == [1, 2]


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_a_deleted_reply_withdraws_its_item_and_its_post_says_so(slack: SlackHarness) -> None:
    thread = await started(slack)
    original, post = await said(slack, thread, "DO: Something I regret")
    await said(slack, thread, "DO: Something I keep", user="U3")
    (withdrawn,) = await slack.send(sp.signed(SECRET, se.deleted(original)))
    assert withdrawn.method == "chat.update" and withdrawn.params["ts"] == post.response["ts"]
    assert "withdrawn" in withdrawn.params["text"] and "regret" not in str(withdrawn.params)
    assert await items(slack) == [(2, "do", "Something I keep")]


async def test_the_fixture_edit_and_deletion_reach_the_item(slack: SlackHarness) -> None:
    """fixtures/slack/event_message_changed.json and event_message_deleted.json, as Slack sends them."""
    thread = await started(slack)
    ts = sp.new_ts()
    original = sp.with_fields(sp.load("event_message_thread_reply"), {
        "event_id": sp.new_event_id(), "event.thread_ts": thread, "event.ts": ts, "event.event_ts": ts})
    await slack.send(sp.signed(SECRET, original))
    for fixture, expect in (("event_message_changed", [(1, "do", "Follow people who disagree with you, kindly")]),
                            ("event_message_deleted", [])):
        change = sp.with_fields(sp.load(fixture), {"event_id": sp.new_event_id(), "event.ts": sp.new_ts(),
                                                   "event.previous_message.ts": ts,
                                                   "event.previous_message.thread_ts": thread})
        if fixture == "event_message_changed":
            change["event"]["message"].update(ts=ts, thread_ts=thread)
        else:
            change["event"]["deleted_ts"] = ts
        (update,) = await slack.send(sp.signed(SECRET, change))
        assert update.method == "chat.update"
        assert await items(slack) == expect


async def test_after_collecting_edits_and_deletions_leave_the_item_and_the_author_is_told(slack: SlackHarness) -> None:
    thread = await started(slack)
    original, _ = await said(slack, thread, "DO: Keep notes")
    await slack.command("U1", "next")  # voting
    for change in (se.edited(original, "DO: Keep secret notes"), se.deleted(original)):
        (told,) = await slack.send(sp.signed(SECRET, change))
        assert told.method == "chat.postEphemeral" and told.params["user"] == "U2"
        assert told.params["thread_ts"] == thread and "voting" in told.params["text"]
        assert "`@facilitator hide 1`" in told.params["text"] or "stays as it was" in told.params["text"]
    assert await items(slack) == [(1, "do", "Keep notes")]
    assert slack.fake.calls_to("chat.update") == []


async def test_a_message_edited_into_a_submission_is_new_and_an_unfurl_is_no_edit(slack: SlackHarness) -> None:
    thread = await started(slack)
    chat = se.thread_reply(user="U3", channel="C1", thread_ts=thread, text="I think we should thank people")
    assert (await slack.http.post(sp.signed(SECRET, chat)))[0] == 200
    (posted,) = await slack.send(sp.signed(SECRET, se.edited(chat, "DO: Thank people in public")))
    assert posted.method == "chat.postMessage" and "Thank people in public" in posted.params["text"]
    unfurled = se.edited(chat, "DO: Thank people in public")
    unfurled["event"]["previous_message"]["text"] = unfurled["event"]["message"]["text"]  # Slack added a preview
    assert (await slack.http.post(sp.signed(SECRET, unfurled)))[0] == 200
    await said(slack, thread, "DO: Sentinel")  # everything sent before it is done
    assert await items(slack) == [(1, "do", "Thank people in public"), (2, "do", "Sentinel")]
    assert slack.fake.calls_to("chat.update") == []


async def test_a_reply_with_a_file_is_an_item_without_the_file(slack: SlackHarness) -> None:
    thread = await started(slack)
    shared = sp.with_fields(sp.load("event_message_file_share"), {
        "event_id": sp.new_event_id(), "event.thread_ts": thread, "event.ts": sp.new_ts(), "event.user": "U3"})
    (post,) = await slack.send(sp.signed(SECRET, shared))
    assert "Keep a public notebook (mine attached)" in post.params["text"]
    assert await items(slack) == [(1, "do", "Keep a public notebook (mine attached)")]
    assert "files.slack.com" not in str((await stored_document(slack.core)))


async def test_a_reply_in_another_channel_with_the_same_thread_ts_is_not_captured(slack: SlackHarness) -> None:
    thread = await started(slack)
    elsewhere = se.thread_reply(user="U2", channel="C2", thread_ts=thread, text="DO: Wrong room")
    assert (await slack.http.post(sp.signed(SECRET, elsewhere)))[0] == 200
    await said(slack, thread, "DO: Right room")
    assert await items(slack) == [(1, "do", "Right room")]


async def test_add_to_workshop_turns_a_message_into_an_item_through_the_same_modal(slack: SlackHarness) -> None:
    thread = await started(slack)
    message = se.thread_reply(user="U5", channel="C1", thread_ts=thread,
                              text="We should read <https://example.org/pln|the PLN guide> together, <@U3>")
    shortcut = se.message_action(message, user="U2", trigger_id=slack.fake.trigger_id(),
                                 response_url=slack.fake.response_url("U2"))
    (opened,) = await slack.send(sp.signed(SECRET, shortcut))
    assert opened.method == "views.open" and opened.ok
    view = opened.json_param("view")
    kind, text = view["blocks"]
    assert [o["value"] for o in kind["element"]["options"]] == ["do", "dont"]
    assert text["element"]["initial_value"] == "We should read the PLN guide (https://example.org/pln) together, @Cid"
    values = {"kind": {"choice": {"type": "radio_buttons", "selected_option": kind["element"]["options"][1]}},
              "item": {"text": {"type": "plain_text_input", "value": text["element"]["initial_value"]}}}
    from tests.fakes import slack_requests as sr
    (posted,) = await slack.send(sr.view_submission(SECRET, view=view, values=values, team_id="T1", user_id="U2",
                                                    trigger_id=slack.fake.trigger_id()))
    assert posted.method == "chat.postMessage" and posted.params["thread_ts"] == thread
    assert await items(slack) == [(1, "dont", "We should read the PLN guide (https://example.org/pln) together, @Cid")]


async def test_add_to_workshop_where_no_session_takes_items_says_why_and_opens_nothing(slack: SlackHarness) -> None:
    thread = await started(slack)
    await slack.command("U1", "end", expect=2)
    for in_thread, reason in ((thread, "closed"), (None, "no open session")):
        fixture = sp.with_fields(sp.load("shortcut_message_action"), {
            "trigger_id": slack.fake.trigger_id(), "response_url": slack.fake.response_url("U5")})
        if in_thread:
            fixture["message"]["thread_ts"] = in_thread  # a reply in the closed session's thread
        else:
            del fixture["message"]["thread_ts"], fixture["message"]["parent_user_id"]  # a post in the channel
        (told,) = await slack.send(sp.signed(SECRET, fixture))
        assert told.method == "chat.postEphemeral" and told.params["user"] == "U5" and reason in told.params["text"]
        assert told.params.get("thread_ts") == in_thread
    assert slack.fake.calls_to("views.open") == []
