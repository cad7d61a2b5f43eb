"""The event builders deliver what Slack delivers: both events for a mention, edits and
deletions as hidden subtypes, files, broadcasts, other bots, and the bot's own posts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes import slack_events as se
from tests.fakes import slack_payloads as sp
from tests.fakes.slack_api import FakeSlackApi

SECRET = "events-signing-secret"
THREAD = "1765000000.000100"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackApi]:
    api = FakeSlackApi()
    api.install("xoxb-T1", "T1")
    await api.start()
    yield api
    await api.stop()


async def deliver(fake: FakeSlackApi, *bodies: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Send each body through a Bolt app listening for message, app_mention and shortcuts."""
    app = AsyncApp(client=AsyncWebClient(token="xoxb-T1", base_url=fake.base_url), signing_secret=SECRET,
                   process_before_response=True)
    seen: list[tuple[str, dict[str, Any]]] = []

    @app.event("message")
    async def on_message(event: dict[str, Any]) -> None:
        seen.append(("message", event))

    @app.event("app_mention")
    async def on_mention(event: dict[str, Any]) -> None:
        seen.append(("app_mention", event))

    @app.shortcut("pln_add_as_item")
    async def on_shortcut(ack: Any, shortcut: dict[str, Any]) -> None:
        await ack()
        seen.append(("message_action", shortcut))

    for body in bodies:
        request = sp.signed(SECRET, body)
        response = await app.async_dispatch(sp.bolt_request(request))
        assert response.status == 200, response.body
    return seen


async def test_a_mention_in_a_thread_arrives_as_two_events(fake: FakeSlackApi) -> None:
    message, app_mention = se.mention(bot_user_id="UBOTT1", user="U3", channel="C1", thread_ts=THREAD, text="vote 2 5")
    assert message["event_id"] != app_mention["event_id"]
    assert message["event"]["ts"] == app_mention["event"]["ts"]
    assert (message["event"]["type"], app_mention["event"]["type"]) == ("message", "app_mention")
    seen = await deliver(fake, message, app_mention)
    assert [kind for kind, _ in seen] == ["message", "app_mention"]
    assert all(e["text"] == "<@UBOTT1> vote 2 5" and e["thread_ts"] == THREAD and e["user"] == "U3" for _, e in seen)


async def test_an_edit_and_a_deletion_are_hidden_subtypes_naming_the_original(fake: FakeSlackApi) -> None:
    original = se.thread_reply(user="U2", channel="C1", thread_ts=THREAD, text="DO: first thought")
    change = se.edited(original, "DO: second thought")
    gone = se.deleted(original)
    ts = original["event"]["ts"]
    event = change["event"]
    assert (event["subtype"], event["hidden"]) == ("message_changed", True)
    assert (event["message"]["text"], event["message"]["ts"], event["message"]["thread_ts"]) == ("DO: second thought", ts, THREAD)
    assert event["message"]["edited"]["user"] == "U2" and event["previous_message"]["text"] == "DO: first thought"
    assert event["ts"] != ts  # the change is an event of its own
    assert (gone["event"]["subtype"], gone["event"]["hidden"], gone["event"]["deleted_ts"]) == ("message_deleted", True, ts)
    assert gone["event"]["previous_message"]["text"] == "DO: first thought"
    assert len({original["event_id"], change["event_id"], gone["event_id"]}) == 3
    seen = await deliver(fake, original, change, gone)
    assert [e.get("subtype") for _, e in seen] == [None, "message_changed", "message_deleted"]


async def test_files_broadcasts_and_other_bots_carry_their_subtypes(fake: FakeSlackApi) -> None:
    shared = se.file_share(user="U4", channel="C1", thread_ts=THREAD, text="DO: Keep a public notebook")
    broadcast = se.thread_broadcast(user="U5", channel="C1", thread_ts=THREAD, text="DON'T: Ask without thanking")
    other_bot = se.bot_message(channel="C1", thread_ts=THREAD, text="DO: Deploy on Fridays")
    assert shared["event"]["files"][0]["user"] == "U4" and shared["event"]["text"] == "DO: Keep a public notebook"
    assert broadcast["event"]["root"]["ts"] == THREAD
    assert "user" not in other_bot["event"] and other_bot["event"]["bot_id"] != "BBOTT1"
    seen = await deliver(fake, shared, broadcast, other_bot)
    assert [e["subtype"] for _, e in seen] == ["file_share", "thread_broadcast", "bot_message"]
    assert all(e["thread_ts"] == THREAD for _, e in seen)


async def test_the_bots_own_post_comes_back_and_bolt_drops_it(fake: FakeSlackApi) -> None:
    client = AsyncWebClient(token="xoxb-T1", base_url=fake.base_url)
    await client.chat_postMessage(channel="C1", thread_ts=THREAD, text="#3 DO: Keep a public notebook")
    (posted,) = fake.calls_to("chat.postMessage")
    echoed = se.echo(posted)
    event = echoed["event"]
    assert (event["bot_id"], event["user"], event["ts"], event["thread_ts"]) == ("BBOTT1", "UBOTT1", posted.response["ts"], THREAD)
    assert event["text"] == "#3 DO: Keep a public notebook"
    assert await deliver(fake, echoed) == []  # Bolt's ignoring_self_events acks it; no listener sees it
    other = sp.with_fields(echoed, {"event.bot_id": "B0OTHER", "event.user": "U0OTHERBOT"})
    assert [kind for kind, _ in await deliver(fake, other)] == ["message"]  # the check is real


async def test_a_message_shortcut_carries_the_message(fake: FakeSlackApi) -> None:
    reply = se.thread_reply(user="U5", channel="C1", thread_ts=THREAD, text="We should read <https://example.org|the guide>")
    action = se.message_action(reply, user="U2", trigger_id=fake.trigger_id())
    [(kind, shortcut)] = await deliver(fake, action)
    assert kind == "message_action"
    assert (shortcut["message"]["ts"], shortcut["message"]["thread_ts"], shortcut["channel"]["id"]) == (
        reply["event"]["ts"], THREAD, "C1")
    assert shortcut["message_ts"] == reply["event"]["ts"] and shortcut["user"]["id"] == "U2"
    assert shortcut["message"]["text"] == "We should read <https://example.org|the guide>"
