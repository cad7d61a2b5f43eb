"""Slack payloads -> Actor, Place and Command: everything the service needs, nothing more."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import ids
from facilitator import commands as cmd
from facilitator.domain.actors import Actor, Place
from facilitator.commands.actions import FORGED_FORM, ActionName, command_for, parse_action, parse_session

log = logging.getLogger(__name__)
PLATFORM = "slack"


@dataclass(frozen=True)
class Person:
    name: str
    is_admin: bool


class People:
    """users.info, cached briefly: names for replies, and whether someone is a workspace
    admin or owner (who count as facilitators). A short TTL keeps a demoted admin from
    keeping the power for long, and a burst of clicks from costing a call each."""

    def __init__(self, ttl_seconds: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl_seconds
        self.clock = clock
        self._cache: dict[tuple[str, str], tuple[float, Person]] = {}
        self._next_sweep = clock() + ttl_seconds

    async def lookup(self, client: AsyncWebClient, team_id: str, user_id: str, fallback_name: str) -> Person:
        key = (team_id, user_id)
        cached = self._cache.get(key)
        now = self.clock()
        if cached and now - cached[0] < self.ttl:
            return cached[1]
        try:
            response = await client.users_info(user=user_id)
        except SlackApiError as exc:
            # Without users:read we still work; nobody is promoted by a failed lookup.
            log.warning("users.info failed for a user: %s", exc.response.get("error"))
            return Person(fallback_name or user_id, False)
        user: dict[str, Any] = response.get("user") or {}
        profile: dict[str, Any] = user.get("profile") or {}
        name = profile.get("display_name") or profile.get("real_name") or user.get("real_name") or user.get("name")
        person = Person(str(name or fallback_name or user_id), bool(user.get("is_admin") or user.get("is_owner")))
        self._cache[key] = (now, person)
        self._sweep(now)
        return person

    def _sweep(self, now: float) -> None:
        # A bot runs for months across many workspaces: drop lookups past their TTL, once per TTL,
        # or everyone who ever clicked stays in memory.
        if now < self._next_sweep:
            return
        self._next_sweep = now + self.ttl
        for key in [key for key, (at, _) in self._cache.items() if now - at >= self.ttl]:
            del self._cache[key]

    def __len__(self) -> int:
        return len(self._cache)

    async def actor(self, client: AsyncWebClient, team_id: str, user_id: str, fallback_name: str = "") -> Actor:
        person = await self.lookup(client, team_id, user_id, fallback_name)
        return Actor(team_id, user_id, person.name, person.is_admin)


def team_of(body: dict[str, Any]) -> str:
    """The workspace a payload comes from, in any of the shapes Slack sends."""
    team = body.get("team_id") or (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
    if not team:
        team = (body.get("view") or {}).get("team_id") or ""
    return str(team)


def slack_text(text: str) -> str:
    """Slack escapes what people type (& < >) in command and message text; the core wants
    it as they typed it (it is escaped again when we post it)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


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
    """The item in our "add an item" form. Raises ParseError when the form's metadata is not
    what we wrote into it (the session as a database-sized number, a kind, a channel)."""
    view = body.get("view") or {}
    meta = ids.decode(view.get("private_metadata"))
    try:
        session = parse_session(meta.get("session", ""))
    except cmd.ParseError:
        raise cmd.ParseError(FORGED_FORM) from None
    if not meta.get("kind") or not meta.get("channel"):
        raise cmd.ParseError(FORGED_FORM)
    values = (view.get("state") or {}).get("values") or {}
    text = ((values.get(ids.ITEM_INPUT_BLOCK) or {}).get(ids.ITEM_INPUT_ACTION) or {}).get("value") or ""
    return ItemSubmission(session, meta["kind"], str(text), meta["channel"], meta.get("thread"))


# Events

@dataclass(frozen=True)
class ThreadReply:
    user_id: str
    channel: str
    thread: str
    text: str


def thread_reply(event: dict[str, Any]) -> ThreadReply | None:
    """A person's reply in some thread; None for bots, edits, deletions and top-level posts."""
    if event.get("subtype") not in (None, "thread_broadcast") or event.get("bot_id"):
        return None
    thread, user = event.get("thread_ts"), event.get("user")
    if not thread or not user or thread == event.get("ts"):
        return None
    return ThreadReply(str(user), str(event.get("channel", "")), str(thread), slack_text(str(event.get("text") or "")))
