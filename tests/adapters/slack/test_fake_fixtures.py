"""Every real-format fixture loads, is signed as Slack signs it, and goes through Bolt's own
request parsing and signature check to the listener for its kind, arriving unchanged."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes import slack_payloads as sp
from tests.fakes.slack_api import FakeSlackApi

SECRET = "fixture-signing-secret"
SELF_EVENTS = {"event_message_from_this_bot"}  # Bolt acks and drops the app's own posts


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackApi]:
    api = FakeSlackApi()
    api.install("xoxb-T1", "T1")
    await api.start()
    yield api
    await api.stop()


def recording_app(fake: FakeSlackApi) -> tuple[AsyncApp, list[tuple[str, dict[str, Any]]]]:
    """A Bolt app that acks everything and records (listener kind, body) for each request."""
    app = AsyncApp(client=AsyncWebClient(token="xoxb-T1", base_url=fake.base_url), signing_secret=SECRET,
                   process_before_response=True)
    seen: list[tuple[str, dict[str, Any]]] = []

    def recorder(kind: str) -> Any:
        async def listener(ack: Any, body: dict[str, Any]) -> None:
            await ack()
            seen.append((kind, body))
        return listener

    app.command("/pln")(recorder("command"))
    app.action(re.compile(".*"))(recorder("action"))
    app.view(re.compile(".*"))(recorder("view"))
    app.shortcut(re.compile(".*"))(recorder("shortcut"))
    for event in ("message", "app_mention", "app_home_opened", "app_uninstalled", "tokens_revoked"):
        app.event(event)(recorder(f"event:{event}"))
    return app, seen


def expected_listener(name: str, payload: dict[str, Any]) -> str:
    kind = sp.kind_of(payload)
    if kind == "command":
        return "command"
    if kind == "event":
        return f"event:{payload['event']['type']}"
    return {"block_actions": "action", "view_submission": "view", "message_action": "shortcut"}[payload["type"]]


def test_the_fixture_set_covers_every_shape_the_brief_names() -> None:
    assert len(sp.names()) >= 27
    for needed in ("command_channel", "command_dm", "command_mpdm", "command_grid", "action_button_on_intro",
                   "action_button_in_thread", "action_static_select", "action_button_on_ephemeral", "view_submission",
                   "shortcut_message_action", "event_app_mention", "event_message_changed", "event_message_deleted",
                   "event_message_file_share", "event_message_thread_broadcast", "event_message_bot_message",
                   "event_app_home_opened", "event_app_uninstalled", "event_tokens_revoked",
                   "event_message_grid_org_install", "event_message_grid_shared_channel", "event_message_slack_connect"):
        assert needed in sp.names()


@pytest.mark.parametrize("name", sp.names())
async def test_fixture_round_trips_through_bolt(fake: FakeSlackApi, name: str) -> None:
    payload = sp.load(name)
    request = sp.signed(SECRET, payload)
    headers = request.headers
    assert SignatureVerifier(SECRET).is_valid(request.body, headers["x-slack-request-timestamp"],
                                              headers["x-slack-signature"])
    app, seen = recording_app(fake)
    response = await app.async_dispatch(sp.bolt_request(request))
    assert response.status == 200, (name, response.body)
    if name in SELF_EVENTS:
        assert seen == []
        return
    [(listener, body)] = seen
    assert listener == expected_listener(name, payload)
    assert body == payload  # nothing lost or changed by the encoding Slack uses for this kind


@pytest.mark.parametrize("name", ["command_channel", "action_button_on_intro", "event_message_thread_reply"])
async def test_bolt_refuses_a_fixture_with_a_bad_or_stale_signature(fake: FakeSlackApi, name: str) -> None:
    app, seen = recording_app(fake)
    payload = sp.load(name)
    forged = sp.signed("not-the-secret", payload)
    stale = sp.signed(SECRET, payload, timestamp=int(time.time()) - 301)
    for request in (forged, stale):
        response = await app.async_dispatch(sp.bolt_request(request))
        assert response.status == 401
    assert seen == []


def test_overrides_follow_existing_paths_only() -> None:
    body = sp.with_fields(sp.load("event_message_thread_reply"), {"event.text": "DO: x", "authorizations.0.team_id": "T9"})
    assert (body["event"]["text"], body["authorizations"][0]["team_id"]) == ("DO: x", "T9")
    assert sp.load("event_message_thread_reply")["event"]["text"] != "DO: x"  # the fixture itself is untouched
    with pytest.raises(KeyError):
        sp.with_fields(body, {"evnet.text": "typo"})


def test_no_slash_command_from_a_thread() -> None:
    with pytest.raises(sp.SlackNeverSends):
        sp.command("vote 2", thread_ts="1765000000.000100")
    with pytest.raises(sp.SlackNeverSends):
        sp.signed(SECRET, {**sp.command("vote 2"), "thread_ts": "1765000000.000100"})
    with pytest.raises(sp.SlackNeverSends):
        sp.signed(SECRET, sp.load("action_button_on_intro"), retry_num=1)  # nor retries a click
    form = sp.signed(SECRET, sp.command("vote 2", channel_id="C9")).body
    assert "command=%2Fpln" in form and "text=vote+2" in form and "channel_id=C9" in form


def test_signed_requests_use_the_encoding_slack_uses() -> None:
    kinds = {name: sp.signed(SECRET, sp.load(name)) for name in ("command_dm", "view_submission", "event_app_mention")}
    assert kinds["command_dm"].headers["content-type"] == "application/x-www-form-urlencoded"
    assert "channel_name=directmessage" in kinds["command_dm"].body
    assert kinds["view_submission"].body.startswith("payload=")
    assert kinds["event_app_mention"].headers["content-type"] == "application/json"
    retried = sp.signed(SECRET, sp.load("event_app_mention"), retry_num=2)
    assert (retried.headers["x-slack-retry-num"], retried.headers["x-slack-retry-reason"]) == ("2", "http_timeout")
