"""Sends the service's replies where they belong: ephemeral to one person, the intro at
the top of the channel (its ts becomes the session thread), everything public into the thread,
and an item's new state over its old post. Each reads in the forms that work where it is shown
(hints.py)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.outbox.budgets import Budget, Budgets
from adapters.outbox.courier import Courier
from adapters.slack.courier import notice_letter
from adapters.slack.files import upload_export
from adapters.slack.hints import for_slack, thread_forms
from adapters.slack.render import render
from facilitator.replies import Reply, ReplyKind
from facilitator.app.service import FacilitationService

log = logging.getLogger(__name__)
Respond = Callable[..., Awaitable[Any]]
_NOT_A_MEMBER = ("not_in_channel", "channel_not_found")
# chat.postMessage: "1 per second per channel, with short bursts". Slack publishes no burst size
# (the fake allows 10); ours stays a post under it, since our estimate must never exceed Slack's
# and a bucket refilled by our clock and one refilled by Slack's never agree to the millisecond.
# A 429 past it is still retried by the client.
POST_PACE = Budget(per_minute=60, burst=9)
_INVITE_ME = "I'm not in this channel yet. Invite me with `/invite @facilitator`, then try again."
# In a DM or a group DM nobody can invite the bot (`/invite` doesn't exist there), and a workshop
# needs a room everyone can see anyway.
_NOT_IN_A_DM = (
    "Workshops run in a channel, where everyone can see the intro and its thread, so I can't start one "
    "in a direct message. Add me to a channel (in its details: Integrations, then Add apps) and type "
    "`/pln start` there."
)
_NOT_POSTED = (
    "What you did is saved, but Slack would not let me post it in the thread just now ({error}). "
    "`/pln status` shows where the session stands."
)


def client_team(client: AsyncWebClient) -> str:
    """Whose budget a post spends: the token's (one per workspace or org install)."""
    return str(client.token or "")


class ChannelPace:
    """Public posts into one channel at Slack's pace (about one a second, with short bursts),
    waited for here, in the delivery, never in a work slot; and one at a time per channel, so
    a burst of submissions posts in order rather than all meeting the same 429. A bucket per
    channel, dropped once full again (a channel gone quiet costs no memory)."""

    def __init__(self, budget: Budget = POST_PACE) -> None:
        self.budgets = Budgets({"chat.postMessage": budget})
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}

    async def turn(self, team: str, channel: str) -> None:
        lane = (team, "chat.postMessage", channel)
        lock = self._locks.setdefault(lane[::2], asyncio.Lock())
        async with lock:
            while (wait := self.budgets.wait(lane)) > 0:
                await asyncio.sleep(wait)
            self.budgets.take(lane)
        if len(self._locks) > 1000:
            self._locks = {k: v for k, v in self._locks.items() if v.locked()}
            self.budgets.forget_idle()


@dataclass
class Where:
    """Where the request came from: its channel, and its thread when it came from one."""

    tenant: str
    channel: str
    thread: str | None = None  # the session thread, when the request names it
    respond: Respond | None = None  # a slash command's response_url, when there is one
    in_thread: bool = False  # the person acted inside the thread: answer them privately there
    user: str | None = None  # who acted: told privately when a public post of theirs fails
    direct: bool = False  # a DM or group DM: no channel the bot can be invited to
    response_url: str | None = None  # the request's own, for private replies the channel refuses


class Outbox:
    """Private notices go through the courier (adapters/outbox: paced at Slack's tier, kept in the
    database while they wait); public posts, updates and uploads go out here, in order."""

    def __init__(self, service: FacilitationService, courier: Courier) -> None:
        self.service = service
        self.courier = courier
        self.posts = ChannelPace()

    async def send(self, client: AsyncWebClient, replies: list[Reply], where: Where) -> list[int]:
        """Deliver in order. Returns the sessions whose intro Slack refused: they are gone again."""
        threads: dict[int, str | None] = {}
        unseen: list[int] = []
        for reply in replies:
            if reply.session_id in unseen:
                continue  # the rest of a session nobody can see would only confuse
            in_thread = where.in_thread if reply.is_private else not reply.top_level
            reply = for_slack(reply, in_thread)
            try:
                if reply.attachment is not None:
                    thread = await self._thread_of(where, reply, threads)
                    await upload_export(client, reply.attachment, reply.text, where.channel, thread)
                elif reply.is_private and reply.direct:
                    await self._direct(client, reply)
                elif reply.is_private:
                    await self._ephemeral(client, reply, where)
                elif reply.top_level:
                    ts = await self._post(client, reply, where.channel, None)
                    if reply.kind is ReplyKind.INTRO and reply.session_id is not None and ts:
                        await self.service.attach_thread(reply.session_id, ts)
                        threads[reply.session_id] = ts
                else:
                    await self._in_thread(client, reply, where, await self._thread_of(where, reply, threads))
            except SlackApiError as exc:
                error = exc.response.get("error")
                log.warning("Slack refused a %s reply: %s", reply.kind.value, error)
                if reply.kind is ReplyKind.INTRO and reply.session_id is not None:
                    # Nobody can see or join this session (the bot isn't in the channel, or it's a
                    # DM): none is kept, before the person is told why.
                    unseen.append(reply.session_id)
                    await self.service.discard_unseen(reply.session_id)
                if error in _NOT_A_MEMBER and where.respond is not None:
                    await where.respond(text=_NOT_IN_A_DM if where.direct else _INVITE_ME, response_type="ephemeral")
                elif not reply.is_private and reply.kind is not ReplyKind.INTRO:
                    await self._tell_not_posted(client, where, str(error))
        return unseen

    async def _tell_not_posted(self, client: AsyncWebClient, where: Where, error: str) -> None:
        """The change is in the database but the room didn't see it: the person must know."""
        text = _NOT_POSTED.format(error=error)
        text = thread_forms(text) if where.in_thread else text
        try:
            if where.respond is not None:
                await where.respond(text=text, response_type="ephemeral")
            elif where.user is not None:
                await client.chat_postEphemeral(channel=where.channel, user=where.user, text=text,
                                                thread_ts=where.thread if where.in_thread else None)
        except SlackApiError as exc:
            log.warning("could not tell the user about a failed post either: %s", exc.response.get("error"))

    async def _thread_of(self, where: Where, reply: Reply, known: dict[int, str | None]) -> str | None:
        """The session's own thread as recorded in the database; the payload's only as a fallback."""
        if reply.session_id is None:
            return where.thread
        if reply.session_id not in known:
            known[reply.session_id] = await self.service.thread_of(where.tenant, reply.session_id)
        return known[reply.session_id] or where.thread

    async def _in_thread(self, client: AsyncWebClient, reply: Reply, where: Where, thread: str | None) -> None:
        if reply.replaces is not None and await self._update(client, reply, where.channel, reply.replaces):
            return
        ts = await self._post(client, reply, where.channel, thread)
        if reply.kind is ReplyKind.ITEM and len(reply.items) == 1 and reply.session_id is not None and ts:
            # Remembered so that an edit of the item (by its author, while collecting) updates this post.
            await self.service.attach_post(reply.session_id, reply.items[0].number, ts)

    async def _update(self, client: AsyncWebClient, reply: Reply, channel: str, ts: str) -> bool:
        """Update the post in place; False when Slack can't (it was deleted, say): post anew."""
        (message, *_) = render(reply)  # an item's post is one message
        try:
            await client.chat_update(channel=channel, ts=ts, **message.as_kwargs())
        except SlackApiError as exc:
            log.warning("Slack would not update a %s post: %s", reply.kind.value, exc.response.get("error"))
            return False
        return True

    async def _post(self, client: AsyncWebClient, reply: Reply, channel: str, thread: str | None) -> str | None:
        first_ts = None
        for message in render(reply):
            await self.posts.turn(client_team(client), channel)
            # Plain text is never parsed for @-words into mentions (no link_names).
            response = await client.chat_postMessage(channel=channel, thread_ts=thread, unfurl_links=False,
                                                     unfurl_media=False, **message.as_kwargs())
            first_ts = first_ts or response.get("ts")
        return first_ts

    async def _direct(self, client: AsyncWebClient, reply: Reply) -> None:
        """A direct message: chat.postMessage with the person's user id as the channel posts into
        their DM with the bot (Slack opens it). Unlike an ephemeral message it needs no channel
        membership, stays after a reload, and its buttons work days later: a pledge's follow-up
        comes when the session thread is long gone from view (docs/FACILITATION.md)."""
        for message in render(reply):
            try:
                await client.chat_postMessage(channel=reply.private_to or "", unfurl_links=False, unfurl_media=False,
                                              **message.as_kwargs())
            except SlackApiError as exc:  # one person not reached must not stop the rest
                log.warning("Slack refused a direct %s message: %s", reply.kind.value, exc.response.get("error"))
                return

    async def _ephemeral(self, client: AsyncWebClient, reply: Reply, where: Where) -> None:
        """Private replies are ephemeral messages in the session's channel (in its thread when the
        person acted there), to the person who acted or to anyone else they concern: a voter whose
        votes came back, a participant reminded to vote. The courier sends them within Slack's
        tier; only the person who acted may be answered on the request's response_url (it would
        show anyone else's notice to them)."""
        now = self.service.outbox.now()
        fallback = where.response_url if reply.private_to == where.user else None
        await self.courier.deliver([
            notice_letter(where.tenant, where.channel, reply.private_to or "", message.as_kwargs(), now,
                          where.thread if where.in_thread else None, fallback)
            for message in render(reply)
        ])
