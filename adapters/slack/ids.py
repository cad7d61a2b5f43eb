"""How a click or a modal carries what it needs back to us.

Every interactive element's action_id starts with `pln:` then the action name; its value
(or a select option's value) is the action's args, url-encoded. Buttons therefore keep
working after a restart: all their state is in the message itself.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

ACTION_PREFIX = "pln:"
ADD_ITEM_CALLBACK = "pln:add_item"
ITEM_INPUT_BLOCK = "item"
ITEM_INPUT_ACTION = "text"
VOTE_SELECT = "vote_select"


def action_id(name: str, index: int) -> str:
    # Slack wants action ids unique within a message, so they carry a position too.
    return f"{ACTION_PREFIX}{name}:{index}"


def action_name(action_id_: str) -> str:
    return action_id_.removeprefix(ACTION_PREFIX).split(":", 1)[0]


def encode(args: dict[str, str] | tuple[tuple[str, str], ...]) -> str:
    return urlencode(dict(args))


def decode(value: str | None) -> dict[str, str]:
    return dict(parse_qsl(value or ""))
