"""The listeners for requests people make: the /pln command, clicks, the item modal and the
message shortcut. Each acks first, handles a request once (kit.first_time), then
translate -> service -> deliver. Events are in events.py."""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import replace
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.commit_first import commit_then_ack
from adapters.outbox.budgets import Budget
from adapters.pacing import work_slots
from adapters.slack import ids, markup, typed
from adapters.slack.courier import courier_for
from adapters.slack.deliver import Outbox, Where
from adapters.slack.events import register_events
from adapters.slack.guard import after_ack
from adapters.slack.kit import Kit, request_key
from adapters.slack.people import People
from adapters.slack.render import add_item_modal
from adapters.slack.tenancy import tenant_of
from adapters.slack.translate import PLATFORM, Click, click, command_place, item_submission
from facilitator import commands as cmd
from facilitator.app.service import FacilitationService
from facilitator.commands.actions import ActionName
from facilitator.domain.actors import Actor, Place
from facilitator.replies import Reply
from facilitator.replies import messages as msg

log = logging.getLogger(__name__)
Body = dict[str, Any]
SHORTCUT_TITLE = "Add to workshop"
_NO_FORM = (
    "Slack didn't open the form ({error}): it allows only a few seconds for it. Try again, or reply in the "
    "session thread with `DO: ...` or `DON'T: ...`."
)


def is_direct(body: Body) -> bool:
    """A slash command from a DM (`directmessage`) or a group DM (`mpdm-...`)."""
    name = str(body.get("channel_name") or "")
    return name == "directmessage" or name.startswith("mpdm-") or str(body.get("channel_id", "")).startswith("D")


def needs_identity(command: cmd.Command) -> bool:
    """Whether handling `command` needs users.info (a Tier 4 call): a name to record, or the
    admin flag of a facilitator-only command. A vote or take-back needs neither: a burst of 500
    voters must not cost 500 lookups before anything is stored. Someone whose first act is a
    vote is recorded under the name the click carries (their Slack handle)."""
    return not isinstance(command, (cmd.Vote, cmd.Unvote))


def register(app: AsyncApp, service: FacilitationService, people: People | None = None,
             uninstall_listeners: bool = True, budgets: dict[str, Budget] | None = None) -> None:
    """`uninstall_listeners`: acknowledge app_uninstalled and tokens_revoked ourselves (one
    workspace; with OAuth, Bolt's own listeners delete the tokens)."""
    kit = Kit(service, people or People(), Outbox(service, courier_for(app, service, budgets)),
              work_slots(service.context.db))

    @app.action(re.compile(f"^{re.escape(ids.ACTION_PREFIX)}"))
    @after_ack
    async def on_click(ack: Any, body: Body, client: AsyncWebClient, context: AsyncBoltContext) -> None:
        tenant = tenant_of(context, body)
        user = body.get("user") or {}
        try:
            parsed = click(body)
            command = parsed.command() if parsed is not None else None
        except cmd.ParseError as exc:  # a button of ours, tampered with: say so, change nothing
            await ack()
            container = body.get("container") or {}
            where = Where(tenant, str((body.get("channel") or {}).get("id") or container.get("channel_id") or ""),
                          user=str(user.get("id", "")))
            kit.later(kit.outbox.send(client, [msg.error(str(user.get("id", "")), exc.message)], where), "on_click")
            return
        if parsed is None or parsed.name is ActionName.ADD_ITEM or command is None:
            await ack()
            if parsed is not None and parsed.name is ActionName.ADD_ITEM:
                kit.later(add_item(kit, client, body, parsed, tenant), "on_click")
            return
        acted = command

        async def work() -> list[Reply]:
            actor = await kit.people.actor(client, tenant, user["id"], user.get("name", ""), needs_identity(acted))
            async with kit.slots:
                return await kit.handle_once(request_key(body), actor, parsed.place(), acted)

        done = await commit_then_ack(work(), ack)  # adapters/commit_first.py: stored, then acked
        where = Where(tenant, parsed.channel, parsed.thread, in_thread=parsed.in_thread, user=user["id"])
        # A follow-up's button, in the person's DM with the bot: answered there (in_direct_message).
        in_dm = service if parsed.channel.startswith("D") else None
        kit.later(deliver(kit, client, done, where, in_dm), "on_click")

    @app.command("/pln")
    @after_ack
    async def on_command(ack: Any, body: Body, client: AsyncWebClient, respond: Any, context: AsyncBoltContext) -> None:
        tenant, user = tenant_of(context, body), str(body["user_id"])

        async def work() -> list[Reply]:
            try:
                command = await typed.readable(typed.parse_slash(body.get("text", "")), kit.people, client, tenant)
            except cmd.ParseError as exc:
                return [msg.error(user, exc.message)]
            actor = await kit.people.actor(client, tenant, user, body.get("user_name", ""), needs_identity(command))
            async with kit.slots:
                return await kit.handle_once(request_key(body), actor, command_place(body), command)

        done = await commit_then_ack(work(), ack)  # adapters/commit_first.py: stored, then acked
        where = Where(tenant, str(body["channel_id"]), respond=respond, user=user, direct=is_direct(body),
                      response_url=body.get("response_url"))
        kit.later(deliver(kit, client, done, where), "on_command")

    @app.shortcut(ids.ADD_TO_WORKSHOP)
    @after_ack
    async def on_shortcut(ack: Any, body: Body, client: AsyncWebClient, respond: Any,
                          context: AsyncBoltContext) -> None:
        """"Add to workshop" on any message: the item form, filled in with the message's text."""
        await ack()
        kit.later(shortcut_form(kit, client, body, respond, tenant_of(context, body)), "on_shortcut")

    async def shortcut_form(kit: Kit, client: AsyncWebClient, body: Body, respond: Any, tenant: str) -> None:
        if not await kit.first_time(request_key(body)):
            return
        user = body.get("user") or {}
        message, channel = body.get("message") or {}, str((body.get("channel") or {}).get("id") or "")
        thread = message.get("thread_ts")
        where = Where(tenant, channel, thread, respond=respond, in_thread=bool(thread), user=user.get("id"))
        text = await kit.people.readable(client, tenant, markup.to_core(str(message.get("text") or "")))
        await open_item_form(kit, client, body, Actor(tenant, user["id"], user.get("name", "")),
                             Place(PLATFORM, channel, thread), where, SHORTCUT_TITLE, kind=None, initial=text.strip())

    @app.view(ids.ADD_ITEM_CALLBACK)
    @after_ack
    async def on_item_modal(ack: Any, body: Body, client: AsyncWebClient, context: AsyncBoltContext) -> None:
        try:
            submission = item_submission(body)
        except cmd.ParseError as exc:
            # Slack's way to refuse a form: the message shows under its input, the form stays open.
            await ack(response_action="errors", errors={ids.ITEM_INPUT_BLOCK: exc.message})
            return
        tenant, user = tenant_of(context, body), body.get("user") or {}
        # Refused in the form itself, before it closes, so nothing typed is lost: the session
        # may have closed (or moved on) while the form was open.
        try:
            form = await service.item_form(Actor(tenant, user["id"], user.get("name", "")), submission.place())
        except Exception:
            await ack()  # Slack still gets its answer in time; the guard logs the rest
            raise
        if isinstance(form, Reply):
            await ack(response_action="errors", errors={ids.ITEM_INPUT_BLOCK: form.text})
            return
        where = Where(tenant, submission.channel, submission.thread, user=user["id"])

        async def work() -> list[Reply]:
            actor = await kit.people.actor(client, tenant, user["id"], user.get("name", ""))
            async with kit.slots:
                return await kit.handle_once(request_key(body), actor, submission.place(), submission.command())

        kit.later(deliver(kit, client, await commit_then_ack(work(), ack), where), "on_item_modal")

    # Bolt tries listeners in the order they were added, and each try costs it a signature
    # inspection: clicks and commands, the bursts, come first; events after them.
    register_events(app, kit, uninstall_listeners)


async def deliver(kit: Kit, client: AsyncWebClient, work: asyncio.Task[list[Reply]], where: Where,
                  in_dm: FacilitationService | None = None) -> None:
    """After the answer: the work's replies (the work itself too, when it ran past the bound).
    `in_dm`: the click came from a direct message (in_direct_message)."""
    replies = await work
    if in_dm is not None:
        replies, where = await in_direct_message(in_dm, replies, where)
    await kit.outbox.send(client, replies, where)


async def add_item(kit: Kit, client: AsyncWebClient, body: Body, parsed: Click, tenant: str) -> None:
    """The "Add an item" button: the form, outside the work slots (its trigger_id lasts 3 s)."""
    if not await kit.first_time(request_key(body)):
        return
    user = body.get("user") or {}
    label = markup.unescape(((body["actions"][0].get("text") or {}).get("text")) or "Add an item")
    where = Where(tenant, parsed.channel, parsed.thread, in_thread=parsed.in_thread, user=user["id"])
    await open_item_form(kit, client, body, Actor(tenant, user["id"], user.get("name", "")),
                         parsed.place(), where, label, kind=parsed.argument)


async def in_direct_message(service: FacilitationService, replies: list[Reply], where: Where) -> tuple[list[Reply], Where]:
    """A click in a direct message (a pledge's follow-up): the clicker's own answers come back in
    that DM, and what the room sees goes to the session's channel and thread, not into the DM."""
    own = [replace(r, direct=True) if r.private_to == where.user else r for r in replies]
    session_id = next((r.session_id for r in replies if r.session_id is not None), None)
    found = await service.tenant_and_place(session_id) if session_id is not None else None
    if found is None:
        return own, where
    _, place = found
    return own, Where(where.tenant, place.channel, place.thread, user=where.user)


async def open_item_form(kit: Kit, client: AsyncWebClient, body: Body, actor: Actor, place: Place, where: Where,
                         label: str, kind: str | None, initial: str = "") -> None:
    """The item modal, if the session takes items now; else the reason, privately, and no modal."""
    form = await kit.service.item_form(actor, place)
    if isinstance(form, Reply):
        await kit.outbox.send(client, [form], where)
        return
    view = add_item_modal(str(form.session_id), kind, label, place.channel, place.thread,
                          kinds=() if kind else form.categories, initial=initial)
    try:
        await client.views_open(trigger_id=body["trigger_id"], view=view)
    except SlackApiError as exc:
        error = str(exc.response.get("error"))
        log.warning("views.open refused: %s", error)
        await kit.outbox.send(client, [msg.error(actor.user_id, _NO_FORM.format(error=error), form.session_id)], where)
