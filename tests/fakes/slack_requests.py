"""Signed requests as Slack sends them to an app: slash commands, button clicks, modal
submissions and Events API deliveries, plus a small client that posts them over HTTP."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

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


def slash_command(secret: str, *, text: str, team_id: str, user_id: str, channel_id: str,
                  response_url: str, user_name: str = "someone", command: str = "/pln",
                  timestamp: int | None = None, trigger_id: str | None = None) -> SignedRequest:
    return _form(secret, {
        "token": "legacy-verification-token", "team_id": team_id, "team_domain": team_id.lower(),
        "channel_id": channel_id, "channel_name": f"chan-{channel_id.lower()}", "user_id": user_id,
        "user_name": user_name, "command": command, "text": text, "api_app_id": "AFACILITATOR",
        "is_enterprise_install": "false", "response_url": response_url,
        "trigger_id": trigger_id or unissued_trigger_id(),
    }, timestamp)


def block_action(secret: str, *, action: dict[str, Any], team_id: str, user_id: str, channel_id: str,
                 message_ts: str, response_url: str, thread_ts: str | None = None,
                 user_name: str = "someone", ephemeral: bool = False, timestamp: int | None = None,
                 trigger_id: str | None = None) -> SignedRequest:
    """A click on `action`: a button dict (as the bot rendered it) or a select with `selected_option`."""
    clicked = {**action, "block_id": action.get("block_id", "b"), "action_ts": f"{time.time():.6f}"}
    container: dict[str, Any] = {"type": "message", "message_ts": message_ts, "channel_id": channel_id, "is_ephemeral": ephemeral}
    message: dict[str, Any] = {"type": "message", "ts": message_ts, "text": ""}
    if thread_ts:
        container["thread_ts"] = thread_ts
        message["thread_ts"] = thread_ts
    payload = {
        "type": "block_actions", "api_app_id": "AFACILITATOR", "token": "legacy-verification-token",
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "team": {"id": team_id, "domain": team_id.lower()}, "container": container,
        "channel": {"id": channel_id, "name": f"chan-{channel_id.lower()}"}, "message": message,
        "trigger_id": trigger_id or unissued_trigger_id(), "response_url": response_url, "actions": [clicked],
    }
    if ephemeral:
        del payload["message"]  # Slack sends no copy of an ephemeral message
    return _payload(secret, payload, timestamp)


def view_submission(secret: str, *, view: dict[str, Any], values: dict[str, dict[str, dict[str, Any]]],
                    team_id: str, user_id: str, user_name: str = "someone",
                    timestamp: int | None = None, trigger_id: str | None = None) -> SignedRequest:
    """Submit the modal `view` (as the bot opened it) with state `values` {block_id: {action_id: {...}}}."""
    submitted = {**view, "id": view.get("id", f"V{next(_counter)}"), "team_id": team_id, "state": {"values": values},
                 "hash": "h", "app_id": "AFACILITATOR", "bot_id": f"BBOT{team_id}"}
    return _payload(secret, {
        "type": "view_submission", "api_app_id": "AFACILITATOR", "token": "legacy-verification-token",
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "team": {"id": team_id, "domain": team_id.lower()}, "trigger_id": trigger_id or unissued_trigger_id(),
        "view": submitted, "response_urls": [],
    }, timestamp)


def event_callback(secret: str, *, event: dict[str, Any], team_id: str, event_id: str | None = None,
                   retry_num: int | None = None, timestamp: int | None = None) -> SignedRequest:
    body = json.dumps({
        "token": "legacy-verification-token", "team_id": team_id, "api_app_id": "AFACILITATOR",
        "event": event, "type": "event_callback", "event_id": event_id or f"Ev{next(_counter):08d}",
        "event_time": int(time.time()), "authorizations": [{"team_id": team_id, "user_id": f"UBOT{team_id}",
                                                            "is_bot": True, "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
    })
    extra = {"x-slack-retry-num": str(retry_num), "x-slack-retry-reason": "http_timeout"} if retry_num else None
    return sign(secret, body, "application/json", timestamp, extra)


def thread_message(*, user_id: str, channel_id: str, thread_ts: str, text: str) -> dict[str, Any]:
    n = next(_counter)
    return {"type": "message", "channel": channel_id, "user": user_id, "text": text, "ts": f"1800000000.{n:06d}",
            "thread_ts": thread_ts, "event_ts": f"1800000000.{n:06d}", "channel_type": "channel"}


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
