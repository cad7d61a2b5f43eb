"""Signed requests as Slack sends them to an app: slash commands, button clicks, modal
submissions and Events API deliveries, in the shapes of the real-format fixtures
(tests/fixtures/slack), plus a small client that posts them over HTTP. For other shapes
(DMs, Grid, Slack Connect, edits, mentions) see slack_payloads.py and slack_events.py."""

from __future__ import annotations

import itertools
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from tests.fakes.slack_fixtures import load, with_fields

_counter = itertools.count(1)


@dataclass(frozen=True)
class SignedRequest:
    body: str
    headers: dict[str, str]


def sign(secret: str, body: str, content_type: str, timestamp: int | None = None,
         extra_headers: dict[str, str] | None = None) -> SignedRequest:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    headers = {"content-type": content_type, "x-slack-request-timestamp": ts, "x-slack-signature": str(signature)}
    headers.update(extra_headers or {})
    return SignedRequest(body, headers)


def _form(secret: str, fields: dict[str, str], timestamp: int | None) -> SignedRequest:
    return sign(secret, urlencode(fields), "application/x-www-form-urlencoded", timestamp)


def _payload(secret: str, payload: dict[str, Any], timestamp: int | None) -> SignedRequest:
    return _form(secret, {"payload": json.dumps(payload)}, timestamp)


def unissued_trigger_id() -> str:
    """A trigger_id in Slack's format that no fake issued: views.open refuses it. Pass
    `fake.trigger_id()` where the bot may open a modal."""
    return f"{next(_counter)}.{int(time.time() * 1000)}.unissued"


def _channel_name(channel_id: str) -> str:
    """What Slack puts in a command's channel_name: the name, or `directmessage` for a DM."""
    return "directmessage" if channel_id.startswith("D") else f"chan-{channel_id.lower()}"


def slash_command(secret: str, *, text: str, team_id: str, user_id: str, channel_id: str,
                  response_url: str, user_name: str = "someone", command: str = "/pln",
                  timestamp: int | None = None, trigger_id: str | None = None) -> SignedRequest:
    """`/pln text` from a channel, as Slack posts it (the shape of fixtures/slack/command_channel.json)."""
    fields = with_fields(load("command_channel"), {
        "team_id": team_id, "team_domain": team_id.lower(), "channel_id": channel_id,
        "channel_name": _channel_name(channel_id), "user_id": user_id, "user_name": user_name, "command": command,
        "text": text, "response_url": response_url, "trigger_id": trigger_id or unissued_trigger_id()})
    return _form(secret, fields, timestamp)


def block_action(secret: str, *, action: dict[str, Any], team_id: str, user_id: str, channel_id: str,
                 message_ts: str, response_url: str, thread_ts: str | None = None,
                 user_name: str = "someone", ephemeral: bool = False, timestamp: int | None = None,
                 trigger_id: str | None = None) -> SignedRequest:
    """A click on `action`: a button dict (as the bot rendered it) or a select with `selected_option`
    (the shape of fixtures/slack/action_button_on_intro.json)."""
    clicked = {**action, "block_id": action.get("block_id", "b"), "action_ts": f"{time.time():.6f}"}
    shown = {k: v for k, v in action.items() if k != "selected_option"}
    payload = with_fields(load("action_button_on_intro"), {
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "team": {"id": team_id, "domain": team_id.lower()},
        "container": {"type": "message", "message_ts": message_ts, "channel_id": channel_id, "is_ephemeral": ephemeral},
        "channel": {"id": channel_id, "name": _channel_name(channel_id)},
        "message.ts": message_ts, "message.team": team_id, "message.user": f"UBOT{team_id}",
        "message.bot_id": f"BBOT{team_id}", "message.text": "",
        # The message as Slack shows it holds the element clicked; the rest of it is no test's business.
        "message.blocks": [{"type": "actions", "block_id": clicked["block_id"], "elements": [shown]}],
        "trigger_id": trigger_id or unissued_trigger_id(), "response_url": response_url, "actions": [clicked]})
    if thread_ts:
        payload["container"]["thread_ts"] = thread_ts
        payload["message"]["thread_ts"] = thread_ts
        payload["message"]["parent_user_id"] = f"UBOT{team_id}"
    if ephemeral:
        del payload["message"]  # Slack sends no copy of an ephemeral message
    return _payload(secret, payload, timestamp)


def view_submission(secret: str, *, view: dict[str, Any], values: dict[str, dict[str, dict[str, Any]]],
                    team_id: str, user_id: str, user_name: str = "someone",
                    timestamp: int | None = None, trigger_id: str | None = None) -> SignedRequest:
    """Submit the modal `view` (as the bot opened it) with state `values` {block_id: {action_id: {...}}}
    (the shape of fixtures/slack/view_submission.json)."""
    view_id = view.get("id", f"V{next(_counter)}")
    submitted = {**load("view_submission")["view"], **view, "id": view_id, "team_id": team_id,
                 "state": {"values": values}, "root_view_id": view_id, "app_installed_team_id": team_id,
                 "bot_id": f"BBOT{team_id}"}
    return _payload(secret, with_fields(load("view_submission"), {
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "team": {"id": team_id, "domain": team_id.lower()}, "trigger_id": trigger_id or unissued_trigger_id(),
        "view": submitted}), timestamp)


def event_callback(secret: str, *, event: dict[str, Any], team_id: str, event_id: str | None = None,
                   retry_num: int | None = None, timestamp: int | None = None) -> SignedRequest:
    """An Events API delivery of `event` (the envelope of fixtures/slack/event_message_thread_reply.json)."""
    body = with_fields(load("event_message_thread_reply"), {
        "team_id": team_id, "context_team_id": team_id, "event": event,
        "event_id": event_id or f"Ev{next(_counter):08d}", "event_time": int(time.time()),
        "authorizations.0.team_id": team_id, "authorizations.0.user_id": f"UBOT{team_id}"})
    extra = {"x-slack-retry-num": str(retry_num), "x-slack-retry-reason": "http_timeout"} if retry_num else None
    return sign(secret, json.dumps(body), "application/json", timestamp, extra)


def thread_message(*, user_id: str, channel_id: str, thread_ts: str, text: str, team_id: str = "T1") -> dict[str, Any]:
    """A person's reply in a thread, as the `event` of a message event (see event_callback)."""
    ts = f"1800000000.{next(_counter):06d}"
    return with_fields(load("event_message_thread_reply")["event"], {
        "client_msg_id": str(uuid.uuid4()), "user": user_id, "channel": channel_id, "thread_ts": thread_ts,
        "parent_user_id": f"UBOT{team_id}", "text": text, "ts": ts, "event_ts": ts, "team": team_id,
        "blocks": [{"type": "rich_text", "block_id": "rt", "elements": [
            {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}]}]})


class BoltHttpClient:
    """Posts signed requests to a running app's /slack/events over real HTTP."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._session = aiohttp.ClientSession()

    async def post(self, request: SignedRequest) -> tuple[int, str]:
        async with self._session.post(self.url, data=request.body.encode(), headers=request.headers) as response:
            return response.status, await response.text()

    async def close(self) -> None:
        await self._session.close()
