"""Slack payloads -> Actor, Place and Command: everything the service needs, nothing more."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adapters.slack import ids
from facilitator import commands as cmd
from facilitator.commands.actions import FORGED_FORM, ActionName, command_for, parse_action, parse_session
from facilitator.domain.actors import Place

PLATFORM = "slack"


def team_of(body: dict[str, Any]) -> str:
    """The workspace a payload comes from, in any of the shapes Slack sends."""
    team = body.get("team_id") or (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
    if not team:
        team = (body.get("view") or {}).get("team_id") or ""
    return str(team)


# Slash commands

def command_place(body: dict[str, Any]) -> Place:
    return Place(PLATFORM, body["channel_id"])


# Button clicks and select menus

@dataclass(frozen=True)
class Click:
    name: ActionName  # a vote select counts as a vote
    session_id: int
    argument: str
    channel: str
    thread: str | None
    in_thread: bool = False

    def place(self) -> Place:
        return Place(PLATFORM, self.channel, self.thread, self.session_id)

    def command(self) -> cmd.Command | None:
        """The command a click means; None for add_item, which opens a modal instead.
        Raises ParseError for an argument no button of ours carries."""
        return command_for(self.name, self.argument)


def click(body: dict[str, Any]) -> Click | None:
    """The click in a block_actions payload, or None if it isn't one of ours.
    Raises ParseError for one of ours whose value was tampered with."""
    action = (body.get("actions") or [{}])[0]
    action_id = str(action.get("action_id", ""))
    if not action_id.startswith(ids.ACTION_PREFIX):
        return None
    word = ids.action_name(action_id)
    if word == ids.VOTE_SELECT:
        name = ActionName.VOTE
        value = (action.get("selected_option") or {}).get("value")
    else:
        name = parse_action(word)
        value = action.get("value")
    args = ids.decode(value)
    session = parse_session(args.get("session", ""))
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id") or ""
    message = body.get("message") or {}
    # A click in the thread, or on the intro (the thread root), names the session thread.
    in_thread = container.get("thread_ts") or message.get("thread_ts")
    # An ephemeral message's ts names no thread; the intro's ts is the session thread.
    thread = in_thread or (None if container.get("is_ephemeral") else message.get("ts"))
    argument = args.get(ids.ARGUMENT_KEYS[name], "")
    return Click(name, session, argument, str(channel), thread, bool(in_thread))


# Modal submissions

@dataclass(frozen=True)
class ItemSubmission:
    session_id: int
    kind: str
    text: str
    channel: str
    thread: str | None

    def place(self) -> Place:
        return Place(PLATFORM, self.channel, self.thread, self.session_id)

    def command(self) -> cmd.Command:
        return cmd.Submit(self.kind, self.text)


def item_submission(body: dict[str, Any]) -> ItemSubmission:
    """The item in a submitted modal: its kind from the button that opened it, or chosen in the
    modal (the message shortcut's form asks). Raises ParseError when the form's metadata is not
    what we wrote into it (the session as a database-sized number, a kind, a channel)."""
    view = body.get("view") or {}
    meta = ids.decode(view.get("private_metadata"))
    values = (view.get("state") or {}).get("values") or {}
    chosen = ((values.get(ids.KIND_INPUT_BLOCK) or {}).get(ids.KIND_INPUT_ACTION) or {}).get("selected_option") or {}
    kind = meta.get("kind") or str(chosen.get("value") or "")
    try:
        session = parse_session(meta.get("session", ""))
    except cmd.ParseError:
        raise cmd.ParseError(FORGED_FORM) from None
    if not kind or not meta.get("channel"):
        raise cmd.ParseError(FORGED_FORM)
    text = ((values.get(ids.ITEM_INPUT_BLOCK) or {}).get(ids.ITEM_INPUT_ACTION) or {}).get("value") or ""
    return ItemSubmission(session, kind, str(text), meta["channel"], meta.get("thread"))
