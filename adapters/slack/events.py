"""The listeners for events: people's messages (thread replies, mentions of the bot, edits and
deletions), the Home tab, and the uninstall events.

Slack doesn't run slash commands typed in a thread, so there a message that starts by
mentioning the bot runs as `/pln` for its author: `@facilitator vote 2 5`. It arrives twice
(a `message` and an `app_mention` event); both come here and the first to claim the message
in the database runs it. `DO:`/`DON'T:` replies in a session thread are submissions, and
their edits and deletions follow them (facilitator/app/revisions.py); a facilitator's `NOTE:`
reply is a discussion note.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.commit_first import commit_then_ack
from adapters.slack import markup, typed
from adapters.slack.deliver import Where
from adapters.slack.guard import after_ack
from adapters.slack.home import publish_home
from adapters.slack.incoming import Change, Message, message_of
from adapters.slack.kit import Kit
from adapters.slack.tenancy import tenant_of
from adapters.slack.translate import PLATFORM
from facilitator import commands as cmd
from facilitator.domain.actors import Place
from facilitator.replies import messages as msg

log = logging.getLogger(__name__)
Body = dict[str, Any]
Meaning = cmd.Command | cmd.ParseError | None


def meaning_of(said: Message, mention: re.Pattern[str] | None) -> Meaning:
    """What a person's message asks of us, from its text alone (no database): a command, a
    parse error to tell them, or None for everything else people say."""
    if said.change is Change.NEW:
        rest = typed.command_after_mention(said.text, mention)
        if rest is not None:
            try:
                command = typed.parse_mention(rest, in_thread=said.thread is not None)
            except cmd.ParseError as exc:
                return exc
            return replace(command, source=said.ts) if isinstance(command, cmd.Submit) else command
        line = typed.parse_reply(said.text) if said.thread is not None else None
        return replace(line, source=said.ts) if isinstance(line, cmd.Submit) else line
    if said.change is Change.EDIT:
        now, then = typed.parse_submission(said.text), typed.parse_submission(said.before)
        if now is None and then is None:
            return None  # chat, edited
        if now is None:
            return cmd.ReviseItem(said.ts, None, markup.to_core(said.text))
        return cmd.ReviseItem(said.ts, now.kind, now.text)
    return cmd.WithdrawItem(said.ts) if typed.parse_submission(said.text) is not None else None


def register_events(app: AsyncApp, kit: Kit, uninstall_listeners: bool) -> None:
    async def on_person_message(ack: Any, body: Body, event: Body, client: AsyncWebClient,
                                context: AsyncBoltContext) -> None:
        # Stored, then acknowledged (adapters/commit_first.py); the replies go after the answer.
        done = await commit_then_ack(handle_message(body, event, client, context), ack)
        kit.later(done, "on_person_message")

    async def handle_message(body: Body, event: Body, client: AsyncWebClient, context: AsyncBoltContext) -> None:
        said = message_of(event)
        if said is None:
            return
        meaning = meaning_of(said, typed.bot_mention(context.bot_user_id))
        if meaning is None:
            return
        tenant = tenant_of(context, body)
        # Once per message however it arrives: redelivered, or as both a message and an app_mention.
        if not await kit.first_time(f"slack:{tenant}:{said.channel}:{said.key}"):
            return
        where = Where(tenant, said.channel, said.thread, in_thread=said.thread is not None, user=said.user)
        if isinstance(meaning, cmd.ParseError):
            kit.later(kit.outbox.send(client, [msg.error(said.user, meaning.message)], where), "on_person_message")
            return
        # Who they are and what they named (users.info) before a work slot; the delivery after it.
        actor = await kit.people.actor(client, tenant, said.user)
        command = await typed.readable(meaning, kit.people, client, tenant)
        async with kit.slots:
            replies = await kit.service.handle(actor, Place(PLATFORM, said.channel, said.thread), command)
        kit.later(kit.outbox.send(client, replies, where), "on_person_message")

    app.event("message")(after_ack(on_person_message))
    app.event("app_mention")(after_ack(on_person_message))

    @app.event("app_home_opened")
    @after_ack
    async def on_home(body: Body, event: Body, client: AsyncWebClient, context: AsyncBoltContext) -> None:
        if event.get("tab", "home") != "home":
            return

        async def publish() -> None:
            actor = await kit.people.actor(client, tenant_of(context, body), event["user"])
            await publish_home(client, event["user"], await kit.service.recent_sessions(actor))

        kit.later(publish(), "on_home")  # after the answer: nothing to store

    if uninstall_listeners:
        # One workspace: the token comes from the environment and there's nothing to forget, but
        # an unanswered event is a 404 and Slack retries it (the manifests subscribe to both).
        @app.event("app_uninstalled")
        async def on_uninstalled(body: Body) -> None:
            log.info("Slack says the app was uninstalled from %s: SLACK_BOT_TOKEN stops working", body.get("team_id"))

        @app.event("tokens_revoked")
        async def on_tokens_revoked(body: Body) -> None:
            log.info("Slack says tokens were revoked in %s", body.get("team_id"))
