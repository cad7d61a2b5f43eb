"""Direct messages through the outbox (adapters/outbox): refund notices, nudges and reminders to
people other than the one who acted. Unlike interaction responses, DMs count against Discord's
global 50 requests a second, per bot, whatever the guild: one lane for all of them, paced below
it (discord.py still handles each route's bucket and waits out a 429 itself). What waits is kept
in the database (tenant: the guild), merged per person when only text waits, and sent by the
next process if this one stops.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import discord

from adapters.discord import limits
from adapters.discord.components import DIRECT_ACTIONS, view_for
from adapters.discord.render import render
from adapters.outbox.budgets import Budget, Budgets, Lane
from adapters.outbox.courier import Courier, Delivered, Dropped, Later, Outcome
from facilitator.app.outbox import Letter, OutboxQueue, Queued
from facilitator.commands.actions import ActionName
from facilitator.replies import Action, Reply

log = logging.getLogger(__name__)
PLATFORM = "discord"
DM = "dm"
# Discord's global limit is 50 requests a second for the whole bot; DMs leave room for the rest
# (posts, follow-ups), and a DM to someone new costs a second request to open the channel.
DM_BUDGET = Budget(per_minute=20 * 60, burst=20)
# A notice about something done in a session: past an hour it no longer helps anyone act.
DM_LIFETIME = timedelta(hours=1)
SERVER_ERROR_PAUSE = 5.0


def dm_lane(tenant: str, method: str) -> Lane:
    return (PLATFORM, method)  # the global limit is per bot, not per guild


def letters_for(tenant: str, user_id: str, reply: Reply, now: datetime) -> list[Letter]:
    """No buttons in a DM but a follow-up's (DIRECT_ACTIONS): the others would act outside the
    server, and the bot refuses that (adapters/discord/permissions.py). The text says what to do."""
    kept = tuple(action for action in reply.actions if action.name in DIRECT_ACTIONS)
    return [Letter(PLATFORM, tenant, DM, user_id, {
                "content": out.content, "embeds": [e.to_dict() for e in out.embeds],
                "actions": [[a.name.value, a.label, a.session_id, a.argument] for a in out.actions]},
                   now + DM_LIFETIME, recipient=user_id)
            for out in render(replace(reply, actions=kept))]


def _actions(body: dict[str, Any]) -> tuple[Action, ...]:
    return tuple(Action(ActionName(name), str(label), int(session_id), str(argument))
                 for name, label, session_id, argument in body.get("actions") or [])


def merge_dms(queued: Sequence[Queued]) -> list[tuple[list[Queued], dict[str, Any]]]:
    """Text-only messages waiting for one person go as one, within Discord's 2,000 characters."""
    out: list[tuple[list[Queued], dict[str, Any]]] = []
    open_for: dict[str | None, int] = {}  # recipient -> index in `out` still taking text
    for q in queued:
        body = q.letter.body
        index = open_for.get(q.letter.recipient)
        text = str(body.get("content") or "")
        plain = not body.get("embeds") and not body.get("actions")
        if plain and index is not None:
            group, merged = out[index]
            joined = f"{merged['content']}\n\n{text}"
            if len(joined) <= limits.CONTENT:
                out[index] = (group + [q], {"content": joined, "embeds": []})
                continue
        out.append(([q], body))
        if plain:
            open_for[q.letter.recipient] = len(out) - 1
        else:  # buttons and embeds go as they are; what follows them starts a new message
            open_for.pop(q.letter.recipient, None)
    return out


class DirectSender:
    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def send(self, letter: Letter, body: dict[str, Any]) -> Outcome:
        try:
            # create_dm reuses a DM channel this process already opened: one request, not two.
            channel = await self.client.create_dm(discord.Object(int(letter.channel)))
            view = view_for(_actions(body))
            extra: dict[str, Any] = {"view": view} if view is not None else {}
            await channel.send(content=body.get("content") or None,
                               embeds=[discord.Embed.from_dict(e) for e in body.get("embeds") or []],
                               allowed_mentions=discord.AllowedMentions.none(), **extra)
        except discord.HTTPException as exc:
            if exc.status == 429:
                return Later(float(getattr(exc, "retry_after", 1.0) or 1.0))
            if exc.status >= 500:
                return Later(SERVER_ERROR_PAUSE, rate_limited=False)
            # Someone who doesn't take DMs from server members (403, 50007) simply misses it.
            return Dropped(f"{exc.status} {exc.code}")
        except ValueError:
            return Dropped("not a user id")
        return Delivered()


def dm_courier(client: discord.Client, queue: OutboxQueue, budget: Budget = DM_BUDGET) -> Courier:
    return Courier(queue, PLATFORM, Budgets({DM: budget}), DirectSender(client).send, merge_dms, lane_of=dm_lane)
