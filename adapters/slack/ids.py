"""How a click or a modal carries what it needs back to us.

Every interactive element's action_id starts with `pln:` then the action name; its value
(or a select option's value) is the action's args, url-encoded. Buttons therefore keep
working after a restart: all their state is in the message itself.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from facilitator.commands.actions import ActionName
from facilitator.replies import Action

ACTION_PREFIX = "pln:"
ADD_ITEM_CALLBACK = "pln:add_item"
ITEM_INPUT_BLOCK = "item"
ITEM_INPUT_ACTION = "text"
KIND_INPUT_BLOCK = "kind"  # the message shortcut's form: DO or DON'T (the template's categories)
KIND_INPUT_ACTION = "choice"
ADD_TO_WORKSHOP = "pln_add_as_item"  # the message shortcut's callback_id, as in the manifests
VOTE_SELECT = "vote_select"


# The name each action's argument goes by in a button's value (unchanged since the first
# version, so buttons already posted keep working).
ARGUMENT_KEYS = {
    ActionName.JOIN: "level",
    ActionName.ADD_ITEM: "kind",
    ActionName.VOTE: "item",
    ActionName.SEND_ANYWAY: "pending",
    ActionName.PLEDGE_DONE: "pledge",
    ActionName.PLEDGE_LATER: "pledge",
    ActionName.PLEDGE_DROP: "pledge",
}


def action_id(name: ActionName | str, index: int) -> str:
    # Slack wants action ids unique within a message, so they carry a position too.
    word = name.value if isinstance(name, ActionName) else name
    return f"{ACTION_PREFIX}{word}:{index}"


def button_value(action: Action) -> str:
    return encode({"session": str(action.session_id), ARGUMENT_KEYS[action.name]: action.argument})


def action_name(action_id_: str) -> str:
    return action_id_.removeprefix(ACTION_PREFIX).split(":", 1)[0]


def encode(args: dict[str, str] | tuple[tuple[str, str], ...]) -> str:
    return urlencode(dict(args))


def decode(value: str | None) -> dict[str, str]:
    return dict(parse_qsl(value or ""))
