"""Events API deliveries the way Slack makes them, built from the real-format fixtures.

What a lenient fake hides (PLATFORMS.md, "Field facts"), made easy to send:
- a thread reply that mentions the bot arrives twice: a `message` event and an `app_mention`
  event, with different event_ids and the same ts (`mention`);
- an edit is a hidden `message_changed` (new text in event.message, the old in
  event.previous_message), a deletion a hidden `message_deleted` (`deleted_ts`);
- a reply with a file is subtype `file_share`, "also send to channel" is `thread_broadcast`,
  a webhook's or another integration's post is `bot_message`;
- the bot's own posts come back as message events with its `bot_id` (`echo`).
Each builder returns the whole envelope; sign it with slack_payloads.signed().
"""

from __future__ import annotations

import time
from typing import Any

from tests.fakes.slack_payloads import load, new_event_id, new_response_url, new_ts, with_fields
from tests.fakes.slack_state import Call

Envelope = dict[str, Any]


def _delivery(fixture: str, fields: dict[str, Any]) -> Envelope:
    return with_fields(load(fixture), {"event_id": new_event_id(), "event_time": int(time.time()), **fields})


def _rich_text(text: str) -> list[dict[str, Any]]:
    return [{"type": "rich_text", "block_id": "rt", "elements": [
        {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}]}]


def _where(team: str, user: str, channel: str, thread_ts: str, ts: str) -> dict[str, Any]:
    return {"team_id": team, "context_team_id": team, "authorizations.0.team_id": team,
            "authorizations.0.user_id": f"UBOT{team}", "event.user": user, "event.channel": channel,
            "event.thread_ts": thread_ts, "event.parent_user_id": f"UBOT{team}", "event.ts": ts, "event.event_ts": ts,
            "event.team": team}


def thread_reply(*, user: str, channel: str, thread_ts: str, text: str, team: str = "T1") -> Envelope:
    ts = new_ts()
    return _delivery("event_message_thread_reply", {**_where(team, user, channel, thread_ts, ts),
                                                    "event.text": text, "event.blocks": _rich_text(text)})


def mention(*, bot_user_id: str, user: str, channel: str, thread_ts: str, text: str,
            team: str = "T1") -> tuple[Envelope, Envelope]:
    """The two deliveries of one thread reply that mentions the bot: the `message` event and
    the `app_mention` event, as Slack sends both to an app subscribed to both."""
    ts = new_ts()
    said = f"<@{bot_user_id}> {text}"
    blocks = [{"type": "rich_text", "block_id": "rt", "elements": [{"type": "rich_text_section", "elements": [
        {"type": "user", "user_id": bot_user_id}, {"type": "text", "text": f" {text}"}]}]}]
    fields = {**_where(team, user, channel, thread_ts, ts), "event.text": said, "event.blocks": blocks}
    return _delivery("event_message_mentioning_bot", fields), _delivery("event_app_mention", fields)


def edited(original: Envelope, new_text: str) -> Envelope:
    """The `message_changed` Slack sends when the author of `original` edits it."""
    before = original["event"]
    after = {**{k: v for k, v in before.items() if k not in ("event_ts", "channel", "channel_type")},
             "text": new_text, "blocks": _rich_text(new_text), "edited": {"user": before["user"], "ts": new_ts()}}
    now = new_ts()
    return _delivery("event_message_changed", {
        "team_id": original["team_id"], "authorizations": original["authorizations"],
        "event.message": after, "event.previous_message": {k: v for k, v in before.items()
                                                           if k not in ("event_ts", "channel", "channel_type")},
        "event.channel": before["channel"], "event.ts": now, "event.event_ts": now})


def deleted(original: Envelope) -> Envelope:
    """The `message_deleted` Slack sends when `original` is deleted."""
    before = original["event"]
    now = new_ts()
    return _delivery("event_message_deleted", {
        "team_id": original["team_id"], "authorizations": original["authorizations"],
        "event.previous_message": {k: v for k, v in before.items() if k not in ("event_ts", "channel", "channel_type")},
        "event.channel": before["channel"], "event.deleted_ts": before["ts"], "event.ts": now, "event.event_ts": now})


def file_share(*, user: str, channel: str, thread_ts: str, text: str, team: str = "T1") -> Envelope:
    ts = new_ts()
    fields = {**_where(team, user, channel, thread_ts, ts), "event.text": text, "event.blocks": _rich_text(text),
              "event.files.0.user": user}
    del fields["event.team"]  # Slack leaves `team` out of file_share events
    return _delivery("event_message_file_share", fields)


def thread_broadcast(*, user: str, channel: str, thread_ts: str, text: str, team: str = "T1") -> Envelope:
    ts = new_ts()
    fields = {**_where(team, user, channel, thread_ts, ts), "event.text": text, "event.blocks": _rich_text(text),
              "event.root.ts": thread_ts, "event.root.thread_ts": thread_ts}
    del fields["event.parent_user_id"]  # a broadcast carries the whole `root` instead
    return _delivery("event_message_thread_broadcast", fields)


def bot_message(*, channel: str, thread_ts: str, text: str, team: str = "T1") -> Envelope:
    ts = new_ts()
    return _delivery("event_message_bot_message", {
        "team_id": team, "context_team_id": team, "authorizations.0.team_id": team, "event.channel": channel,
        "event.thread_ts": thread_ts, "event.text": text, "event.ts": ts, "event.event_ts": ts})


def echo(call: Call) -> Envelope:
    """The message event Slack sends the app for one of its own chat.postMessage calls."""
    posted = call.response["message"]
    team = str(call.team_id)
    fields: dict[str, Any] = {
        "team_id": team, "context_team_id": team, "authorizations.0.team_id": team,
        "authorizations.0.user_id": posted["user"], "event.user": posted["user"], "event.bot_id": posted["bot_id"],
        "event.bot_profile.id": posted["bot_id"], "event.bot_profile.team_id": team, "event.team": team,
        "event.text": posted["text"], "event.blocks": posted.get("blocks", []), "event.channel": call.response["channel"],
        "event.ts": posted["ts"], "event.event_ts": posted["ts"]}
    echoed = _delivery("event_message_from_this_bot", fields)
    if posted.get("thread_ts"):
        echoed["event"]["thread_ts"] = posted["thread_ts"]
    else:
        for key in ("thread_ts", "parent_user_id"):
            echoed["event"].pop(key, None)
    return echoed


def message_action(message: Envelope, *, user: str, trigger_id: str, response_url: str | None = None,
                   callback_id: str = "pln_add_as_item") -> dict[str, Any]:
    """The message shortcut payload when `user` picks one of our shortcuts on `message`."""
    event = message["event"]
    team = str(message["team_id"])
    shown = {k: v for k, v in event.items() if k not in ("event_ts", "channel", "channel_type")}
    return with_fields(load("shortcut_message_action"), {
        "team.id": team, "user.id": user, "user.username": user.lower(), "user.name": user.lower(),
        "user.team_id": team, "channel.id": event["channel"], "callback_id": callback_id, "trigger_id": trigger_id,
        "response_url": response_url or new_response_url(team), "message_ts": event["ts"], "message": shown,
        "action_ts": f"{time.time():.6f}"})
