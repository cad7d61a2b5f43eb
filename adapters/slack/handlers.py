"""The listeners: ack first, then translate -> service -> deliver."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.pacing import work_slots
from adapters.slack import ids
from adapters.slack.deliver import Outbox, Where
from adapters.slack.home import publish_home
from adapters.slack.render import add_item_modal
from adapters.slack.translate import (
    PLATFORM,
    People,
    click,
    command_place,
    item_submission,
    slack_text,
    team_of,
    thread_reply,
)
from facilitator import commands as cmd
from facilitator.commands.actions import ActionName
from facilitator.replies import messages as msg
from facilitator.domain.actors import Place
from facilitator.app.service import FacilitationService

Body = dict[str, Any]


def might_be_a_command(text: str) -> bool:
    """Cheap filter before touching the database: ordinary chat in the thread is not for us."""
    try:
        return cmd.parse_message(text) is not None
    except cmd.ParseError:
        return True  # a malformed /pln line still deserves its error message


def register(app: AsyncApp, service: FacilitationService, people: People | None = None) -> None:
    people = people or People()
    outbox = Outbox(service)
    slots = work_slots(service.context.db)  # the work after each ack, a few at a time (adapters/pacing.py)

    @app.command("/pln")
    async def on_command(ack: Any, body: Body, client: AsyncWebClient, respond: Any) -> None:
        await ack()
        async with slots:
            team = team_of(body)
            actor = await people.actor(client, team, body["user_id"], body.get("user_name", ""))
            replies = await service.handle_text(actor, command_place(body), slack_text(body.get("text", "")))
            where = Where(team, body["channel_id"], respond=respond, user=body["user_id"])
            for session_id in await outbox.send(client, replies, where):
                # Slack refused the intro (most often: the bot isn't in the channel yet), so nobody
                # can see or join this session. Close it, or `/pln start` would be refused as
                # "already open" after the bot is invited.
                await service.handle(actor, Place(PLATFORM, body["channel_id"], session_id=session_id), cmd.End())

    @app.action(re.compile(f"^{re.escape(ids.ACTION_PREFIX)}"))
    async def on_click(ack: Any, body: Body, client: AsyncWebClient) -> None:
        await ack()
        team = team_of(body)
        user = body.get("user") or {}
        try:
            parsed = click(body)
            command = parsed.command() if parsed is not None else None
        except cmd.ParseError as exc:  # a button of ours, tampered with: say so, change nothing
            container = body.get("container") or {}
            where = Where(team, str((body.get("channel") or {}).get("id") or container.get("channel_id") or ""),
                          user=str(user.get("id", "")))
            await outbox.send(client, [msg.error(str(user.get("id", "")), exc.message)], where)
            return
        if parsed is None:
            return
        if parsed.name is ActionName.ADD_ITEM:
            label = slack_text(((body["actions"][0].get("text") or {}).get("text")) or "Add an item")
            view = add_item_modal(str(parsed.session_id), parsed.argument, label, parsed.channel, parsed.thread)
            await client.views_open(trigger_id=body["trigger_id"], view=view)
            return
        if command is None:
            return
        where = Where(team, parsed.channel, parsed.thread, in_thread=parsed.in_thread, user=user["id"])
        async with slots:
            actor = await people.actor(client, team, user["id"], user.get("name", ""))
            await outbox.send(client, await service.handle(actor, parsed.place(), command), where)

    @app.view(ids.ADD_ITEM_CALLBACK)
    async def on_item_modal(ack: Any, body: Body, client: AsyncWebClient) -> None:
        await ack()
        submission = item_submission(body)
        if submission is None:
            return
        team = team_of(body)
        user = body.get("user") or {}
        where = Where(team, submission.channel, submission.thread, user=user["id"])
        async with slots:
            actor = await people.actor(client, team, user["id"], user.get("name", ""))
            await outbox.send(client, await service.handle(actor, submission.place(), submission.command()), where)

    @app.event("message")
    async def on_message(body: Body, event: Body, client: AsyncWebClient) -> None:
        reply = thread_reply(event)
        if reply is None or not might_be_a_command(reply.text):
            return
        team = team_of(body)
        if await service.session_for_thread(team, reply.channel, reply.thread) is None:
            return
        # Slack redelivers when we were slow or down; the first delivery that reaches any of
        # our processes wins, and the database remembers it for all of them.
        event_id = body.get("event_id")
        if event_id and not await service.claim_event(f"slack:{team}:{event_id}"):
            return
        async with slots:
            actor = await people.actor(client, team, reply.user_id)
            replies = await service.handle_text(actor, Place(PLATFORM, reply.channel, reply.thread), reply.text)
            await outbox.send(client, replies, Where(team, reply.channel, reply.thread, in_thread=True, user=reply.user_id))

    @app.event("app_home_opened")
    async def on_home(body: Body, event: Body, client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        actor = await people.actor(client, team_of(body), event["user"])
        await publish_home(client, event["user"], await service.recent_sessions(actor))
