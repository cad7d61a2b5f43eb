"""Buttons and the item modal. Every custom_id carries the session and what the click means,
so a button posted before a restart (or by another process) still works: nothing is kept in
memory between the post and the click.

custom_id grammar (at most 100 chars):
  pln:j:<session>:<level>   join at a level
  pln:a:<session>:<kind>    open the "add an item" modal for a category
  pln:v:<session>:<item>    vote for an item
  pln:s:<session>:<pending> send a held near-duplicate anyway (facilitator.duplicates)
  pln:pd|pl|px:<session>:<n> a pledge's follow-up: Done, Not yet, Drop (these also work from a DM)
  pln:m:<session>:<kind>    the modal itself (its submission arrives as its own interaction)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import discord

from adapters.discord import limits
from facilitator.commands.actions import FORGED_FORM, ActionName
from facilitator.commands.parsing import ParseError
from facilitator.domain.numbers import MAX_DIGITS
from facilitator.replies import Action

ACTION_CODES = {ActionName.JOIN: "j", ActionName.ADD_ITEM: "a", ActionName.VOTE: "v", ActionName.SEND_ANYWAY: "s",
                ActionName.PLEDGE_DONE: "pd", ActionName.PLEDGE_LATER: "pl", ActionName.PLEDGE_DROP: "px"}
# The buttons that may be sent, and clicked, in a direct message: a pledge's follow-up comes by
# DM, days after the session, and its buttons act only on that one pledge of its owner.
DIRECT_ACTIONS = frozenset({ActionName.PLEDGE_DONE, ActionName.PLEDGE_LATER, ActionName.PLEDGE_DROP})
ACTION_NAMES = {code: name for name, code in ACTION_CODES.items()}
# Session ids of at most nine digits, so they fit every database's integer (domain.numbers).
BUTTON_PATTERN = rf"pln:(?P<code>[javs]|p[dlx]):(?P<session>[0-9]{{1,{MAX_DIGITS}}}):(?P<arg>[a-z0-9_-]{{1,40}})"
_BUTTON = re.compile(BUTTON_PATTERN)
MODAL_PATTERN = re.compile(rf"^pln:m:(?P<session>[0-9]{{1,{MAX_DIGITS}}}):(?P<kind>[a-z0-9_-]{{1,40}})$")
MODAL_PREFIX = "pln:m:"
MODAL_TEXT_ID = "text"
_STYLES = {ActionName.JOIN: discord.ButtonStyle.primary, ActionName.ADD_ITEM: discord.ButtonStyle.success,
           ActionName.VOTE: discord.ButtonStyle.secondary, ActionName.SEND_ANYWAY: discord.ButtonStyle.primary,
           ActionName.PLEDGE_DONE: discord.ButtonStyle.success, ActionName.PLEDGE_LATER: discord.ButtonStyle.secondary,
           ActionName.PLEDGE_DROP: discord.ButtonStyle.danger}


@dataclass(frozen=True)
class Click:
    """A parsed button press: the action, its session, and its argument (level, kind or item)."""

    action: ActionName
    session_id: int
    arg: str


def custom_id(action: Action) -> str:
    return f"pln:{ACTION_CODES[action.name]}:{action.session_id}:{action.argument}"


def parse_click(custom_id: str) -> Click | None:
    """The click a button's custom_id stands for, or None when the button isn't ours."""
    match = _BUTTON.fullmatch(custom_id)
    if match is None:
        return None
    return Click(ACTION_NAMES[match["code"]], int(match["session"]), match["arg"])


def button_for(action: Action) -> discord.ui.Button[Any]:
    return discord.ui.Button(label=limits.clip(action.label, 80), style=_STYLES[action.name],
                             custom_id=custom_id(action))


def view_for(actions: tuple[Action, ...]) -> discord.ui.View | None:
    """Up to 25 buttons, 5 a row, as a view that is already stopped.

    Clicks are routed by custom_id alone, in FacilitatorBot.on_interaction, so nothing about a
    message has to be remembered. discord.py keeps every live view it sends, per message, until
    it times out (never, for buttons that must outlive a restart); a stopped view is sent all
    the same and kept nowhere. Routing ourselves also skips discord.py's dynamic-item dispatch,
    which rebuilt the clicked message's whole view on every click (figure 5 of the bench).
    """
    if not actions:
        return None
    view = discord.ui.View(timeout=None)
    for index, action in enumerate(actions[: limits.BUTTONS_PER_MESSAGE]):
        button = button_for(action)
        button.row = index // 5
        view.add_item(button)
    view.stop()
    return view


class ItemModal(discord.ui.Modal):
    """Asks for one DO or DON'T. Its submission is handled from the raw interaction
    (see FacilitatorBot.on_interaction), not here, so it also works after a restart."""

    def __init__(self, session_id: int, kind: str, label: str) -> None:
        super().__init__(title=limits.clip(label, limits.MODAL_TITLE), timeout=900,
                         custom_id=f"pln:m:{session_id}:{kind}")
        self.add_item(discord.ui.TextInput(
            label=limits.clip(label, 45),
            custom_id=MODAL_TEXT_ID,
            style=discord.TextStyle.paragraph,
            min_length=1,
            max_length=limits.ITEM_TEXT,
        ))


def parse_modal(data: dict[str, Any]) -> tuple[int, str, str] | None:
    """(session id, kind, text) from a modal submission's data, or None when it isn't ours.
    Raises ParseError for one of ours whose custom_id was tampered with."""
    custom = str(data.get("custom_id", ""))
    match = MODAL_PATTERN.match(custom)
    if match is None and custom.startswith(MODAL_PREFIX):
        raise ParseError(FORGED_FORM)
    if match is None:
        return None
    text = ""
    for row in data.get("components", []):
        for component in row.get("components", []):
            if component.get("custom_id") == MODAL_TEXT_ID:
                text = str(component.get("value") or "")
    return int(match["session"]), match["kind"], text

