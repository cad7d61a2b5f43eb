"""The duplicate warning renders in Block Kit, and its "send anyway" click becomes SendPending."""

from __future__ import annotations

import json
from typing import Any

from adapters.slack.render import render
from adapters.slack.translate import click
from facilitator.commands import SendPending
from facilitator.replies import ReplyKind

from tests.app.room import Room, only


def _buttons(blocks: list[Any]) -> list[dict[str, Any]]:
    found = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "button":
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return found


async def test_send_anyway_round_trips_through_slack(room: Room) -> None:
    await room.start("Fay")
    await room.say("Ann", "/pln do Give before you ask")
    warning = only(await room.say("Bob", "/pln do give before you ask!"))
    assert warning.kind is ReplyKind.NOTICE
    messages = render(warning)
    blocks = json.loads(json.dumps([getattr(m, "blocks", None) for m in messages], default=lambda o: o.__dict__))
    buttons = {b["action_id"]: b for b in _buttons(blocks)}
    send = next(b for action_id, b in buttons.items() if action_id.startswith("pln:send_anyway"))
    body = {
        "type": "block_actions",
        "actions": [{"action_id": send["action_id"], "value": send["value"]}],
        "channel": {"id": "C1"},
        "container": {"channel_id": "C1"},
        "message": {"ts": "1.0", "thread_ts": "1.0"},
        "user": {"id": "Bob"},
    }
    parsed = click(body)
    assert parsed is not None and parsed.name == "send_anyway"
    assert parsed.command() == SendPending(int(warning.actions[-1].argument))
