"""Buttons: what each one-click action means, declared once for every adapter.

An action carries its session and one argument (a level, a category, an item number, a held
submission's id). Adapters write both into the button (Slack's value, Discord's custom_id) and
read them back on a click; `command_for` turns the click into the command it stands for, and
refuses anything a forged or stale button could carry.
"""

from __future__ import annotations

import enum
import re

from facilitator.commands.parsing import ParseError
from facilitator.commands.types import Command, Join, PledgeDone, PledgeDrop, PledgeLater, SendPending, Vote
from facilitator.domain.numbers import MAX_DIGITS

# Session ids and item numbers are database integers (domain.numbers), however a forged
# button is written.
_NUMBER = re.compile(f"[0-9]{{1,{MAX_DIGITS}}}")
_WORD = re.compile(r"[a-z0-9_-]{1,40}")


class ActionName(str, enum.Enum):
    JOIN = "join"  # argument: a level
    ADD_ITEM = "add_item"  # argument: a category; opens a form, whose submission is a Submit
    VOTE = "vote"  # argument: an item number
    SEND_ANYWAY = "send_anyway"  # argument: the held submission's id
    PLEDGE_DONE = "pledge_done"  # argument: a pledge number (the buttons under a follow-up)
    PLEDGE_LATER = "pledge_later"  # "Not yet"
    PLEDGE_DROP = "pledge_drop"


_NUMBERED = (ActionName.VOTE, ActionName.SEND_ANYWAY, ActionName.PLEDGE_DONE, ActionName.PLEDGE_LATER,
             ActionName.PLEDGE_DROP)
_PLEDGE_COMMANDS: dict[ActionName, type[PledgeDone] | type[PledgeDrop] | type[PledgeLater]] = {
    ActionName.PLEDGE_DONE: PledgeDone, ActionName.PLEDGE_LATER: PledgeLater, ActionName.PLEDGE_DROP: PledgeDrop,
}


FORGED = "That button doesn't work any more (or wasn't ours). Use `/pln help` to see what you can do."
FORGED_FORM = "That form doesn't work any more (or wasn't ours), so nothing was saved. `/pln do TEXT` sends an item."


def parse_session(raw: str) -> int:
    if not _NUMBER.fullmatch(raw):
        raise ParseError(FORGED)
    return int(raw)


def parse_action(name: str) -> ActionName:
    try:
        return ActionName(name)
    except ValueError:
        raise ParseError(FORGED) from None


def command_for(action: ActionName, argument: str) -> Command | None:
    """The command a click stands for; None for ADD_ITEM, which opens a form first.
    Raises ParseError for an argument no button of ours carries."""
    pattern = _NUMBER if action in _NUMBERED else _WORD
    if not pattern.fullmatch(argument):
        raise ParseError(FORGED)
    if action is ActionName.JOIN:
        return Join(argument)
    if action is ActionName.VOTE:
        return Vote((int(argument),))
    if action is ActionName.SEND_ANYWAY:
        return SendPending(int(argument))
    if action in _PLEDGE_COMMANDS:
        return _PLEDGE_COMMANDS[action](int(argument))
    return None
