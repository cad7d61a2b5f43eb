"""Real-format Slack payloads: load one of tests/fixtures/slack/*.json, change the fields a
test cares about, and sign it the way Slack sends it to the app -- a url-encoded form for a
slash command, `payload=<JSON>` for interactivity (clicks, modal submissions, shortcuts), a
JSON body for Events API deliveries.

    body = with_fields(load("event_message_thread_reply"), {"event.text": "DO: x", "event.user": "U4"})
    await client.post(signed(SECRET, body))

The fixtures were written by hand in the shapes of Slack's docs and bolt-python's scenario
tests, with every field Slack sends (enterprise ids, authorizations, event_context, container,
state, response_url, trigger_id, user.team_id, channel_name, is_ext_shared_channel, ...).
What Slack never sends, this module refuses to build: a slash command from a thread.
"""

from __future__ import annotations

import itertools
import json
import secrets
import time
from collections.abc import Mapping, Sequence
from typing import Any, Literal
from urllib.parse import urlencode

from slack_bolt.request.async_request import AsyncBoltRequest

from tests.fakes.slack_fixtures import load, names, with_fields
from tests.fakes.slack_requests import SignedRequest, sign

__all__ = ["SlackNeverSends", "bolt_request", "command", "kind_of", "load", "names", "new_event_id", "new_response_url",
           "new_ts", "signed", "with_fields"]
INTERACTIVE = frozenset({"block_actions", "view_submission", "view_closed", "message_action", "shortcut",
                         "block_suggestion"})
Kind = Literal["command", "interactive", "event"]
_serial = itertools.count(1)


class SlackNeverSends(ValueError):
    """A payload real Slack would never deliver: a test built on it proves nothing."""


def kind_of(payload: Mapping[str, Any]) -> Kind:
    if "command" in payload:
        return "command"
    if payload.get("type") in INTERACTIVE:
        return "interactive"
    if payload.get("type") == "event_callback":
        return "event"
    raise ValueError(f"not a payload Slack sends to an app: type {payload.get('type')!r}")


def signed(secret: str, payload: Mapping[str, Any], *, timestamp: int | None = None,
           retry_num: int | None = None) -> SignedRequest:
    """The HTTP request Slack would send with this payload, signed with `secret`."""
    kind = kind_of(payload)
    if kind == "command":
        if "thread_ts" in payload:
            raise SlackNeverSends("Slack does not run slash commands typed in a thread ('/pln is not supported "
                                  "in threads. Sorry!'): use an app_mention or a message_action instead")
        return sign(secret, urlencode({k: str(v) for k, v in payload.items()}), "application/x-www-form-urlencoded",
                    timestamp)
    if kind == "interactive":
        if retry_num:
            raise SlackNeverSends("Slack never retries interactive payloads")
        return sign(secret, urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded", timestamp)
    extra = {"x-slack-retry-num": str(retry_num), "x-slack-retry-reason": "http_timeout"} if retry_num else None
    return sign(secret, json.dumps(payload), "application/json", timestamp, extra)


def bolt_request(request: SignedRequest) -> AsyncBoltRequest:
    """The request as Bolt's own adapters hand it to `app.async_dispatch`."""
    headers: dict[str, str | Sequence[str]] = dict(request.headers)
    return AsyncBoltRequest(body=request.body, headers=headers)


# -- fresh identities: each delivery Slack makes has its own ---------------------------------

def new_ts() -> str:
    """A message ts: seconds, then a serial that keeps ts unique within the second."""
    return f"{int(time.time())}.{next(_serial) % 1_000_000:06d}"


def new_event_id() -> str:
    return f"Ev{secrets.token_hex(5).upper()}"


def new_response_url(team_id: str) -> str:
    return f"https://hooks.slack.com/actions/{team_id}/{next(_serial)}/{secrets.token_urlsafe(18)}"


def command(text: str, *, thread_ts: str | None = None, fixture: str = "command_channel",
            **fields: str) -> dict[str, Any]:
    """A `/pln` slash command payload. Slack sends none from a thread, so asking for one
    raises SlackNeverSends."""
    if thread_ts is not None:
        raise SlackNeverSends("Slack does not run slash commands typed in a thread: use an app_mention")
    body = load(fixture)
    body.update({"text": text, **fields})
    return body
